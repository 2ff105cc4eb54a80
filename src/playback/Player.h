#pragma once

#include "playback/PlayerBackend.h"

#include <QObject>
#include <QString>

/// Playback as the window sees it: which take is loaded, play/pause/stop, seeking, looping (the whole take, or a loop
/// cut from a region of it) and volume. The logic lives here, over a PlayerBackend, so it is tested with a fake backend
/// and QSignalSpy.
class Player final : public QObject
{
    Q_OBJECT

public:
    /// Takes ownership of `backend`.
    explicit Player(PlayerBackend* backend, QObject* parent = nullptr);

    /// Loads a take's audio file, to play from `startMs` into it (at once when `autoPlay`). Ends a loop being played.
    void load(const QString& takeId, const QString& audioPath, bool autoPlay, qint64 startMs = 0);
    QString currentTakeId() const { return m_takeId; }

    /// Plays `wav` (a whole loop file in memory, as AudioLoop::toWav writes it) round and round with no gap at the
    /// wrap, starting at once, in place of the take. Positions are reported as `offsetMs` plus the place in the loop,
    /// so a playhead stays inside the region the loop came from; duration() stays the take's. load(), stop(),
    /// stopLoop() and a seek outside the region end it. False, with `error` saying what to do, when `wav` is not a
    /// PCM WAV file; what played before goes on then.
    bool playLoop(const QByteArray& wav, qint64 offsetMs, QString* error = nullptr);
    /// Back to the take's own file at the place the loop was at, playing unless the loop was paused.
    void stopLoop();
    bool isLoopingRegion() const { return m_loopMs > 0; }

    void play();
    void pause();
    void togglePlayPause();
    void stop();
    /// Moves to `ms` into the take, kept within it. While a loop plays: to that place in the loop when `ms` lies in
    /// its region, else out of the loop to that place in the take.
    void seek(qint64 ms);
    /// Plays the whole take round and round (its end into its start, after a pause of the audio system's).
    void setLoop(bool loop);
    bool loops() const { return m_loop; }
    void setVolume(int percent); ///< 0..100, shaped so the slider feels even (linearVolume)
    /// The backend's linear gain for a volume of `percent` (0..100): loudness is heard logarithmically, and a squared
    /// curve makes equal steps of the slider sound like equal steps.
    static float linearVolume(int percent);
    int volume() const { return m_volume; }
    void setOutputDevice(const QByteArray& id);

    PlayerBackend::State state() const { return m_state; }
    qint64 position() const { return m_position; }
    qint64 duration() const;

signals:
    void takeLoaded(const QString& takeId);
    void stateChanged(PlayerBackend::State state);
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    /// A loop started (playLoop) or ended (stopLoop, load, stop, a seek out of it, or a failure to play it).
    void loopingRegionChanged(bool looping);
    void failed(const QString& message);
    /// The volume changed, from the window's slider or from the desktop's media controls.
    void volumeChanged(int percent);

private:
    /// The take's file from `startMs`, the source replaced without stopping first (which would cost a second state
    /// change).
    void openTake(qint64 startMs, bool autoPlay);
    /// Out of the loop, into the take at `startMs` (or, with no take loaded, stopped).
    void backToTake(qint64 startMs, bool autoPlay);
    /// Forgets the loop (the backend's source is replaced next).
    void leaveLoop();
    /// Where a position of the backend's loop stream lies in the take.
    qint64 inTake(qint64 loopStreamMs) const;

    PlayerBackend* m_backend;
    QString m_takeId;
    QString m_audioPath;
    qint64 m_takeDuration = 0; ///< as the backend last said while playing the take
    double m_loopMs = 0;       ///< the loop's exact length; 0: no loop
    qint64 m_loopOffset = 0;   ///< where the loop's region begins in the take
    PlayerBackend::State m_state = PlayerBackend::State::Stopped;
    qint64 m_position = 0;
    int m_volume = 80;
    bool m_loop = false;
};
