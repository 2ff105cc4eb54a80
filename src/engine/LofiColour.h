#pragma once

#include "Rng.h"

#include <cstdint>
#include <vector>

namespace engine {

/// What makes a clean mix sound like an old record: tape wow and flutter (a slowly wobbling delay), a gentle
/// low-pass and tape saturation, vinyl crackle and a little hiss.
class LofiColour
{
public:
    explicit LofiColour(std::uint64_t seed);

    void process(std::vector<float>& signal, int sampleRate);

private:
    Rng m_noise;
};

} // namespace engine
