#pragma once

#include "playback/PlayerBackend.h"

#include <QStringList>
#include <QUrl>

/// A player backend without a sound card: it records what it was asked and plays instantly in silence. The test
/// plays the engine's part: playTo() and playToEnd() report what a playing take would.
class FakePlayerBackend final : public PlayerBackend
{
public:
    QUrl source;
    State current = State::Stopped;
    qint64 pos = 0;
    qint64 length = 10000; ///< the take's length, reported once a source is set
    int playCount = 0;
    float volume = -1; ///< as last set, 0..1; -1: never set
    QByteArray device;
    QByteArray loopSource; ///< the loop last asked for (setLoopSource)
    /// Every request in order: "source", "loop", "play", "pause", "stop", "seek 1200", "volume", "device".
    QStringList calls;

    void setSource(const QUrl& url) override
    {
        note("source");
        source = url;
        emit durationChanged(length);
    }
    /// A loop to play round and round: kept as asked, in place of the source.
    void setLoopSource(const QByteArray& wav) override
    {
        note("loop");
        loopSource = wav;
    }
    void play() override
    {
        note("play");
        ++playCount;
        current = State::Playing;
        emit stateChanged(current);
    }
    void pause() override
    {
        note("pause");
        current = State::Paused;
        emit stateChanged(current);
    }
    void stop() override
    {
        note("stop");
        current = State::Stopped;
        emit stateChanged(current);
    }
    void setPosition(qint64 ms) override
    {
        calls << QStringLiteral("seek %1").arg(ms);
        pos = ms;
        emit positionChanged(ms);
    }
    qint64 position() const override { return pos; }
    qint64 duration() const override { return length; }
    void setVolume(float linear) override
    {
        note("volume");
        volume = linear;
    }
    void setOutputDevice(const QByteArray& id) override
    {
        note("device");
        device = id;
    }

    /// The take has played up to `ms`.
    void playTo(qint64 ms)
    {
        pos = ms;
        emit positionChanged(ms);
    }
    /// The take has played to its end and stopped there.
    void playToEnd()
    {
        playTo(length);
        current = State::Stopped;
        emit stateChanged(current);
        emit reachedEnd();
    }

private:
    void note(const char* request) { calls << QString::fromLatin1(request); }
};
