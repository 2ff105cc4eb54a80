#include "playback/SinkMixOutput.h"

#include "playback/CompareMixer.h"
#include "playback/OutputDevice.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimer>

#include <vector>

Q_LOGGING_CATEGORY(lcMixOutput, "musicgen.compare.output")

/// The sink and its timer, on the output's thread.
class SinkMixOutput::Feeder final : public QObject
{
public:
    Feeder(SinkMixOutput* output, std::atomic<int>& bufferMs, std::atomic<qint64>& queued)
        : m_output(output), m_bufferMs(bufferMs), m_queued(queued)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &Feeder::topUp);
    }

    void start(CompareMixer* mixer, const QByteArray& deviceId)
    {
        stop();
        const QAudioDevice device = OutputDevice::find(deviceId);
        if (device.isNull()) {
            fail(SinkMixOutput::tr("No sound output was found. Connect speakers or headphones, or choose an output in "
                                   "Settings, then compare again."));
            return;
        }
        QAudioFormat format;
        format.setSampleRate(mixer->sampleRate());
        format.setChannelCount(mixer->channels());
        format.setSampleFormat(QAudioFormat::Float);
        m_sink = new QAudioSink(device, format, this);
        m_sink->setBufferSize(format.bytesForDuration(qint64(m_bufferMs) * 1000));
        m_device = m_sink->start();
        if (!m_device || m_sink->error() != QAudio::NoError) {
            stop();
            fail(SinkMixOutput::tr(
                     "%1 cannot play the comparison. Choose another output in Settings, then compare again.")
                     .arg(device.description()));
            return;
        }
        m_mixer = mixer;
        m_deviceId = deviceId;
        m_deviceName = device.description();
        connect(m_sink, &QAudioSink::stateChanged, this, &Feeder::onStateChanged);
        m_sinceTaken.start();
        topUp();
        m_timer.start(TickMs);
    }

    void stop()
    {
        m_timer.stop();
        m_fed = false;
        m_mixer = nullptr;
        m_device = nullptr;
        if (m_sink) {
            m_sink->disconnect(this);
            m_sink->stop();
            delete m_sink;
            m_sink = nullptr;
        }
        m_queued = 0;
    }

private:
    /// Says what went wrong, from the output on its owner's thread.
    void fail(const QString& message)
    {
        QMetaObject::invokeMethod(m_output, [output = m_output, message] { emit output->failed(message); });
    }

    void topUp()
    {
        if (!m_sink || !m_mixer)
            return;
        const QAudioFormat format = m_sink->format();
        const int frameBytes = format.bytesPerFrame();
        const qint64 free = m_sink->bytesFree();
        // All of the buffer free at a top-up: the sound server played everything before this came, and there was
        // a gap. Qt 6.4's sink reports an underflow as idle only once it has drained, which most gaps never reach.
        if (std::exchange(m_fed, true) && free >= m_sink->bufferSize() && m_mixer->isPlaying() && ranDry())
            return; // opened again, and fed, with a larger buffer
        const qint64 frames = free / frameBytes;
        // Playing takes the samples away all the time. A sink that takes none for LostAfterMs has lost its stream
        // (Qt 6.4 only logs a stream the sound server killed), which no amount of waiting brings back.
        if (frames == 0 && m_sinceTaken.elapsed() > LostAfterMs) {
            lost();
            return;
        }
        if (frames > 0) {
            m_sinceTaken.start();
            m_buffer.resize(size_t(frames * format.channelCount()));
            m_mixer->render(m_buffer.data(), frames);
            m_device->write(reinterpret_cast<const char*>(m_buffer.data()), frames * frameBytes);
        }
        m_queued = std::max<qint64>(0, m_sink->bufferSize() - m_sink->bytesFree()) / frameBytes;
    }

    void onStateChanged(QAudio::State state)
    {
        // Only stop() stops the sink, and it stops listening first: a sink that stops by itself lost its device
        // (unplugged, the sound server restarted).
        if (state == QAudio::StoppedState || m_sink->error() == QAudio::OpenError ||
            m_sink->error() == QAudio::FatalError)
            lost();
    }

    /// The sink can play no more: said, and let go of (the next start() opens a new one).
    void lost()
    {
        QMetaObject::invokeMethod(this, &Feeder::stop, Qt::QueuedConnection); // not within one of the sink's signals
        m_timer.stop();
        m_mixer = nullptr;
        fail(SinkMixOutput::tr("%1 stopped playing the comparison. Press Space to play it again, or choose another "
                               "output in Settings.")
                 .arg(m_deviceName));
    }

    /// The sound ran dry: heard as a click. The second time within UnderrunWindowMs, the sink is opened again with
    /// twice the buffer; returns whether it was.
    bool ranDry()
    {
        const bool again = m_sinceDry.isValid() && m_sinceDry.elapsed() <= UnderrunWindowMs;
        m_sinceDry.start();
        if (!again || m_bufferMs >= MaxBufferMs)
            return false;
        m_sinceDry.invalidate();
        m_bufferMs = std::min(MaxBufferMs, m_bufferMs * 2);
        qCInfo(lcMixOutput, "The comparison's sound ran dry twice in %d s; its buffer is now %d ms.",
               UnderrunWindowMs / 1000, m_bufferMs.load());
        start(m_mixer, m_deviceId);
        return true;
    }

    SinkMixOutput* m_output; ///< lives on its owner's thread, and outlives the feeder
    std::atomic<int>& m_bufferMs;
    std::atomic<qint64>& m_queued;
    QTimer m_timer{this}; // a child, so it moves to the output's thread with its feeder
    QAudioSink* m_sink = nullptr;
    QIODevice* m_device = nullptr; ///< the sink's, while it runs
    CompareMixer* m_mixer = nullptr;
    QByteArray m_deviceId;
    QString m_deviceName;
    QElapsedTimer m_sinceTaken; ///< since the sink last took samples
    QElapsedTimer m_sinceDry;   ///< since the sound last ran dry
    bool m_fed = false;         ///< the sink has had its first samples
    std::vector<float> m_buffer;
};

SinkMixOutput::SinkMixOutput(int bufferMs, QObject* parent) : MixOutput(parent), m_bufferMs(bufferMs)
{
    m_thread.setObjectName(QStringLiteral("compare output"));
}

SinkMixOutput::~SinkMixOutput()
{
    if (!m_feeder)
        return;
    QMetaObject::invokeMethod(m_feeder, &Feeder::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_feeder;
}

void SinkMixOutput::start(CompareMixer* mixer, const QByteArray& deviceId)
{
    if (!m_feeder) {
        // Made with the first comparison: an app that never compares has no thread for it.
        m_feeder = new Feeder(this, m_bufferMs, m_queued);
        m_feeder->moveToThread(&m_thread);
        m_thread.start(QThread::TimeCriticalPriority);
    }
    QMetaObject::invokeMethod(m_feeder, [feeder = m_feeder, mixer, deviceId] { feeder->start(mixer, deviceId); });
}

void SinkMixOutput::stop()
{
    if (m_feeder)
        QMetaObject::invokeMethod(m_feeder, &Feeder::stop);
}
