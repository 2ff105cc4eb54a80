#pragma once

#include "playback/PlayerBackend.h"

#include <QThread>

#include <atomic>

class QAudioOutput;
class QMediaPlayer;

/// PlayerBackend over QMediaPlayer and QAudioOutput: the one place the app touches Qt Multimedia's player.
/// The player lives on a thread of its own: loading a source costs GStreamer state changes of 10–20 ms, which
/// would otherwise stall the window's event loop whenever a take arrives.
class MediaPlayerBackend final : public PlayerBackend
{
    Q_OBJECT

public:
    explicit MediaPlayerBackend(QObject* parent = nullptr);
    ~MediaPlayerBackend() override;

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
    /// Runs `work` on the player's thread, in order with every other request.
    void post(std::function<void()> work);
    void applyOutputDevice(); ///< player thread only

    QThread m_thread;
    QObject* m_context;                ///< lives on m_thread and owns everything below
    QMediaPlayer* m_player = nullptr;  ///< player thread only
    QAudioOutput* m_output = nullptr;  ///< player thread only
    QByteArray m_deviceId;             ///< player thread only
    std::atomic<qint64> m_position{0}; ///< mirrored for position() and duration() from any thread
    std::atomic<qint64> m_duration{0};
};
