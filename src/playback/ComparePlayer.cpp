#include "playback/ComparePlayer.h"

#include "audio/AudioCodec.h"
#include "platform/AtomicFile.h"
#include "playback/MixOutput.h"
#include "playback/Player.h"
#include "playback/SinkMixOutput.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

/// `audio` with `channels` channels: a mono take is heard in both ears, a take with more than two channels by its
/// first two.
std::vector<float> withChannels(AudioCodec::Decoded&& audio, int channels)
{
    if (audio.channels == channels)
        return std::move(audio.samples);
    const auto frames = audio.samples.size() / size_t(audio.channels);
    std::vector<float> result(frames * size_t(channels));
    for (size_t frame = 0; frame < frames; ++frame) {
        for (int c = 0; c < channels; ++c)
            result[frame * size_t(channels) + size_t(c)] =
                audio.samples[frame * size_t(audio.channels) + size_t(std::min(c, audio.channels - 1))];
    }
    return result;
}

} // namespace

ComparePlayer::Decoded ComparePlayer::decode(const QStringList& paths)
{
    // One take after the other: this runs in the pool already, and work it waited for there could wait for ever
    // behind pool threads that wait too.
    struct Take
    {
        std::optional<AudioCodec::Decoded> audio;
        QString error;
    };
    std::vector<Take> takes(size_t(paths.size()));
    Decoded result;
    for (qsizetype i = 0; i < paths.size(); ++i) {
        Take& take = takes[size_t(i)];
        if (const auto bytes = AtomicFile::read(paths.at(i), &take.error))
            take.audio = AudioCodec::decode(*bytes, &take.error);
        if (take.audio) {
            result.sampleRate = std::max(result.sampleRate, take.audio->sampleRate);
            result.channels = std::max(result.channels, std::min(take.audio->channels, 2));
        }
    }
    for (Take& take : takes) {
        if (take.audio && take.audio->sampleRate != result.sampleRate)
            take.audio = AudioCodec::resample(*take.audio, result.sampleRate, &take.error);
        result.errors << (take.audio ? QString() : take.error);
        result.tracks.push_back(take.audio ? withChannels(std::move(*take.audio), result.channels)
                                           : std::vector<float>{});
    }
    return result;
}

ComparePlayer::ComparePlayer(OutputFactory makeOutput, QObject* parent)
    : QObject(parent), m_makeOutput(std::move(makeOutput))
{
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &ComparePlayer::poll);
}

ComparePlayer::~ComparePlayer()
{
    // The output renders the mixer on its own thread: it goes before the mixer does.
    delete m_output;
}

bool ComparePlayer::start(const QList<Slot>& chosen, QString* error)
{
    if (chosen.size() < MinSlots || chosen.size() > MaxSlots) {
        if (error)
            *error = u"Choose two to four takes to compare (%1 chosen)."_s.arg(chosen.size());
        return false;
    }
    leave();
    // A comparison left moments ago may still be fading out, about to let go of the output: not of this one's.
    ++m_generation;
    if (!m_output) {
        m_output = m_makeOutput ? m_makeOutput() : new SinkMixOutput;
        m_output->setParent(this);
        connect(m_output, &MixOutput::failed, this, [this](const QString& message) {
            if (!m_ready)
                return;
            m_outputLost = true;
            m_mixer.setPlaying(false);
            setState(PlayerBackend::State::Paused);
            emit failed(message);
        });
    }
    m_slots = chosen;
    m_current = 0;
    m_wantsToPlay = true;
    m_outputLost = false;
    computeGains();
    emit currentChanged(m_current);
    emit positionChanged(0);
    emit gainsChanged();

    QStringList paths;
    for (const Slot& slot : chosen)
        paths << slot.audioPath;
    auto* watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcher<Decoded>::finished, this, [this, watcher, generation = m_generation] {
        watcher->deleteLater();
        onDecoded(generation, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&ComparePlayer::decode, paths));
    return true;
}

void ComparePlayer::onDecoded(quint64 generation, Decoded decoded)
{
    if (generation != m_generation)
        return; // left, or another comparison started, while these takes were decoded
    for (qsizetype i = 0; i < decoded.errors.size(); ++i) {
        if (!decoded.errors.at(i).isEmpty())
            emit failed(u"Take %1 cannot be played (%2). The other takes go on; play that take on its own to hear "
                        u"whether its audio is damaged, or compare other takes."_s.arg(QString::number(i + 1),
                                                                                       decoded.errors.at(i)));
    }
    if (decoded.sampleRate <= 0)
        return; // none can be played: said above, take by take
    m_mixer.load(decoded.sampleRate, decoded.channels, std::move(decoded.tracks));
    m_ready = true;
    applyGains();
    m_duration = m_mixer.frames() * 1000 / decoded.sampleRate;
    emit durationChanged(m_duration);
    if (m_wantsToPlay)
        play();
    else
        setState(PlayerBackend::State::Paused);
    m_poll.start();
    m_output->start(&m_mixer, m_outputDevice);
}

