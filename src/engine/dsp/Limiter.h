#pragma once

#include <cstddef>
#include <vector>

namespace engine {

/// An offline look-ahead peak limiter. Offline means it sees the whole signal, so the gain starts to fall one
/// look-ahead window before a peak and can never let one through.
///
/// The gain curve is the largest smooth curve that keeps the oversampled peaks under the ceiling: a sliding minimum
/// of the gain each sample needs over the look-ahead window, box-smoothed over the same window (which only mixes
/// values that already cover the sample, so it never overshoots), then released exponentially.
class Limiter
{
public:
    /// `peaks` comes from Loudness::peakEnvelope(input). The sliding-window work is done once here, so trying
    /// several gains (to converge on a loudness) costs one cheap pass each.
    Limiter(std::vector<float> peaks, int sampleRate, double lookAheadSeconds = 0.004, double releaseSeconds = 0.12);

    /// Calls `use(n, input[n] * gain * g[n])` for every sample, g keeping peaks * gain * g at or below `ceiling`
    /// (linear). `use` may overwrite input[n]: each sample is read once, before it is passed on.
    template <typename Use> void apply(const std::vector<float>& input, double gain, double ceiling, Use&& use) const;

private:
    std::vector<float> m_windowPeak; ///< for each n, the largest peak the window starting at n has to respect
    std::size_t m_window = 1;
    double m_release = 0;
};

template <typename Use>
void Limiter::apply(const std::vector<float>& input, double gain, double ceiling, Use&& use) const
{
    const std::size_t count = input.size() < m_windowPeak.size() ? input.size() : m_windowPeak.size();
    if (count == 0)
        return;
    auto needed = [&](std::size_t n) {
        const double peak = m_windowPeak[n] * gain;
        return peak > ceiling ? ceiling / peak : 1.0;
    };
    // Averaging over the window ending at n only mixes minima whose windows contain n.
    std::vector<double> ring(m_window, needed(0));
    double sum = needed(0) * static_cast<double>(m_window);
    double smoothed = 1.0;
    std::size_t slot = 0;
    for (std::size_t n = 0; n < count; ++n) {
        const double value = needed(n);
        sum += value - ring[slot];
        ring[slot] = value;
        if (++slot == m_window)
            slot = 0;
        const double average = sum / static_cast<double>(m_window);
        smoothed =
            average < smoothed + (1.0 - smoothed) * m_release ? average : smoothed + (1.0 - smoothed) * m_release;
        use(n, static_cast<float>(input[n] * gain * smoothed));
    }
}

} // namespace engine
