#include "analysis/LoudnessMeter.h"

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
    const std::unique_ptr<ebur128_state, StateFree> state(ebur128_init(static_cast<unsigned>(channels),
                                                                       static_cast<unsigned long>(sampleRate),
                                                                       EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
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
    double peak = 0;
    for (int c = 0; c < channels; ++c) {
        double channelPeak = 0;
        if (ebur128_true_peak(state.get(), unsigned(c), &channelPeak) == EBUR128_SUCCESS)
            peak = std::max(peak, channelPeak);
    }
    result.valid = true;
    result.integratedLufs = lufs;
    result.truePeakDbtp = peak > 0 ? 20 * std::log10(peak) : -HUGE_VAL;
    return result;
}

} // namespace analysis
