// Loop-wrap continuity: how smoothly a loop cut to whole bars leads from its last sample back into its first, cut
// naively (the bars' samples as they are) and with the loop export's crossfade (AudioLoop::cut), on sketch-engine
// takes, drum grooves and chord progressions whose tempo and downbeat are known. The figure is the wrap's step (and
// bend) against the 99th percentile of the loop's own sample-to-sample steps (LoopWrap::Continuity::score): above 1 the
// wrap moves further than 99 % of the loop's samples do, a click; the jump is also shown against the median step. The
// last column is the score the take itself makes at the bar line the crossfade reproduces (LoopWrap::scoreAt): the
// crossfaded wrap plays that very step. It prints figures; it never fails.
//
//   bench-loop [bars]      bars per loop (default 4), cut from bar 1
#include "LabelledMaterial.h"
#include "LoopWrap.h"
#include "audio/AudioLoop.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Figures
{
    std::vector<double> naive, crossfaded;
    double aboveTake = 0; ///< how far a crossfaded wrap scores above the take's own step at that bar line, at most
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double worst(const std::vector<double>& values)
{
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

/// One clip: the naive and the crossfaded wrap of `bars` bars from bar 1; with `endsWithLoop` the clip is first cut
/// to end where the loop ends, so the crossfade has only the audio before the loop to use.
void measure(const material::Clip& clip, int bars, bool endsWithLoop, Figures* figures)
{
    const AudioLoop::Bars which{clip.bpm, std::max(0.0, clip.firstDownbeat), bars, 1};
    const AudioLoop::Span span = AudioLoop::span(which, clip.sampleRate);
    const auto channels = std::size_t(clip.channels);
    if (span.first + span.frames > qint64(clip.frames())) {
        std::printf("  %-62s too short for %d bars from bar 1\n", clip.name.c_str(), bars);
        return;
    }
    AudioCodec::Decoded take{clip.samples, clip.sampleRate, clip.channels};
    if (endsWithLoop)
        take.samples.resize(std::size_t(span.first + span.frames) * channels);
    const std::vector<float> naive(take.samples.begin() + std::ptrdiff_t(std::size_t(span.first) * channels),
                                   take.samples.begin() +
                                       std::ptrdiff_t(std::size_t(span.first + span.frames) * channels));
    const auto loop = AudioLoop::cut(take, which);
    if (!loop) {
        std::printf("  %-62s not cut\n", clip.name.c_str());
        return;
    }
    const LoopWrap::Continuity before = LoopWrap::measure(naive, clip.channels);
    const LoopWrap::Continuity after = LoopWrap::measure(loop->samples, clip.channels);
    // The take's own score at the bar line the crossfade reproduces: into the bar after the loop, or (when the loop
    // ends with the take) into the loop's first bar.
    const double own = LoopWrap::scoreAt(take.samples, clip.channels,
                                         std::size_t(endsWithLoop ? span.first : span.first + span.frames), after);
    figures->naive.push_back(before.score());
    figures->crossfaded.push_back(after.score());
    figures->aboveTake = std::max(figures->aboveTake, after.score() - own);
    const auto perMedian = [](const LoopWrap::Continuity& wrap) {
        return wrap.medianStep > 0 ? wrap.jump / wrap.medianStep : 0.0;
    };
    std::printf("  %-62s %7.2f %8.1f %9.2f %8.1f %9.2f\n", clip.name.substr(0, 62).c_str(), before.score(),
                perMedian(before), after.score(), perMedian(after), own);
}

void report(const char* title, const std::vector<material::Clip>& clips, int bars, bool endsWithLoop)
{
    std::printf("%s\n  %-62s %7s %8s %9s %8s %9s\n", title, "clip", "naive", "/median", "crossfade", "/median",
                "take's");
    Figures figures;
    for (const material::Clip& clip : clips)
        measure(clip, bars, endsWithLoop, &figures);
    const auto clicks = [](const std::vector<double>& scores) {
        return std::count_if(scores.begin(), scores.end(), [](double score) { return score > 1; });
    };
    std::printf(
        "  wrap score, median (worst) of %zu loops: naive %.2f (%.2f), crossfaded %.2f (%.2f); above 1: naive %td, "
        "crossfaded %td; the crossfaded wrap scores at most %.2f above the take's own step at that bar line\n\n",
        figures.naive.size(), median(figures.naive), worst(figures.naive), median(figures.crossfaded),
        worst(figures.crossfaded), clicks(figures.naive), clicks(figures.crossfaded), figures.aboveTake);
}

} // namespace

int main(int argc, char** argv)
{
    const int bars = argc > 1 ? std::max(1, std::atoi(argv[1])) : 4;
    std::vector<material::Clip> clips;
    const char* prompts[] = {
        "lo-fi hip hop with a soothing piano and drums",
        "house at 124 bpm in A minor with piano and pads",
        "ambient pad in C major at 70 bpm",
        "cinematic strings, epic, in D minor",
        "jazz trio with brushes",
        "synthwave with bass and lead at 100 bpm",
        "reggae with guitar and organ",
        "drum and bass at 174 bpm in E minor",
    };
    for (std::uint32_t seed : {3U, 11U})
        for (const char* prompt : prompts)
            clips.push_back(material::sketch(prompt, 30, seed));
    for (const material::Groove groove : material::Grooves)
        clips.push_back(material::drums(groove, 97.3, 0, 20, 32000, 0.37));
    for (int root : {0, 7}) {
        for (const material::Progression progression : material::Progressions) {
            clips.push_back(material::chords(root, root == 7, progression, 20, 90));
            clips.back().bpm = 90; // one chord a bar from the first sample: bars to cut, though no beat to detect
            clips.back().firstDownbeat = 0;
        }
    }

    std::printf("Loop-wrap continuity, %d bars from bar 1: the wrap's step and bend against the loop's 99th percentile "
                "(score; above 1 is a click) and its step against the median step\n\n",
                bars);
    report("With audio after the loop (the usual case): its next samples flow into the head", clips, bars, false);
    report("Loop ending with the take: the tail flows into the samples before the head", clips, bars, true);
    return 0;
}
