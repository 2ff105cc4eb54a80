#include "playback/Player.h"

#include <QUrl>

#include <algorithm>
#include <cmath>
#include <utility>

Player::Player(PlayerBackend* backend, QObject* parent) : QObject(parent), m_backend(backend)
{
    m_backend->setParent(this);
    m_backend->setVolume(float(std::pow(m_volume / 100.0, 2.0)));
    connect(m_backend, &PlayerBackend::stateChanged, this, [this](PlayerBackend::State state) {
        m_state = state;
        emit stateChanged(state);
    });
    connect(m_backend, &PlayerBackend::positionChanged, this, [this](qint64 ms) {
        m_position = ms;
        emit positionChanged(ms);
    });
    connect(m_backend, &PlayerBackend::durationChanged, this, &Player::durationChanged);
    connect(m_backend, &PlayerBackend::reachedEnd, this, [this] {
        if (m_loop) {
            m_backend->setPosition(0);
            m_backend->play();
        }
    });
    connect(m_backend, &PlayerBackend::failed, this, &Player::failed);
}

void Player::load(const QString& takeId, const QString& audioPath, bool autoPlay)
{
    m_takeId = takeId; // a new source stops the current one; stopping first would cost a second state change
    m_position = 0;
    emit positionChanged(0);
    m_backend->setSource(QUrl::fromLocalFile(audioPath));
    emit takeLoaded(takeId);
    if (autoPlay)
        m_backend->play();
}

void Player::play()
{
    if (!m_takeId.isEmpty())
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
    m_backend->stop();
    m_backend->setPosition(0);
}

void Player::seek(qint64 ms)
{
    const qint64 clamped = std::clamp<qint64>(ms, 0, std::max<qint64>(0, m_backend->duration()));
    m_backend->setPosition(clamped);
}

void Player::setLoop(bool loop)
{
    m_loop = loop;
}

void Player::setVolume(int percent)
{
    const int volume = std::clamp(percent, 0, 100);
    // Loudness is heard logarithmically; a squared curve makes equal slider steps sound like equal steps.
    m_backend->setVolume(float(std::pow(volume / 100.0, 2.0)));
    if (std::exchange(m_volume, volume) != volume)
        emit volumeChanged(volume);
}

void Player::setOutputDevice(const QByteArray& id)
{
    m_backend->setOutputDevice(id);
}
