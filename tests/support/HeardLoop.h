#pragma once

#include "LoopWrap.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

/// A loop as it was heard: a recording of it played round and round, taken apart lap by lap. Each lap is found where
/// the loop's head sounds (by correlation, so nothing is assumed about when the player started or how long it paused),
/// and each wrap is measured as the ear meets it: the time between the end of one lap and the head of the next, the
/// step and bend across it against the recording's own (LoopWrap, the criterion bench-loop uses on the loop's
/// samples), and how quiet it gets there against the loop's own audio at its wrap. Standard C++, mono audio, for the
/// loop playback test and bench-loop alike.
namespace HeardLoop {

/// How much of the loop's head is looked for: long enough to be met nowhere else in a bar of music.
inline constexpr double HeadSeconds = 0.25;

/// Where a stretch of audio sounds in a longer one.
struct Match
{
    double at = 0;          ///< the sample the stretch's first sample lands on, to a fraction of a sample
    double correlation = 0; ///< normalised, 1 being the same sound at any level
};

/// The normalised correlation of `needle` with `haystack` from `at` (which must leave room for the whole needle).
inline double correlation(const std::vector<float>& haystack, std::size_t at, const std::vector<float>& needle)
{
    double cross = 0, heard = 0, wanted = 0;
    for (std::size_t i = 0; i < needle.size(); ++i) {
        const double h = haystack[at + i], n = needle[i];
        cross += h * n;
        heard += h * h;
        wanted += n * n;
    }
    return heard > 0 && wanted > 0 ? cross / std::sqrt(heard * wanted) : 0.0;
}

/// `audio` averaged over every `factor` samples.
inline std::vector<float> decimated(const std::vector<float>& audio, std::size_t factor)
{
    std::vector<float> out(audio.size() / factor);
    for (std::size_t i = 0; i < out.size(); ++i) {
        double sum = 0;
        for (std::size_t k = 0; k < factor; ++k)
            sum += audio[i * factor + k];
        out[i] = float(sum / double(factor));
    }
    return out;
}

/// Every place `needle` sounds in `haystack` with a correlation of at least `threshold`, the best of any closer
/// together than `spacing` samples, in order. Searched at an eighth of the rate first, then to the sample around each
/// candidate, then to a fraction of a sample between the best sample and its neighbours.
inline std::vector<Match> find(const std::vector<float>& haystack, const std::vector<float>& needle, double threshold,
                               std::size_t spacing)
{
    constexpr std::size_t Factor = 8;
    std::vector<Match> found;
    if (needle.size() < 4 * Factor || haystack.size() < needle.size() + 2 * Factor)
        return found;
    const std::vector<float> coarseHay = decimated(haystack, Factor), coarseNeedle = decimated(needle, Factor);
    std::vector<double> coarse(coarseHay.size() - coarseNeedle.size() + 1);
    for (std::size_t i = 0; i < coarse.size(); ++i)
        coarse[i] = correlation(coarseHay, i, coarseNeedle);
    const std::size_t reach = std::max<std::size_t>(1, spacing / Factor);
    const std::size_t last = haystack.size() - needle.size();
    for (std::size_t i = 0; i < coarse.size(); ++i) {
        // The coarse search only shortlists: decimation blurs the peak, so its bar is lower.
        if (coarse[i] < threshold - 0.2)
            continue;
        const std::size_t from = i >= reach ? i - reach : 0, to = std::min(coarse.size() - 1, i + reach);
        if (std::any_of(coarse.begin() + std::ptrdiff_t(from), coarse.begin() + std::ptrdiff_t(to) + 1,
                        [&](double other) { return other > coarse[i]; }))
            continue;
        const std::size_t centre = std::min(last, i * Factor);
        std::size_t best = centre;
        double bestCorrelation = -1;
        for (std::size_t at = centre >= 2 * Factor ? centre - 2 * Factor : 0; at <= std::min(last, centre + 2 * Factor);
             ++at) {
            if (const double c = correlation(haystack, at, needle); c > bestCorrelation) {
                best = at;
                bestCorrelation = c;
            }
        }
        if (bestCorrelation < threshold)
            continue;
        double at = double(best);
        if (best > 0 && best < last) {
            const double before = correlation(haystack, best - 1, needle),
                         after = correlation(haystack, best + 1, needle);
            const double curve = before - 2 * bestCorrelation + after;
            if (curve < 0)
                at += std::clamp(0.5 * (before - after) / curve, -0.5, 0.5);
        }
        if (!found.empty() && at - found.back().at < double(spacing)) {
            if (bestCorrelation > found.back().correlation)
                found.back() = {at, bestCorrelation};
            continue;
        }
        found.push_back({at, bestCorrelation});
    }
    return found;
}

/// One wrap as heard.
struct Wrap
{
    double at = 0;    ///< where the next lap's head sounds, in samples of the recording
    double gapMs = 0; ///< the time between the end of a lap and the next head: 0 when nothing comes between them
    /// The larger LoopWrap score of the step into the head and the step out of the lap's end, against the recording's
    /// own steps: above 1, a click.
    double score = 0;
    /// The quietest 2 ms around the wrap against the quietest 2 ms around the loop's own wrap, at the level heard: 1
    /// when it is as loud as the loop there, near 0 when a gap of silence came between the laps.
    double quiet = 0;

