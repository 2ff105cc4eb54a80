#include "analysis/LoudnessMeter.h"

#include "engine/dsp/Loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace analysis {

namespace {

struct StateFree
{
    void operator()(ebur128_state* state) const { ebur128_destroy(&state); }
};

} // namespace

Loudness meterLoudness(const float* interleaved, std::size_t frames, int channels, int sampleRate)
{
    Loudness result;
    if (interleaved == nullptr || frames == 0 || channels <= 0 || sampleRate <= 0)
        return result;
    const std::unique_ptr<ebur128_state, StateFree> state(
        ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(sampleRate), EBUR128_MODE_I));
    if (!state)
        return result;
    // A sample that is not a number would stop the meter's filters for good; read such samples as silence.
    const std::size_t count = frames * std::size_t(channels);
    std::vector<float> cleaned;
    if (!std::all_of(interleaved, interleaved + count, [](float s) { return std::isfinite(s); })) {
        cleaned.assign(interleaved, interleaved + count);
        for (float& sample : cleaned)
            sample = std::isfinite(sample) ? sample : 0.0F;
        interleaved = cleaned.data();
    }
    if (ebur128_add_frames_float(state.get(), interleaved, frames) != EBUR128_SUCCESS)
        return result;

    double lufs = 0;
    if (ebur128_loudness_global(state.get(), &lufs) != EBUR128_SUCCESS || !std::isfinite(lufs))
        return result;
    // The true peak comes from the engine's meter, which limits the sketches by it: libebur128's interpolator took
    // two thirds of a whole analysis, and the engine's reads within a few hundredths of a dB of a 32x measurement.
    double peak = 0;
    if (channels == 1) {
        peak = engine::Loudness::truePeak(interleaved, frames);
    } else {
        std::vector<float> channel(frames);
        for (int c = 0; c < channels; ++c) {
            for (std::size_t i = 0; i < frames; ++i)
                channel[i] = interleaved[i * std::size_t(channels) + std::size_t(c)];
            peak = std::max(peak, engine::Loudness::truePeak(channel.data(), frames));
        }
    }
    result.valid = true;
    result.integratedLufs = lufs;
    result.truePeakDbtp = peak > 0 ? 20 * std::log10(peak) : -HUGE_VAL;
    return result;
}

} // namespace analysis
