#include "playback/Player.h"

#include "playback/LoopDevice.h"

#include <QUrl>

#include <algorithm>
#include <cmath>
#include <utility>

Player::Player(PlayerBackend* backend, QObject* parent) : QObject(parent), m_backend(backend)
{
    m_backend->setParent(this);
    m_backend->setVolume(linearVolume(m_volume));
    connect(m_backend, &PlayerBackend::stateChanged, this, [this](PlayerBackend::State state) {
        m_state = state;
        emit stateChanged(state);
    });
    connect(m_backend, &PlayerBackend::positionChanged, this, [this](qint64 ms) {
        m_position = isLoopingRegion() ? inTake(ms) : ms;
        emit positionChanged(m_position);
    });
    connect(m_backend, &PlayerBackend::durationChanged, this, [this](qint64 ms) {
        if (isLoopingRegion()) // the loop's stream lasts for hours; the playhead stays on the take
            return;
        m_takeDuration = ms;
        emit durationChanged(ms);
    });
    connect(m_backend, &PlayerBackend::reachedEnd, this, [this] {
        // The whole-take loop starts the take again, after the gap the audio system makes; a loop's stream ends only
        // after hours of laps, and starts again the same way.
        if (m_loop || isLoopingRegion()) {
            m_backend->setPosition(0);
            m_backend->play();
        }
    });
    connect(m_backend, &PlayerBackend::failed, this, [this](const QString& message) {
        leaveLoop(); // whatever plays now, it is no loop
        emit failed(message);
    });
}

void Player::load(const QString& takeId, const QString& audioPath, bool autoPlay, qint64 startMs)
{
    leaveLoop();
    m_takeId = takeId;
    m_audioPath = audioPath;
    openTake(std::max<qint64>(0, startMs), autoPlay);
    emit takeLoaded(takeId);
}

void Player::openTake(qint64 startMs, bool autoPlay)
{
    m_position = startMs;
    emit positionChanged(startMs);
    m_backend->setSource(QUrl::fromLocalFile(m_audioPath));
    if (startMs > 0)
        m_backend->setPosition(startMs);
    if (autoPlay)
        m_backend->play();
}

bool Player::playLoop(const QByteArray& wav, qint64 offsetMs, QString* error)
{
    const std::optional<LoopDevice::Wav> loop = LoopDevice::parse(wav, error);
    if (!loop)
        return false;
    const bool wasLooping = isLoopingRegion();
    m_loopMs = loop->milliseconds();
    m_loopOffset = std::max<qint64>(0, offsetMs);
    m_position = m_loopOffset;
    emit positionChanged(m_position);
    m_backend->setLoopSource(wav);
    if (!isLoopingRegion()) {
        // The backend refused it at once (failed() said why, and left the loop): the take goes on as it was.
        if (error)
            *error = tr("This player cannot loop a region. Play the whole take with Loop instead.");
        if (!m_audioPath.isEmpty())
            openTake(std::max<qint64>(0, offsetMs), true);
        return false;
    }
    m_backend->play();
    if (!wasLooping)
        emit loopingRegionChanged(true);
    return true;
}

void Player::stopLoop()
{
    if (isLoopingRegion())
        backToTake(m_position, m_state != PlayerBackend::State::Paused);
}

void Player::backToTake(qint64 startMs, bool autoPlay)
{
    leaveLoop();
    if (!m_audioPath.isEmpty()) {
        openTake(startMs, autoPlay);
        return;
    }
    m_backend->stop();
    m_position = 0;
    emit positionChanged(0);
}

void Player::leaveLoop()
{
    if (!isLoopingRegion())
        return;
    m_loopMs = 0;
    m_loopOffset = 0;
    emit loopingRegionChanged(false);
}

qint64 Player::inTake(qint64 loopStreamMs) const
{
    const double inLoop = std::fmod(double(std::max<qint64>(0, loopStreamMs)), m_loopMs);
    return m_loopOffset + std::min(qint64(inLoop), qint64(std::ceil(m_loopMs)) - 1);
}

qint64 Player::duration() const
{
    if (isLoopingRegion())
        return std::max(m_takeDuration, m_loopOffset + qint64(std::ceil(m_loopMs)));
    return m_backend->duration();
}

void Player::play()
{
    if (!m_takeId.isEmpty() || isLoopingRegion())
        m_backend->play();
}

void Player::pause()
{
    m_backend->pause();
}

void Player::togglePlayPause()
{
    if (m_state == PlayerBackend::State::Playing)
        pause();
    else
        play();
}

void Player::stop()
{
    if (isLoopingRegion()) {
        backToTake(0, false);
        return;
    }
    m_backend->stop();
    m_backend->setPosition(0);
}

void Player::seek(qint64 ms)
{
    const qint64 clamped = std::clamp<qint64>(ms, 0, std::max<qint64>(0, duration()));
    if (!isLoopingRegion())
        m_backend->setPosition(clamped);
    else if (clamped >= m_loopOffset && double(clamped - m_loopOffset) < m_loopMs)
        m_backend->setPosition(clamped - m_loopOffset); // every lap is the same; the first is as good as any
    else
        backToTake(clamped, m_state != PlayerBackend::State::Paused);
}

void Player::setLoop(bool loop)
{
    m_loop = loop;
}

float Player::linearVolume(int percent)
{
    return float(std::pow(std::clamp(percent, 0, 100) / 100.0, 2.0));
}

void Player::setVolume(int percent)
{
    const int volume = std::clamp(percent, 0, 100);
    m_backend->setVolume(linearVolume(volume));
    if (std::exchange(m_volume, volume) != volume)
        emit volumeChanged(volume);
}

void Player::setOutputDevice(const QByteArray& id)
{
    m_backend->setOutputDevice(id);
}
