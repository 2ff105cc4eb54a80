#pragma once

#include "PulseNullSink.h"
#include "audio/AudioCodec.h"
#include "model/TextUtils.h"

#include <QFile>
#include <QTest>

#include <functional>
#include <optional>
#include <vector>

/// What the null sink heard (mono, at `sampleRate`, kept in `wavPath`) while `play` started playing: recorded until
/// `seconds` after it were on disk, then on until `done` says so (checked as the event loop runs). Nothing, with
/// `whyNot`, when the recording failed or `done` never said so within 20 s. Needs a started PulseNullSink.
inline std::optional<std::vector<float>> recordPlayback(const QString& wavPath, int sampleRate,
                                                        const std::function<void()>& play, double seconds,
                                                        const std::function<bool()>& done, QString* whyNot = nullptr)
{
    using namespace Qt::StringLiterals;
    QFile::remove(wavPath); // what is on disk counts as recorded: none of it may be an earlier recording
    MonitorRecording recording(wavPath, sampleRate);
    if (!recording.start(whyNot))
        return std::nullopt;
    const double begin = recording.secondsRecorded();
    play();
    const bool recorded =
        QTest::qWaitFor([&] { return recording.secondsRecorded() > begin + seconds; }, int(seconds * 2000) + 20000);
    const bool finished = recorded && QTest::qWaitFor(done, 20000);
    if (!recording.stop(whyNot))
        return std::nullopt;
    if (!finished) {
        setError(whyNot, recorded ? u"what was played did not finish within 20 s"_s
                                  : u"parec recorded only %1 s"_s.arg(recording.secondsRecorded()));
        return std::nullopt;
    }
    QFile file(wavPath);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(whyNot, file.errorString());
        return std::nullopt;
    }
    std::optional<AudioCodec::Decoded> heard = AudioCodec::decode(file.readAll(), whyNot);
    if (!heard)
        return std::nullopt;
    return std::move(heard->samples);
}
