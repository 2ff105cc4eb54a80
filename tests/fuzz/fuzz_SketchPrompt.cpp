// Any bytes typed as a prompt must compose into a valid plan, and short renders must stay within the
// engine's promises: exact length and no sample at full scale.
#include "engine/SketchEngine.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string prompt(reinterpret_cast<const char*>(data), size);
    engine::readPrompt(prompt);
    const engine::SketchParams params{prompt, 1, std::uint32_t(size * 7919 % 10000)};
    const engine::SketchPlan plan = engine::plan(params);
    if (plan.durationSamples != engine::SampleRate || plan.bpm <= 0 || plan.scale.size() != 7)
        std::abort();
    // Rendering costs far more than planning; a sample of the inputs keeps the fuzzer fast.
    if (size % 16 == 0) {
        const auto pcm = engine::renderPcm(plan);
        if (pcm.size() != std::size_t(engine::SampleRate))
            std::abort();
        for (const std::int16_t sample : pcm) {
            if (sample == INT16_MIN || sample == INT16_MAX)
                std::abort();
        }
    }
    return 0;
}