void ComparePlayer::leave()
{
    if (m_slots.isEmpty())
        return;
    ++m_generation;
    m_slots.clear();
    m_ready = false;
    m_poll.stop();
    // Faded out rather than cut: the output is let go once the fade has been heard, unless another comparison has
    // started by then.
    m_mixer.setPlaying(false);
    QTimer::singleShot(LetGoAfterMs, this, [this, generation = m_generation] {
        if (generation != m_generation)
            return;
        m_output->stop();
        m_mixer.clear();
    });
    m_position = 0;
    m_duration = 0;
    setState(PlayerBackend::State::Stopped);
}

QString ComparePlayer::takeIdAt(int slot) const
{
    return slot >= 0 && slot < m_slots.size() ? m_slots.at(slot).takeId : QString();
}

void ComparePlayer::switchTo(int slot)
{
    if (slot < 0 || slot >= m_slots.size())
        return;
    if (std::exchange(m_current, slot) != slot) {
        applyGains();
        emit currentChanged(slot);
    }
    if (m_state != PlayerBackend::State::Playing)
        play();
}

void ComparePlayer::play()
{
    if (m_slots.isEmpty())
        return;
    m_wantsToPlay = true;
    if (!m_ready)
        return;
    if (std::exchange(m_outputLost, false))
        m_output->start(&m_mixer, m_outputDevice); // the device may be back, or another chosen
    m_mixer.setPlaying(true);
    if (m_mixer.isPlaying())
        setState(PlayerBackend::State::Playing);
}

void ComparePlayer::pause()
{
    m_wantsToPlay = false;
    if (!m_ready)
        return;
    m_mixer.setPlaying(false);
    if (m_state == PlayerBackend::State::Playing)
        setState(PlayerBackend::State::Paused);
}

void ComparePlayer::togglePlayPause()
{
    if (m_state == PlayerBackend::State::Playing)
        pause();
    else
        play();
}

void ComparePlayer::seek(qint64 ms)
{
    if (!m_ready)
        return;
    const qint64 to = std::clamp<qint64>(ms, 0, m_duration);
    m_mixer.seek(msToFrames(to));
    m_position = to;
    emit positionChanged(to);
}

void ComparePlayer::setMatchLoudness(bool match)
{
    if (std::exchange(m_matchLoudness, match) == match)
        return;
    computeGains();
    applyGains();
    emit gainsChanged();
}

double ComparePlayer::gainDb(int slot) const
{
    return slot >= 0 && size_t(slot) < m_gainsDb.size() ? m_gainsDb[size_t(slot)] : 0.0;
}

void ComparePlayer::setVolume(int percent)
{
    m_volume = std::clamp(percent, 0, 100);
    applyGains();
}

void ComparePlayer::setOutputDevice(const QByteArray& id)
{
    if (std::exchange(m_outputDevice, id) != id && m_ready) {
        m_outputLost = false;
        m_output->start(&m_mixer, id);
    }
}

void ComparePlayer::poll()
{
    if (!m_ready)
        return;
    if (m_mixer.reachedEnd()) {
        // The longest take has ended: ready to play again from the start.
        m_mixer.seek(0);
        m_position = 0;
        setState(PlayerBackend::State::Stopped);
        emit positionChanged(0);
        return;
    }
    if (m_state != PlayerBackend::State::Playing)
        return;
    const qint64 heard = std::max<qint64>(0, m_mixer.position() - m_output->queuedFrames());
    const qint64 ms = heard * 1000 / m_mixer.sampleRate();
    if (std::exchange(m_position, ms) != ms)
        emit positionChanged(ms);
}

void ComparePlayer::setState(PlayerBackend::State state)
{
    if (std::exchange(m_state, state) != state)
        emit stateChanged(state);
}

void ComparePlayer::computeGains()
{
    std::optional<double> quietest;
    for (const Slot& slot : std::as_const(m_slots)) {
        if (slot.loudnessLufs)
            quietest = std::min(*slot.loudnessLufs, quietest.value_or(*slot.loudnessLufs));
    }
    m_gainsDb.clear();
    for (const Slot& slot : std::as_const(m_slots))
        m_gainsDb.push_back(m_matchLoudness && slot.loudnessLufs ? *quietest - *slot.loudnessLufs : 0.0);
}

void ComparePlayer::applyGains()
{
    if (!m_ready)
        return;
    // The window's player's curve, so the volume slider sounds the same in both.
    const double master = Player::linearVolume(m_volume);
    std::vector<float> gains(m_gainsDb.size(), 0.0F);
    if (size_t(m_current) < gains.size())
        gains[size_t(m_current)] = float(master * std::pow(10.0, m_gainsDb[size_t(m_current)] / 20.0));
    m_mixer.setGains(gains);
}

qint64 ComparePlayer::msToFrames(qint64 ms) const
{
    return ms * m_mixer.sampleRate() / 1000;
}
