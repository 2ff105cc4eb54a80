#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/Rng.h"

#include <array>
#include <vector>

namespace engine {

/// Synthesized drum one-shots, tuned for a kit (a long 808 for hip hop, a punchy kick for techno, brushes for
/// jazz...) and with the kick tuned to the key. Each drum has a few variants so repeated hits do not sound like a
/// machine gun; hits are mixed from these pre-rendered samples, which is what keeps drums cheap.
class DrumKit
{
public:
    /// Only the drums that `hits` use are synthesized.
    DrumKit(Kit kit, int keyRoot, std::uint64_t seed, const std::vector<DrumHit>& hits);

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
    struct SnareShape
    {
        double toneHz;
        double toneLevel;
        double noiseSeconds;
        double brightness;
    };
    /// How a kit sounds before each seed varies it.
    struct Character
    {
        KickShape kick{170, 1.0, 0.035, 0.28, 0.25, 1.4}; ///< endHz as a multiple of the key's root
        SnareShape snare{185, 0.5, 0.15, 1.0};
        double hatDecay = 0.04;
        double tomWeight = 0.3; ///< 1 for big orchestral toms
        float kickLevel = 1.0F;
        float rideLevel = 0.28F;
        float lowTomLevel = 0.75F;
        float midTomLevel = 0.7F;
    };

    static Character characterOf(Kit kit);
    void synthesize(const std::vector<DrumHit>& hits, std::uint64_t seed, const Character& character);

    std::vector<float> kick(const KickShape& shape, double detune);
    std::vector<float> snare(const SnareShape& shape, double detune);
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
