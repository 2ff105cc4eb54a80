#pragma once

#include <vector>

namespace engine {

/// A mono Schroeder-Moorer reverb in the Freeverb layout (J. Jezar, 2000): eight damped feedback combs in parallel,
/// then four all-passes in series, after a short pre-delay. State is kept in double so tails never go denormal.
class Reverb
{
public:
    /// `roomSize` and `damping` are 0..1.
    Reverb(double roomSize, double damping, int sampleRate);

    /// Replaces `signal` by its wet reverb.
    void process(std::vector<float>& signal);

private:
    struct Comb
    {
        std::vector<double> buffer;
        std::size_t index = 0;
        double store = 0;
    };
    struct AllPass
    {
        std::vector<double> buffer;
        std::size_t index = 0;
    };

    std::vector<Comb> m_combs;
    std::vector<AllPass> m_allPasses;
    std::size_t m_preDelay = 0;
    double m_feedback = 0.84;
    double m_damping = 0.2;
    int m_sampleRate = 32000;
};

} // namespace engine
