#pragma once

#include "playback/MixOutput.h"

#include <QThread>

#include <atomic>

/// A comparison heard through Qt Multimedia's QAudioSink, fed on a thread of its own: every TickMs the sink's free
/// space is filled from the mixer, so no more than the sink's buffer lies between a switch and its sound. (Qt 6.4's
/// QMediaPlayer cannot do that: its GStreamer pipeline keeps about 110 ms in the sound server for every stream, and
/// a change of volume waits behind all of it.)
///
/// The buffer starts small. A machine too busy to keep it filled lets it run dry, which is heard as a click; after
/// the second time within UnderrunWindowMs the buffer doubles (the sink is opened again, a break of a few
/// milliseconds), up to MaxBufferMs, and stays so for every later comparison: a switch heard a little later rather
/// than a comparison that crackles.
///
/// A sink that stops by itself, or takes no samples for LostAfterMs (its device unplugged, the sound server
/// restarted, the stream killed), is reported through failed(); the next start() opens a new one.
class SinkMixOutput final : public MixOutput
{
    Q_OBJECT

public:
    /// What the sink is asked to buffer at first. The sound server grants about three quarters of it.
    static constexpr int DefaultBufferMs = 20;
    static constexpr int MaxBufferMs = 160;
    static constexpr int UnderrunWindowMs = 10000;
    /// How often the sink is topped up: well inside the buffer, so a late tick or two is not heard.
    static constexpr int TickMs = 4;
    /// A sink that takes no samples for this long has lost its stream (long enough for a Bluetooth headset that
    /// is woken to start).
    static constexpr int LostAfterMs = 3000;

    explicit SinkMixOutput(int bufferMs = DefaultBufferMs, QObject* parent = nullptr);
    ~SinkMixOutput() override;

    void start(CompareMixer* mixer, const QByteArray& deviceId) override;
    void stop() override;
    qint64 queuedFrames() const override { return m_queued.load(); }
    /// The buffer asked of the sink now: more than at first once the machine could not keep it filled.
    int bufferMs() const { return m_bufferMs.load(); }

private:
    class Feeder;

    QThread m_thread;
    Feeder* m_feeder = nullptr; ///< lives on m_thread
    std::atomic<int> m_bufferMs;
    std::atomic<qint64> m_queued{0};
};
