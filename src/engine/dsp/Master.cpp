#include "engine/dsp/Master.h"

#include "engine/SketchTypes.h"
#include "engine/dsp/DetMath.h"
#include "engine/dsp/Limiter.h"
#include "engine/dsp/Loudness.h"
#include "engine/dsp/LoudnessMeter.h"

#include <algorithm>
#include <cmath>

namespace engine {

namespace {

/// Other meters oversample differently (ffmpeg's ebur128 goes to 192 kHz); a little margin keeps the true peak
/// under the ceiling by their measure too.
constexpr double CeilingMarginDb = 0.3;

} // namespace

std::vector<std::int16_t> Master::finish(std::vector<float> mix, int sampleRate)
{
    std::vector<std::int16_t> pcm(mix.size(), 0);
    if (mix.empty())
        return pcm;
    const double ceiling = dmath::dbToGain(TruePeakCeilingDb - CeilingMarginDb);
    const Limiter limiter(Loudness::peakEnvelope(mix.data(), mix.size()), sampleRate);
    const double measured = Loudness::integratedLufs(mix.data(), mix.size(), sampleRate);
    double gain = measured > -70.0 ? dmath::dbToGain(TargetLoudnessLufs - measured) : 1.0;
    // Limiting takes some loudness away again, so converge on the target in a few rounds, measuring on the fly.
    for (int round = 0; round < 5 && measured > -70.0; ++round) {
        LoudnessMeter meter(sampleRate);
        limiter.apply(mix, gain, ceiling, [&](std::size_t, float value) { meter.add(value); });
        const double loudness = meter.integratedLufs();
        const double error = TargetLoudnessLufs - loudness;
        if (std::fabs(error) < 0.08 || loudness <= -70.0)
            break;
        gain *= dmath::dbToGain(std::min(error * (round == 0 ? 1.0 : 1.3), 12.0));
    }
    limiter.apply(mix, gain, ceiling, [&](std::size_t n, float value) { mix[n] = value; });
    const double peak = Loudness::truePeak(mix.data(), mix.size());
    const double trim = peak > ceiling ? ceiling / peak : 1.0;
    for (std::size_t n = 0; n < mix.size(); ++n) {
        const double value = dmath::roundHalfAway(static_cast<double>(mix[n]) * trim * 32767.0);
        pcm[n] = static_cast<std::int16_t>(std::clamp(value, -32768.0, 32767.0));
    }
    return pcm;
}

} // namespace engine
