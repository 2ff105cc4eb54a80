#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class CompareMixer;

/// Where a comparison is heard: renders the mixer as the sound device asks for it. The app uses SinkMixOutput (a
/// QAudioSink on a thread of its own); tests render by hand, so the comparison is tested without a sound card.
class MixOutput : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Starts rendering `mixer` (in its rate and channels) to `deviceId` (empty: the system default), in place of
    /// whatever was rendered before. A device that cannot be opened is reported through failed().
    virtual void start(CompareMixer* mixer, const QByteArray& deviceId) = 0;
    /// Stops rendering and lets go of the device.
    virtual void stop() = 0;
    /// How many frames rendered from the mixer are still on their way to being heard: the device's buffer.
    virtual qint64 queuedFrames() const = 0;

signals:
    void failed(const QString& message);
};
