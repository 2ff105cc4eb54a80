#include "playback/MediaPlayerBackend.h"

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
        // Signals of this object are delivered to their receivers on the window's thread.
        connect(m_player, &QMediaPlayer::playbackStateChanged, m_context, [this](QMediaPlayer::PlaybackState state) {
            switch (state) {
            case QMediaPlayer::PlayingState: emit stateChanged(State::Playing); break;
            case QMediaPlayer::PausedState: emit stateChanged(State::Paused); break;
            case QMediaPlayer::StoppedState: emit stateChanged(State::Stopped); break;
            }
        });
        connect(m_player, &QMediaPlayer::positionChanged, m_context, [this](qint64 ms) {
            m_position = ms;
            emit positionChanged(ms);
        });
        connect(m_player, &QMediaPlayer::durationChanged, m_context, [this](qint64 ms) {
            m_duration = ms;
            emit durationChanged(ms);
        });
        connect(m_player, &QMediaPlayer::mediaStatusChanged, m_context, [this](QMediaPlayer::MediaStatus status) {
            if (status == QMediaPlayer::EndOfMedia)
                emit reachedEnd();
        });
        connect(m_player, &QMediaPlayer::errorOccurred, m_context,
                [this](QMediaPlayer::Error, const QString& message) { emit failed(message); });
        // Headphones plugged in or a USB interface removed: follow the chosen device, or the new default.
        auto* devices = new QMediaDevices(m_context);
        connect(devices, &QMediaDevices::audioOutputsChanged, m_context, [this] { applyOutputDevice(); });
    });
}

MediaPlayerBackend::~MediaPlayerBackend()
{
    QMetaObject::invokeMethod(
        m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void MediaPlayerBackend::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work));
}

void MediaPlayerBackend::setSource(const QUrl& source)
{
    m_position = 0;
    post([this, source] { m_player->setSource(source); });
}

void MediaPlayerBackend::play()
{
    post([this] { m_player->play(); });
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
    post([this, ms] { m_player->setPosition(ms); });
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
    const QList<QAudioDevice> outputs = QMediaDevices::audioOutputs();
    for (const QAudioDevice& device : outputs) {
        if (!m_deviceId.isEmpty() && device.id() == m_deviceId) {
            m_output->setDevice(device);
            return;
        }
    }
    m_output->setDevice(QMediaDevices::defaultAudioOutput());
}
