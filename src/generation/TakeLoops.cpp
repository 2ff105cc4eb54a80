#include "generation/TakeLoops.h"

#include "analysis/Analyser.h"
#include "analysis/TakeAnalysis.h"
#include "audio/AudioLoop.h"
#include "model/TextUtils.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TakeLoops", text);
}

} // namespace

namespace TakeLoops {

std::optional<Loop> make(const Take& parent, const QByteArray& parentAudio, int bars, int startBar, QString* error)
{
    QElapsedTimer clock;
    clock.start();
    if (!(parent.tempo() > 0)) {
        setError(error, parent.analysisVersion == 0
                            ? tr("take %1 has no tempo yet: wait for its analysis (musicgen-cli analyze %1 runs it "
                                 "now), then cut the loop")
                                  .arg(parent.id)
                            : tr("take %1 has no tempo: its analysis found no steady pulse, so it has no bars to cut")
                                  .arg(parent.id));
        return std::nullopt;
    }
    QString why;
    const std::optional<AudioCodec::Decoded> decoded = AudioCodec::decode(parentAudio, &why);
    if (!decoded) {
        setError(error, tr("the audio of take %1 cannot be read: %2").arg(parent.id, why));
        return std::nullopt;
    }
    const AudioLoop::Bars which{parent.tempo(), parent.downbeatSeconds, bars, startBar};
    const std::optional<AudioCodec::Decoded> loop = AudioLoop::cut(*decoded, which, &why);
    if (!loop) {
        setError(error, why);
        return std::nullopt;
    }
    std::optional<QByteArray> wav = AudioLoop::toWav(*loop, {which.bpm, which.beats(), parent.key()}, &why);
    if (!wav) {
        setError(error, tr("the loop could not be written as WAV: %1").arg(why));
        return std::nullopt;
    }

    MusicAnalysis found = parent.analysis();
    found.version = TakeAnalysis::Version;
    found.downbeatSeconds = 0;
    const std::size_t frames = loop->samples.size() / std::size_t(loop->channels);
    const analysis::Loudness loudness =
        analysis::measureLoudness(loop->samples.data(), frames, loop->channels, loop->sampleRate);
    found.loudnessLufs = loudness.valid ? std::optional(loudness.integratedLufs) : std::nullopt;
    found.truePeakDbtp = loudness.valid ? std::optional(loudness.truePeakDbtp) : std::nullopt;

    Loop made;
    Take& recipe = made.recipe;
    recipe.prompt = parent.prompt;
    recipe.requestedDuration = std::max(1, int(std::lround(which.seconds())));
    recipe.seed = parent.seed;
    recipe.provider = u"loop"_s;
    recipe.endpoint = u"built-in"_s;
    recipe.model = parent.model;
    recipe.attempts = 1;
    recipe.setAnalysis(TakeAnalysis::withinRange(found));
    recipe.bpmByUser = parent.bpmByUser;
    recipe.parentId = parent.id;
    recipe.loopStartBar = startBar;
    recipe.loopBars = bars;
    recipe.generationMs = clock.elapsed();
    made.wav = std::move(*wav);
    return made;
}

} // namespace TakeLoops
