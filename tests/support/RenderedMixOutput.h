#pragma once

#include "playback/CompareMixer.h"
#include "playback/MixOutput.h"

#include <QStringList>

#include <vector>

/// A comparison's output that renders the mixer only when a test asks, as a sound device would: the samples
/// rendered are the comparison's real mix, and what the device would still hold is set by hand.
class RenderedMixOutput final : public MixOutput
{
public:
    using MixOutput::MixOutput;

    void start(CompareMixer* mixer, const QByteArray& deviceId) override
    {
        m_mixer = mixer;
        calls << QStringLiteral("start ") + QString::fromUtf8(deviceId);
        if (!failWith.isEmpty())
            emit failed(failWith);
    }
    void stop() override
    {
        m_mixer = nullptr;
        calls << QStringLiteral("stop");
    }
    qint64 queuedFrames() const override { return queued; }

    bool isRunning() const { return m_mixer != nullptr; }
    /// `ms` of the mix, channels interleaved, as the device would take them.
    std::vector<float> render(int ms)
    {
        if (!m_mixer)
            return {};
        const qint64 frames = qint64(ms) * m_mixer->sampleRate() / 1000;
        std::vector<float> samples(size_t(frames * m_mixer->channels()));
        m_mixer->render(samples.data(), frames);
        return samples;
    }

    QStringList calls; ///< "start <device id>", "stop"
    QString failWith;  ///< start() fails with this message when set
    qint64 queued = 0; ///< what the device holds

private:
    CompareMixer* m_mixer = nullptr;
};
