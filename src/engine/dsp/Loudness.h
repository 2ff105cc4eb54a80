#pragma once

#include <cstddef>
#include <vector>

namespace engine {

/// Loudness and peak measurement after ITU-R BS.1770-4 / EBU R 128, for mono signals.
class Loudness
{
public:
    /// Integrated loudness in LUFS (see LoudnessMeter); -200 for silence or clips shorter than one block.
    /// With `stride` > 1 only every stride-th sample is read, as a signal at sampleRate / stride: a quick estimate for
    /// balancing, not a measurement.
    static double integratedLufs(const float* samples, std::size_t count, int sampleRate, std::size_t stride = 1);

    /// For each sample n, the largest magnitude the signal reaches between samples n and n+1: the true-peak estimate
    /// of BS.1770 Annex 2 (4x oversampling with a 16-tap windowed sinc), with every local maximum refined by a
    /// parabola, which brings it within a few hundredths of a dB of a 32x measurement. Per sample, so a limiter can
    /// use it.
    static std::vector<float> peakEnvelope(const float* samples, std::size_t count);

    /// The largest value of peakEnvelope(), linear.
    static double truePeak(const float* samples, std::size_t count);
};

} // namespace engine
