#pragma once

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
    virtual void play() = 0;
    virtual void pause() = 0;
    virtual void stop() = 0;
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
