#include "MediaPlayerBackend.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QMediaDevices>
#include <QMediaPlayer>

MediaPlayerBackend::MediaPlayerBackend(QObject* parent)
    : PlayerBackend(parent)
    , m_player(new QMediaPlayer(this))
    , m_output(new QAudioOutput(this))
    , m_devices(new QMediaDevices(this))
{
    m_player->setAudioOutput(m_output);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState state) {
        switch (state) {
        case QMediaPlayer::PlayingState: emit stateChanged(State::Playing); break;
        case QMediaPlayer::PausedState: emit stateChanged(State::Paused); break;
        case QMediaPlayer::StoppedState: emit stateChanged(State::Stopped); break;
        }
    });
    connect(m_player, &QMediaPlayer::positionChanged, this, &PlayerBackend::positionChanged);
    connect(m_player, &QMediaPlayer::durationChanged, this, &PlayerBackend::durationChanged);
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus status) {
        if (status == QMediaPlayer::EndOfMedia)
            emit reachedEnd();
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString& message) { emit failed(message); });
    // Headphones plugged in or a USB interface removed: follow the chosen device, or the new default.
    connect(m_devices, &QMediaDevices::audioOutputsChanged, this, &MediaPlayerBackend::applyOutputDevice);
}

void MediaPlayerBackend::setSource(const QUrl& source)
{
    m_player->setSource(source);
}

void MediaPlayerBackend::play()
{
    m_player->play();
}

void MediaPlayerBackend::pause()
{
    m_player->pause();
}

void MediaPlayerBackend::stop()
{
    m_player->stop();
}

void MediaPlayerBackend::setPosition(qint64 ms)
{
    m_player->setPosition(ms);
}

qint64 MediaPlayerBackend::position() const
{
    return m_player->position();
}

qint64 MediaPlayerBackend::duration() const
{
    return m_player->duration();
}

void MediaPlayerBackend::setVolume(float volume)
{
    m_output->setVolume(volume);
}

void MediaPlayerBackend::setOutputDevice(const QByteArray& id)
{
    m_deviceId = id;
    applyOutputDevice();
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
