#pragma once

#include "engine/dsp/DetMath.h"

#include <algorithm>

namespace engine {

/// Topology-preserving-transform state-variable filter (Zavalishin, "The Art of VA Filter Design"): stable while
/// its cutoff moves every few samples, which the synth's filter envelopes need.
class Svf
{
public:
    struct Output
    {
        double low;
        double band;
        double high;
    };

    /// `q` is the resonance: 0.5 is soft, 0.707 flat, above 2 ringing.
    void setCutoff(double hz, double q, double sampleRate)
    {
        hz = std::clamp(hz, 10.0, sampleRate * 0.45);
        const double g = dmath::tan(dmath::Pi * hz / sampleRate);
        m_k = 1.0 / q;
        m_a1 = 1.0 / (1.0 + g * (g + m_k));
        m_a2 = g * m_a1;
        m_a3 = g * m_a2;
    }

    Output process(double x)
    {
        const double v3 = x - m_ic2;
        const double v1 = m_a1 * m_ic1 + m_a2 * v3;
        const double v2 = m_ic2 + m_a2 * m_ic1 + m_a3 * v3;
        m_ic1 = 2.0 * v1 - m_ic1;
        m_ic2 = 2.0 * v2 - m_ic2;
        return {v2, v1, x - m_k * v1 - v2};
    }

    double lowPass(double x) { return process(x).low; }

private:
    double m_k = 1.4;
    double m_a1 = 0;
    double m_a2 = 0;
    double m_a3 = 0;
    double m_ic1 = 0;
    double m_ic2 = 0;
};

} // namespace engine
