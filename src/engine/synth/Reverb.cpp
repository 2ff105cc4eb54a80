#include "engine/synth/Reverb.h"

#include "engine/dsp/Biquad.h"

#include <algorithm>

namespace engine {

Reverb::Reverb(double roomSize, double damping, int sampleRate)
    : m_feedback(0.7 + 0.28 * std::clamp(roomSize, 0.0, 1.0)), m_damping(0.4 * std::clamp(damping, 0.0, 1.0))
{
    // Freeverb's tunings are in samples at 44.1 kHz; scaling keeps the same room at 32 kHz.
    constexpr int CombTunings[] = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
    constexpr int AllPassTunings[] = {556, 441, 341, 225};
    const double scale = sampleRate / 44100.0;
    for (const int tuning : CombTunings) {
        Comb comb;
        comb.buffer.assign(static_cast<std::size_t>(tuning * scale), 0.0);
        m_combs.push_back(std::move(comb));
    }
    for (const int tuning : AllPassTunings) {
        AllPass allPass;
        allPass.buffer.assign(static_cast<std::size_t>(tuning * scale), 0.0);
        m_allPasses.push_back(std::move(allPass));
    }
    m_preDelay = static_cast<std::size_t>(0.02 * sampleRate);
    m_sampleRate = sampleRate;
}

void Reverb::process(std::vector<float>& signal)
{
    // The input is read pre-delay samples behind the output; a small ring keeps it while the buffer is overwritten.
    std::vector<float> pending(m_preDelay + 1, 0.0F);
    std::size_t pendingIndex = 0;
    // Low end in a reverb is mud; keep the bass dry.
    Biquad highPass = Biquad::highPass(180, 0.7, m_sampleRate);
    const double damp1 = m_damping;
    const double damp2 = 1.0 - m_damping;
    for (std::size_t n = 0; n < signal.size(); ++n) {
        const float delayedInput = pending[pendingIndex];
        pending[pendingIndex] = signal[n];
        if (++pendingIndex == pending.size())
            pendingIndex = 0;
        const double in = 0.015 * highPass.process(delayedInput);
        double sum = 0;
        for (Comb& comb : m_combs) {
            const double delayed = comb.buffer[comb.index];
            comb.store = delayed * damp2 + comb.store * damp1;
            comb.buffer[comb.index] = in + comb.store * m_feedback;
            if (++comb.index == comb.buffer.size())
                comb.index = 0;
            sum += delayed;
        }
        for (AllPass& allPass : m_allPasses) {
            const double delayed = allPass.buffer[allPass.index];
            allPass.buffer[allPass.index] = sum + delayed * 0.5;
            sum = delayed - sum;
            if (++allPass.index == allPass.buffer.size())
                allPass.index = 0;
        }
        signal[n] = static_cast<float>(3.0 * sum);
    }
}

} // namespace engine
