#include "analysis/Spectrum.h"

#include <kissfft/kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

namespace analysis {

namespace {

/// The detectors' rate: high enough for chroma up to about 5 kHz, low enough to keep a 30 s take cheap.
constexpr double TargetRate = 11000;
/// Filter taps per unit of the decimation factor: about 40 dB of alias rejection from 0.6 of the new rate on.
constexpr int TapsPerFactor = 24;
/// Samples beyond this are damage, not audio.
constexpr float MaxLevel = 16;

std::vector<float> lowPass(int factor)
{
    const int taps = TapsPerFactor * factor + 1;
    const double cutoff = 0.42 / factor; // cycles per input sample: passes to 0.42 of the new rate
    std::vector<float> h(std::size_t(taps), 0.0F);
    const int half = taps / 2;
    double sum = 0;
    for (int i = 0; i < taps; ++i) {
        const double n = i - half;
        const double sinc = n == 0 ? 2 * cutoff : std::sin(2 * std::numbers::pi * cutoff * n) / (std::numbers::pi * n);
        const double phase = 2 * std::numbers::pi * i / (taps - 1);
        const double blackman = 0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2 * phase);
        h[std::size_t(i)] = float(sinc * blackman);
        sum += sinc * blackman;
    }
    for (float& tap : h)
        tap = float(tap / sum);
    return h;
}

struct FftrFree
{
    void operator()(kiss_fftr_state* cfg) const { kiss_fftr_free(cfg); }
};

} // namespace

AnalysisSignal prepareSignal(const float* interleaved, std::size_t frames, int channels, int sampleRate)
{
    AnalysisSignal result;
    if (interleaved == nullptr || frames == 0 || channels <= 0 || sampleRate <= 0)
        return result;
    std::vector<float> mono(frames);
    const float scale = 1.0F / float(channels);
    for (std::size_t i = 0; i < frames; ++i) {
        float sum = 0;
        for (int c = 0; c < channels; ++c)
            sum += interleaved[i * std::size_t(channels) + std::size_t(c)];
        // What is not a number is silence, and nothing is louder than far past full scale.
        mono[i] = std::isfinite(sum) ? std::clamp(sum * scale, -MaxLevel, MaxLevel) : 0.0F;
    }

    const int factor = std::max(1, int(std::lround(sampleRate / TargetRate)));
    result.sampleRate = double(sampleRate) / factor;
    if (factor == 1) {
        result.samples = std::move(mono);
        return result;
    }
    const std::vector<float> h = lowPass(factor);
    const auto taps = std::ptrdiff_t(h.size());
    const std::ptrdiff_t half = taps / 2;
    const auto length = std::ptrdiff_t(frames);
    result.samples.resize(std::size_t((length + factor - 1) / factor));
    for (std::size_t n = 0; n < result.samples.size(); ++n) {
        const std::ptrdiff_t start = std::ptrdiff_t(n) * factor - half;
        float sum = 0;
        if (start >= 0 && start + taps <= length) {
            // Eight running sums, so the compiler can keep them in one vector register.
            const float* x = mono.data() + start;
            float lanes[8] = {};
            std::ptrdiff_t j = 0;
            for (; j + 8 <= taps; j += 8) {
                for (int lane = 0; lane < 8; ++lane)
                    lanes[lane] += x[j + lane] * h[std::size_t(j + lane)];
            }
            for (; j < taps; ++j)
                sum += x[j] * h[std::size_t(j)];
            for (const float lane : lanes)
                sum += lane;
        } else {
            for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(0, -start); j < taps && start + j < length; ++j)
                sum += mono[std::size_t(start + j)] * h[std::size_t(j)];
        }
        result.samples[n] = sum;
    }
    return result;
}

Spectrogram::Spectrogram(const std::vector<float>& signal, double sampleRate, int frameSize, int hop)
    : m_sampleRate(sampleRate), m_frameSize(frameSize), m_hop(hop), m_bins(frameSize / 2 + 1)
{
    if (signal.empty() || frameSize < 2 || hop < 1)
        return;
    const auto length = std::ptrdiff_t(signal.size());
    m_frames = int((length - 1) / hop) + 1;
    m_magnitudes.resize(std::size_t(m_frames) * std::size_t(m_bins));

    std::vector<float> window(std::size_t(frameSize), 0.0F);
    double windowSum = 0;
    for (int i = 0; i < frameSize; ++i) {
        window[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2 * std::numbers::pi * i / frameSize));
        windowSum += window[std::size_t(i)];
    }
    const auto scale = float(2.0 / windowSum);

    const std::unique_ptr<kiss_fftr_state, FftrFree> cfg(kiss_fftr_alloc(frameSize, 0, nullptr, nullptr));
    std::vector<float> input(static_cast<std::size_t>(frameSize));
    std::vector<kiss_fft_cpx> output(static_cast<std::size_t>(m_bins));
    for (int f = 0; f < m_frames; ++f) {
        const std::ptrdiff_t start = std::ptrdiff_t(f) * hop - frameSize / 2;
        for (std::ptrdiff_t i = 0; i < frameSize; ++i) {
            const std::ptrdiff_t at = start + i;
            input[std::size_t(i)] = at >= 0 && at < length ? signal[std::size_t(at)] * window[std::size_t(i)] : 0.0F;
        }
        kiss_fftr(cfg.get(), input.data(), output.data());
        float* magnitudes = m_magnitudes.data() + std::size_t(f) * std::size_t(m_bins);
        for (int k = 0; k < m_bins; ++k) {
            const kiss_fft_cpx& c = output[std::size_t(k)];
            magnitudes[k] = std::sqrt(c.r * c.r + c.i * c.i) * scale;
        }
    }
}

} // namespace analysis
