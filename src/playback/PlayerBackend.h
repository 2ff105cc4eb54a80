#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

/// What playback needs from an audio engine. The app uses MediaPlayerBackend (Qt Multimedia); tests use a fake,
/// so the playback logic in Player is tested without a sound card.
class PlayerBackend : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Stopped,
        Playing,
        Paused
    };
    Q_ENUM(State)

    using QObject::QObject;

    virtual void setSource(const QUrl& source) = 0;
    /// Plays `wav`, a whole PCM WAV file in memory, round and round in place of the source, with no gap where its
    /// end leads back into its start; the position counts on across the wraps. Until the next setSource or
    /// setLoopSource. A backend that cannot play from memory says so through failed().
    virtual void setLoopSource(const QByteArray& wav)
    {
        Q_UNUSED(wav);
        emit failed(tr("This player cannot loop a region. Play the whole take with Loop instead."));
    }
    virtual void play() = 0;
    virtual void pause() = 0;
    virtual void stop() = 0;
    /// Right after setSource, the position is taken once the source has loaded: playing starts there.
    virtual void setPosition(qint64 ms) = 0;
    virtual qint64 position() const = 0;
    virtual qint64 duration() const = 0;
    virtual void setVolume(float volume) = 0;               ///< 0..1, linear
    virtual void setOutputDevice(const QByteArray& id) = 0; ///< empty: the system default

signals:
    void stateChanged(PlayerBackend::State state);
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    void reachedEnd();
    void failed(const QString& message);
};
