#pragma once

#include "Rng.h"
#include "SketchEngine.h"

#include <array>
#include <string_view>
#include <vector>

namespace engine {

/// Synthesized drum one-shots, tuned for a genre (a long 808 for hip hop, a punchy kick for techno, brushes for
/// jazz...) and with the kick tuned to the key. Each drum has a few variants so repeated hits do not sound like a
/// machine gun; hits are mixed from these pre-rendered samples, which is what keeps drums cheap.
class DrumKit
{
public:
    /// Only the drums that `hits` use are synthesized.
    DrumKit(std::string_view genre, int keyRoot, std::uint64_t seed, const std::vector<DrumHit>& hits);

    /// Adds `hit` into `out`; the `index` of the hit picks the variant.
    void render(const DrumHit& hit, std::size_t index, std::vector<float>& out) const;

private:
    static constexpr int Variants = 3;
    static constexpr int DrumCount = 12;

    struct KickShape
    {
        double startHz;
        double endHz;
        double sweepSeconds;
        double decaySeconds;
        double click;
        double drive;
    };

    std::vector<float> kick(const KickShape& shape, double detune);
    std::vector<float> snare(double toneHz, double toneLevel, double noiseSeconds, double brightness, double detune);
    std::vector<float> clap(double detune);
    std::vector<float> rim(double detune);
    std::vector<float> metal(double decaySeconds, double highPassHz, double lengthSeconds, double bell, double noise,
                             double detune);
    std::vector<float> tom(double hz, double decaySeconds, double detune, double weight);
    std::vector<float> shaker(double detune);

    Rng m_noise;
    std::array<std::array<std::vector<float>, Variants>, DrumCount> m_samples;
    std::array<float, DrumCount> m_levels{};
};

} // namespace engine
