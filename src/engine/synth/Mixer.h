#pragma once

#include "engine/SketchTypes.h"

#include <vector>

namespace engine {

/// Performs a plan: renders each part on its own, balances the parts by loudness, adds sidechain pumping, echo and
/// reverb, lo-fi colour when asked, and shapes the start and the end. The result still needs Master.
///
/// Parts are rendered one after another into one scratch buffer and summed into two buses (dry and reverb send),
/// so a 30-second mix needs three clip-length buffers, not one per part.
class Mixer
{
public:
    enum Stem
    {
        Drums,
        Bass,
        Harmony,
        Lead,
        Texture
    };

    explicit Mixer(const SketchPlan& plan);

    std::vector<float> mix();

private:
    void renderInto(Stem stem, std::vector<float>& out) const;
    void addStem(Stem stem, const std::vector<float>& signal, std::vector<float>& out, std::vector<float>& send) const;
    void addReverb(std::vector<float>& out, std::vector<float>& send) const;
    void fade(std::vector<float>& signal) const;

    const SketchPlan& m_plan;
};

} // namespace engine
