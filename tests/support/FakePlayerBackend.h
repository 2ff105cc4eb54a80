#pragma once

#include "playback/PlayerBackend.h"

#include <QStringList>
#include <QUrl>

/// A player backend without a sound card: it records what it was asked and plays instantly in silence.
class FakePlayerBackend final : public PlayerBackend
{
public:
    QUrl source;
    State current = State::Stopped;
    qint64 pos = 0;
    int playCount = 0;

    void setSource(const QUrl& url) override
    {
        source = url;
        emit durationChanged(10000);
    }
    void play() override
    {
        ++playCount;
        current = State::Playing;
        emit stateChanged(current);
    }
    void pause() override
    {
        current = State::Paused;
        emit stateChanged(current);
    }
    void stop() override
    {
        current = State::Stopped;
        emit stateChanged(current);
    }
    void setPosition(qint64 ms) override
    {
        pos = ms;
        emit positionChanged(ms);
    }
    qint64 position() const override { return pos; }
    qint64 duration() const override { return 10000; }
    void setVolume(float) override {}
    void setOutputDevice(const QByteArray&) override {}
};
