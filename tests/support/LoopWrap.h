#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

/// How a loop's wrap sounds, measured: whether its last sample leads into its first as smoothly as the loop moves from
/// one sample to the next everywhere else. A click is a step (a jump in value) or a kink (a jump in slope) that the
/// audio around it does not have. Standard C++, for the loop tests and bench-loop alike.
namespace LoopWrap {

/// The wrap against the loop's own sample-to-sample movement, in the worst channel.
struct Continuity
{
    double jump = 0;        ///< |first - last|: the first difference across the wrap
    double typicalStep = 0; ///< the 99th percentile of |x[i+1] - x[i]| inside the loop
    double medianStep = 0;  ///< the median of the same
    double bend = 0;        ///< the second difference across the wrap, the larger of its two (last and first sample)
    double typicalBend = 0; ///< the 99th percentile of |x[i+1] - 2 x[i] + x[i-1]| inside the loop

    /// Above 1: the wrap steps or bends further than 99 % of the loop's own samples do, a click the loop itself does
    /// not make. At or below 1: the wrap is as ordinary as any sample-to-sample move of the loop.
    double score() const
    {
        return std::max(typicalStep > 0 ? jump / typicalStep : 0.0, typicalBend > 0 ? bend / typicalBend : 0.0);
    }
};

inline double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    const auto at = std::size_t(fraction * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(at), values.end());
    return values[at];
}

/// The continuity of `interleaved` (`channels` channels, at least 3 frames) played round and round; per channel, the
/// one whose wrap stands out most.
inline Continuity measure(const std::vector<float>& interleaved, int channels)
{
    const std::size_t frames = interleaved.size() / std::size_t(channels);
    Continuity worst;
    for (int c = 0; c < channels; ++c) {
        const auto x = [&](std::size_t i) { return double(interleaved[i * std::size_t(channels) + std::size_t(c)]); };
        std::vector<double> steps, bends;
        steps.reserve(frames);
        bends.reserve(frames);
        for (std::size_t i = 0; i + 1 < frames; ++i)
            steps.push_back(std::abs(x(i + 1) - x(i)));
        for (std::size_t i = 1; i + 1 < frames; ++i)
            bends.push_back(std::abs(x(i + 1) - 2 * x(i) + x(i - 1)));
        Continuity channel;
        channel.jump = std::abs(x(0) - x(frames - 1));
        channel.typicalStep = percentile(steps, 0.99);
        channel.medianStep = percentile(steps, 0.5);
        channel.bend =
            std::max(std::abs(x(0) - 2 * x(frames - 1) + x(frames - 2)), std::abs(x(1) - 2 * x(0) + x(frames - 1)));
        channel.typicalBend = percentile(bends, 0.99);
        if (c == 0 || channel.score() > worst.score())
            worst = channel;
    }
    return worst;
}

/// The score the take itself makes where it crosses from frame `into - 1` to frame `into` of `interleaved` (2 <= into <
/// frames - 1), against `loop`'s percentiles: what a wrap that plays the take's own samples there scores.
inline double scoreAt(const std::vector<float>& interleaved, int channels, std::size_t into, const Continuity& loop)
{
    double score = 0;
    for (int c = 0; c < channels; ++c) {
        const auto x = [&](std::size_t i) { return double(interleaved[i * std::size_t(channels) + std::size_t(c)]); };
        Continuity there = loop;
        there.jump = std::abs(x(into) - x(into - 1));
        there.bend = std::max(std::abs(x(into) - 2 * x(into - 1) + x(into - 2)),
                              std::abs(x(into + 1) - 2 * x(into) + x(into - 1)));
        score = std::max(score, there.score());
    }
    return score;
}

} // namespace LoopWrap