    bool isSeamless(int sampleRate) const
    {
        return std::abs(gapMs) * sampleRate / 1000.0 <= 1.0 && score <= 1.0 && quiet >= 0.5;
    }
};

/// What a recording shows of a loop played round and round.
struct Heard
{
    std::vector<Match> heads;        ///< where each lap's head sounds
    std::vector<Wrap> wraps;         ///< between each lap and the next
    LoopWrap::Continuity continuity; ///< the steps of one heard lap, what a wrap is measured against
    /// The best correlation of the head anywhere in the loop a head's length away from its start: below find()'s bar
    /// of 0.9, the head is met only where a lap begins.
    double headUniqueness = 0;
};

/// The quietest `window` samples of `audio` from `from` to `to`, as RMS.
inline double quietest(const std::vector<float>& audio, std::size_t from, std::size_t to, std::size_t window)
{
    double lowest = -1;
    for (std::size_t at = from; at + window <= to && at + window <= audio.size(); at += window / 4) {
        double energy = 0;
        for (std::size_t i = at; i < at + window; ++i)
            energy += double(audio[i]) * audio[i];
        const double rms = std::sqrt(energy / double(window));
        lowest = lowest < 0 ? rms : std::min(lowest, rms);
    }
    return std::max(lowest, 0.0);
}

inline double rms(const std::vector<float>& audio, std::size_t from, std::size_t to)
{
    double energy = 0;
    for (std::size_t i = from; i < to; ++i)
        energy += double(audio[i]) * audio[i];
    return to > from ? std::sqrt(energy / double(to - from)) : 0.0;
}

/// Takes `recording` apart into laps of `loop` (both mono, at `sampleRate`). A head found less than a lap from the
/// end of the recording still counts: its wrap is measured on what precedes it.
inline Heard listen(const std::vector<float>& recording, const std::vector<float>& loop, int sampleRate)
{
    Heard heard;
    const auto headLength = std::size_t(HeadSeconds * sampleRate);
    if (loop.size() < 2 * headLength || recording.size() < loop.size())
        return heard;
    const std::vector<float> head(loop.begin(), loop.begin() + std::ptrdiff_t(headLength));
    for (std::size_t at = headLength; at + headLength < loop.size(); at += 8)
        heard.headUniqueness = std::max(heard.headUniqueness, correlation(loop, at, head));

    heard.heads = find(recording, head, 0.9, loop.size() / 2);
    if (heard.heads.size() < 2)
        return heard;
    const auto firstLap = std::size_t(std::lround(heard.heads[0].at));
    const std::vector<float> lap(recording.begin() + std::ptrdiff_t(firstLap),
                                 recording.begin() +
                                     std::ptrdiff_t(std::min(recording.size(), firstLap + loop.size())));
    heard.continuity = LoopWrap::measure(lap, 1);
    const double gain = rms(loop, 0, loop.size()) > 0 ? rms(lap, 0, lap.size()) / rms(loop, 0, loop.size()) : 0.0;
    const auto around = std::size_t(0.02 * sampleRate), window = std::size_t(0.002 * sampleRate);
    std::vector<float> loopWrap(loop.end() - std::ptrdiff_t(around), loop.end());
    loopWrap.insert(loopWrap.end(), loop.begin(), loop.begin() + std::ptrdiff_t(around));
    const double loopQuietest = gain * quietest(loopWrap, 0, loopWrap.size(), window);
    for (std::size_t k = 1; k < heard.heads.size(); ++k) {
        Wrap wrap;
        wrap.at = heard.heads[k].at;
        const double end = heard.heads[k - 1].at + double(loop.size());
        wrap.gapMs = (wrap.at - end) * 1000.0 / sampleRate;
        const auto into = std::size_t(std::lround(wrap.at)), outOf = std::size_t(std::lround(end));
        for (const std::size_t at : {into, outOf}) {
            if (at >= 2 && at + 1 < recording.size())
                wrap.score = std::max(wrap.score, LoopWrap::scoreAt(recording, 1, at, heard.continuity));
        }
        const std::size_t from = std::min(into, outOf) >= around ? std::min(into, outOf) - around : 0;
        const std::size_t to = std::min(recording.size(), std::max(into, outOf) + around);
        wrap.quiet = loopQuietest > 0 ? quietest(recording, from, to, window) / loopQuietest : 0.0;
        heard.wraps.push_back(wrap);
    }
    return heard;
}

} // namespace HeardLoop
