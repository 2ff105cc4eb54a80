#pragma once

#include "playback/PlayerBackend.h"

#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

class LoopDevice;
class QIODevice;
class QAudioOutput;
class QMediaPlayer;

/// PlayerBackend over QMediaPlayer and QAudioOutput: the one place the app touches Qt Multimedia's player.
/// The player lives on a thread of its own: loading a source costs GStreamer state changes of 10–20 ms, which
/// would otherwise stall the window's event loop whenever a take arrives.
///
/// A loop plays from a LoopDevice, one endless stream: QMediaPlayer's own looping (and a seek back to the start at
/// the end) stops the pipeline at every wrap, a gap of over 100 ms that is heard as a click.
class MediaPlayerBackend final : public PlayerBackend
{
    Q_OBJECT

public:
    explicit MediaPlayerBackend(QObject* parent = nullptr);
    ~MediaPlayerBackend() override;

    void setSource(const QUrl& source) override;
    void setLoopSource(const QByteArray& wav) override;
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
    /// From the player thread: runs `report` here, unless the source it is about has been replaced since.
    void report(std::function<void()> report);
    /// Player thread only: gives the player `source`, read from `device` if there is one.
    void load(const QUrl& source, QIODevice* device);
    /// Player thread only. Asked to seek or play once it has reached the end, QMediaPlayer (6.4, GStreamer) now and
    /// then plays on in silence, or stalls; a source loaded afresh plays every time.
    void loadAgainIfEnded();
    void applyOutputDevice(); ///< player thread only

    QThread m_thread;
    QObject* m_context;                      ///< lives on m_thread and owns everything below
    QMediaPlayer* m_player = nullptr;        ///< player thread only
    QAudioOutput* m_output = nullptr;        ///< player thread only
    std::unique_ptr<LoopDevice> m_loop;      ///< player thread only: the loop being played, if any
    bool m_loading = false;                  ///< player thread only: a source is set and not yet loaded
    std::optional<qint64> m_pendingPosition; ///< player thread only: asked for while the source loads
    int m_playing = 0;                       ///< player thread only: which source the player has
    QByteArray m_deviceId;                   ///< player thread only
    int m_source = 0;                        ///< counts the sources asked for (this object's thread)
    std::atomic<qint64> m_position{0};       ///< mirrored for position() and duration() from any thread
    std::atomic<qint64> m_duration{0};
};
