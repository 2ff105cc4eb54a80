#pragma once

#include <cstdint>
#include <vector>

namespace engine {

/// The last stage: loudness normalisation to TargetLoudnessLufs, true-peak limiting under TruePeakCeilingDb and
/// quantisation to 16-bit.
class Master
{
public:
    static std::vector<std::int16_t> finish(std::vector<float> mix, int sampleRate);
};

} // namespace engine
