#include "playback/SinkMixOutput.h"

#include "playback/CompareMixer.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMediaDevices>
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
        QAudioDevice device = QMediaDevices::defaultAudioOutput();
        for (const QAudioDevice& output : QMediaDevices::audioOutputs()) {
            if (!deviceId.isEmpty() && output.id() == deviceId)
                device = output;
        }
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
        connect(m_sink, &QAudioSink::stateChanged, this,
                [this, name = device.description()](QAudio::State state) { onStateChanged(state, name); });
        topUp();
        m_timer.start(TickMs);
    }

    void stop()
    {
        m_timer.stop();
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
        const qint64 frames = m_sink->bytesFree() / frameBytes;
        if (frames > 0) {
            m_buffer.resize(size_t(frames * format.channelCount()));
            m_mixer->render(m_buffer.data(), frames);
            m_device->write(reinterpret_cast<const char*>(m_buffer.data()), frames * frameBytes);
        }
        m_queued = std::max<qint64>(0, m_sink->bufferSize() - m_sink->bytesFree()) / frameBytes;
    }

    void onStateChanged(QAudio::State state, const QString& deviceName)
    {
        if (m_sink->error() == QAudio::OpenError || m_sink->error() == QAudio::FatalError) {
            // A device unplugged or taken away while the comparison plays: say so rather than go on in silence.
            stop();
            fail(SinkMixOutput::tr("%1 stopped playing the comparison. Choose another output in Settings, then compare "
                                   "again.")
                     .arg(deviceName));
            return;
        }
        // The sink idles only when it ran dry: it is fed silence while the comparison is paused.
        if (state != QAudio::IdleState || m_bufferMs >= MaxBufferMs)
            return;
        if (!m_sinceUnderrun.isValid() || m_sinceUnderrun.restart() > UnderrunWindowMs) {
            m_sinceUnderrun.start();
            return;
        }
        m_sinceUnderrun.invalidate();
        m_bufferMs = std::min(MaxBufferMs, m_bufferMs * 2);
        qCInfo(lcMixOutput, "The comparison's sound ran dry twice in %d s; its buffer is now %d ms.",
               UnderrunWindowMs / 1000, m_bufferMs.load());
        // Not from within the sink's own signal: it is about to be deleted.
        QMetaObject::invokeMethod(
            this,
            [this, mixer = m_mixer] {
                if (m_mixer == mixer) // not stopped meanwhile
                    start(mixer, m_deviceId);
            },
            Qt::QueuedConnection);
    }

    SinkMixOutput* m_output; ///< lives on its owner's thread, and outlives the feeder
    std::atomic<int>& m_bufferMs;
    std::atomic<qint64>& m_queued;
    QTimer m_timer{this}; // a child, so it moves to the output's thread with its feeder
    QAudioSink* m_sink = nullptr;
    QIODevice* m_device = nullptr; ///< the sink's, while it runs
    CompareMixer* m_mixer = nullptr;
    QByteArray m_deviceId;
    QElapsedTimer m_sinceUnderrun; ///< since the last time the sink ran dry
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
