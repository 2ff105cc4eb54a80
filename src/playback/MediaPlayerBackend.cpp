#include "playback/MediaPlayerBackend.h"

#include "playback/LoopDevice.h"
#include "playback/OutputDevice.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QMediaDevices>
#include <QMediaPlayer>

using namespace Qt::StringLiterals;

MediaPlayerBackend::MediaPlayerBackend(QObject* parent) : PlayerBackend(parent), m_context(new QObject)
{
    m_thread.setObjectName(u"MediaPlayer"_s);
    m_context->moveToThread(&m_thread);
    m_thread.start();
    post([this] {
        m_player = new QMediaPlayer(m_context);
        m_output = new QAudioOutput(m_context);
        m_player->setAudioOutput(m_output);
        connect(m_player, &QMediaPlayer::playbackStateChanged, m_context, [this](QMediaPlayer::PlaybackState state) {
            // Delivered to the receivers on the window's thread.
            switch (state) {
            case QMediaPlayer::PlayingState: emit stateChanged(State::Playing); break;
            case QMediaPlayer::PausedState: emit stateChanged(State::Paused); break;
            case QMediaPlayer::StoppedState: emit stateChanged(State::Stopped); break;
            }
        });
        connect(m_player, &QMediaPlayer::positionChanged, m_context, [this](qint64 ms) {
            // While a source loads, the player reports its start; the place asked for, if any, comes once it is set.
            if (m_loading || m_pendingPosition)
                return;
            report([this, ms] {
                m_position = ms;
                emit positionChanged(ms);
            });
        });
        connect(m_player, &QMediaPlayer::durationChanged, m_context, [this](qint64 ms) {
            if (m_loading && ms == 0) // not known yet: what is known is the last source's, or comes once loaded
                return;
            report([this, ms] {
                m_duration = ms;
                emit durationChanged(ms);
            });
        });
        connect(m_player, &QMediaPlayer::mediaStatusChanged, m_context, [this](QMediaPlayer::MediaStatus status) {
            if (status != QMediaPlayer::NoMedia && status != QMediaPlayer::LoadingMedia)
                m_loading = false;
            if (status == QMediaPlayer::EndOfMedia)
                report([this] { emit reachedEnd(); });
            // A seek made while GStreamer is still prerolling is dropped, and so is one made from within this very
            // report: it is made once the report is over.
            if (status == QMediaPlayer::LoadedMedia && m_pendingPosition) {
                QMetaObject::invokeMethod(
                    m_context,
                    [this] {
                        if (const std::optional<qint64> ms = std::exchange(m_pendingPosition, std::nullopt))
                            m_player->setPosition(*ms);
                    },
                    Qt::QueuedConnection);
            }
        });
        connect(m_player, &QMediaPlayer::errorOccurred, m_context, [this](QMediaPlayer::Error, const QString& message) {
            report([this, message] { emit failed(message); });
        });
        // Headphones plugged in or a USB interface removed: follow the chosen device, or the new default.
        auto* devices = new QMediaDevices(m_context);
        connect(devices, &QMediaDevices::audioOutputsChanged, m_context, [this] { applyOutputDevice(); });
    });
}

MediaPlayerBackend::~MediaPlayerBackend()
{
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            delete m_context;
            m_loop.reset(); // only once the player reads it no more
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void MediaPlayerBackend::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work));
}

void MediaPlayerBackend::report(std::function<void()> report)
{
    // Reports of a source already replaced may still be on their way: a position in the old take must not move the
    // playhead of the new one.
    QMetaObject::invokeMethod(this, [this, source = m_playing, report = std::move(report)] {
        if (source == m_source)
            report();
    });
}

void MediaPlayerBackend::setSource(const QUrl& source)
{
    m_position = 0;
    m_duration = 0; // the new source's, once it has loaded; not the last one's (a loop's stream lasts for hours)
    post([this, source, id = ++m_source] {
        m_playing = id;
        load(source, nullptr);
        m_loop.reset();
    });
}

void MediaPlayerBackend::setLoopSource(const QByteArray& wav)
{
    m_position = 0;
    m_duration = 0;
    post([this, wav, id = ++m_source] {
        m_playing = id;
        QString error;
        std::unique_ptr<LoopDevice> loop = LoopDevice::open(wav, &error);
        // The name only tells Qt there is a source; the stream itself says it is WAV.
        load(loop ? QUrl(u"loop.wav"_s) : QUrl(), loop.get());
        m_loop = std::move(loop);
        if (!m_loop)
            emit failed(error);
    });
}

void MediaPlayerBackend::load(const QUrl& source, QIODevice* device)
{
    m_pendingPosition.reset();
    m_loading = true;
    if (device)
        m_player->setSourceDevice(device, source);
    else
        m_player->setSource(source);
    // The same file again is not loaded again: the player only stops, and takes a position at once. Nor does it say
    // its length again, which the new source's listeners are still owed.
    m_loading = m_player->mediaStatus() == QMediaPlayer::LoadingMedia;
    if (!m_loading)
        report([this, ms = m_player->duration()] {
            m_duration = ms;
            emit durationChanged(ms);
        });
}

void MediaPlayerBackend::loadAgainIfEnded()
{
    if (m_player->mediaStatus() != QMediaPlayer::EndOfMedia)
        return;
    const QUrl source = m_player->source();
    m_player->setSource(QUrl());
    if (m_loop)
        m_loop->seek(0);
    load(source, m_loop.get());
}

void MediaPlayerBackend::play()
{
    post([this] {
        loadAgainIfEnded();
        m_player->play();
    });
}

void MediaPlayerBackend::pause()
{
    post([this] { m_player->pause(); });
}

void MediaPlayerBackend::stop()
{
    post([this] { m_player->stop(); });
}

void MediaPlayerBackend::setPosition(qint64 ms)
{
    m_position = ms;
    post([this, ms] {
        loadAgainIfEnded();
        if (!m_loading)
            m_player->setPosition(ms);
        else if (ms > 0)
            m_pendingPosition = ms;
    });
}

qint64 MediaPlayerBackend::position() const
{
    return m_position;
}

qint64 MediaPlayerBackend::duration() const
{
    return m_duration;
}

void MediaPlayerBackend::setVolume(float volume)
{
    post([this, volume] { m_output->setVolume(volume); });
}

void MediaPlayerBackend::setOutputDevice(const QByteArray& id)
{
    post([this, id] {
        m_deviceId = id;
        applyOutputDevice();
    });
}

void MediaPlayerBackend::applyOutputDevice()
{
    m_output->setDevice(OutputDevice::find(m_deviceId));
}
