#include "analysis/Analyser.h"

#include "analysis/KeyDetector.h"
#include "analysis/LoudnessMeter.h"
#include "analysis/Spectrum.h"
#include "analysis/TempoDetector.h"
#include "engine/SketchEngine.h"

#include <algorithm>
#include <cmath>

namespace analysis {

namespace {

/// Below about -100 dBFS everywhere there is nothing to analyse: say so rather than read noise.
constexpr float SilenceLevel = 1e-5F;

bool isSilent(const std::vector<float>& samples)
{
    return !samples.empty() &&
           std::none_of(samples.begin(), samples.end(), [](float s) { return std::abs(s) > SilenceLevel; });
}

Tempo tempoOf(const AnalysisSignal& signal, const Prior& prior)
{
    if (isSilent(signal.samples)) {
        Tempo tempo;
        tempo.reason = "silent";
        return tempo;
    }
    return findTempo(onsetSpectrogram(signal), prior);
}

Key keyOf(const AnalysisSignal& signal, const Prior& prior)
{
    if (isSilent(signal.samples)) {
        Key key;
        key.reason = "silent";
        return key;
    }
    return findKey(keySpectrogram(signal), prior);
}

} // namespace

Prior priorFromPrompt(std::string_view prompt)
{
    const engine::PromptTraits asked = engine::readPrompt(prompt);
    return {.bpm = asked.bpm,
            .keyRoot = asked.keyRoot,
            .keyMode = asked.keyMode,
            .usualBpm = asked.genre.empty() ? 0.0 : engine::usualBpm(asked.genre)};
}

Result analyse(const float* interleaved, std::size_t frames, int channels, int sampleRate, const Prior& prior)
{
    const AnalysisSignal signal = prepareSignal(interleaved, frames, channels, sampleRate);
    Result result;
    result.tempo = tempoOf(signal, prior);
    result.key = keyOf(signal, prior);
    result.loudness = meterLoudness(interleaved, frames, channels, sampleRate);
    return result;
}

Tempo detectTempo(const float* mono, std::size_t frames, int sampleRate, const Prior& prior)
{
    return tempoOf(prepareSignal(mono, frames, 1, sampleRate), prior);
}

Key detectKey(const float* mono, std::size_t frames, int sampleRate, const Prior& prior)
{
    return keyOf(prepareSignal(mono, frames, 1, sampleRate), prior);
}

Loudness measureLoudness(const float* interleaved, std::size_t frames, int channels, int sampleRate)
{
    return meterLoudness(interleaved, frames, channels, sampleRate);
}

} // namespace analysis
