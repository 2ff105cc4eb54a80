#pragma once

#include "PlayerBackend.h"

class QAudioOutput;
class QMediaDevices;
class QMediaPlayer;

/// PlayerBackend over QMediaPlayer and QAudioOutput: the one place the app touches Qt Multimedia's player.
class MediaPlayerBackend final : public PlayerBackend
{
    Q_OBJECT

public:
    explicit MediaPlayerBackend(QObject* parent = nullptr);

    void setSource(const QUrl& source) override;
    void play() override;
    void pause() override;
    void stop() override;
    void setPosition(qint64 ms) override;
    qint64 position() const override;
    qint64 duration() const override;
    void setVolume(float volume) override;
    void setOutputDevice(const QByteArray& id) override;

private:
    void applyOutputDevice();

    QMediaPlayer* m_player;
    QAudioOutput* m_output;
    QMediaDevices* m_devices;
    QByteArray m_deviceId;
};
