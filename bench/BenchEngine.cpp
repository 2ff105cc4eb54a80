// Renders 30-second sketches with the offline engine and prints how long they take: median wall time, the real-time
// factor (seconds of audio per second of rendering) and peak memory. It prints figures; it never fails on time.
#include "engine/SketchEngine.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

long peakRssKilobytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // kilobytes on Linux
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    constexpr int Seconds = 30;
    const std::vector<std::string> prompts = {
        "lo-fi hip hop with a soothing piano, 80 bpm",
        "techno at 128 bpm",
        "sad piano in A minor",
        "epic cinematic orchestral",
        "jazz trio with brass",
        "dreamy ambient pads with bells",
    };
    std::printf("%s (%s): %d s clips, %d runs each, median shown\n", engine::EngineName, engine::ModelId, Seconds,
                runs);
    std::printf("%-46s %10s %10s %12s\n", "prompt", "plan ms", "render ms", "x real time");
    std::vector<double> factors;
    for (const std::string& prompt : prompts) {
        const engine::SketchParams params{prompt, Seconds, 7};
        std::vector<double> planMs;
        std::vector<double> totalMs;
        for (int run = 0; run < runs; ++run) {
            const auto start = std::chrono::steady_clock::now();
            const engine::SketchPlan sketch = engine::plan(params);
            const auto planned = std::chrono::steady_clock::now();
            const std::vector<std::int16_t> pcm = engine::renderPcm(sketch);
            const auto done = std::chrono::steady_clock::now();
            if (pcm.size() != static_cast<std::size_t>(Seconds * engine::SampleRate))
                std::printf("warning: %zu samples\n", pcm.size());
            planMs.push_back(std::chrono::duration<double, std::milli>(planned - start).count());
            totalMs.push_back(std::chrono::duration<double, std::milli>(done - start).count());
        }
        std::sort(planMs.begin(), planMs.end());
        std::sort(totalMs.begin(), totalMs.end());
        const double plan = planMs[planMs.size() / 2];
        const double total = totalMs[totalMs.size() / 2];
        const double factor = Seconds / (total / 1000.0);
        factors.push_back(factor);
        std::printf("%-46s %10.2f %10.1f %11.0fx\n", prompt.c_str(), plan, total, factor);
    }
    std::sort(factors.begin(), factors.end());
    std::printf("slowest %.0fx real time, median %.0fx; peak RSS %.1f MiB\n", factors.front(),
                factors[factors.size() / 2], peakRssKilobytes() / 1024.0);
    return 0;
}
