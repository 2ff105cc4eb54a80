#pragma once

#include "engine/dsp/Rng.h"

#include <cstddef>
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
    /// Samples to the next vinyl click: exponentially distributed gaps, about five clicks a second.
    std::size_t clickGap(double sampleRate);
    void playThroughTape(std::vector<float>& signal, double rms, double sampleRate, double wowPhase,
                         double flutterPhase);
    void addCrackle(std::vector<float>& signal, double rms, double sampleRate, std::size_t firstClick);

    Rng m_noise;
};

} // namespace engine
