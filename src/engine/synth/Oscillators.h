#pragma once

namespace engine {

/// Polynomial band-limited step correction (PolyBLEP, Valimaki 2007): keeps saw and square waves from aliasing into
/// audible whistles at 32 kHz without the cost of wavetables per pitch.
inline double polyBlep(double t, double dt)
{
    if (t < dt) {
        const double x = t / dt;
        return x + x - x * x - 1.0;
    }
    if (t > 1.0 - dt) {
        const double x = (t - 1.0) / dt;
        return x * x + x + x + 1.0;
    }
    return 0.0;
}

/// Band-limited sawtooth, -1..1, falling edge at phase 0.
class SawOscillator
{
public:
    SawOscillator() = default;
    SawOscillator(double frequency, double sampleRate, double phase = 0.0)
        : m_phase(phase), m_increment(frequency / sampleRate)
    {
    }

    void setFrequency(double frequency, double sampleRate) { m_increment = frequency / sampleRate; }
    /// Frequency as a fraction of the sample rate: no division in per-sample loops.
    void setIncrement(double increment) { m_increment = increment; }

    double next()
    {
        const double value = 2.0 * m_phase - 1.0 - polyBlep(m_phase, m_increment);
        m_phase += m_increment;
        if (m_phase >= 1.0)
            m_phase -= 1.0;
        return value;
    }

    /// A square from two saws half a cycle apart; call instead of next(), not as well.
    double nextSquare()
    {
        double other = m_phase + 0.5;
        if (other >= 1.0)
            other -= 1.0;
        const double saw1 = 2.0 * m_phase - 1.0 - polyBlep(m_phase, m_increment);
        const double saw2 = 2.0 * other - 1.0 - polyBlep(other, m_increment);
        m_phase += m_increment;
        if (m_phase >= 1.0)
            m_phase -= 1.0;
        return saw1 - saw2;
    }

    double phase() const { return m_phase; }

private:
    double m_phase = 0.0;
    double m_increment = 0.0;
};

/// tanh-like soft clipper (a Pade approximant), exactly +-1 beyond +-3.
inline double softClip(double x)
{
    if (x > 3.0)
        return 1.0;
    if (x < -3.0)
        return -1.0;
    const double x2 = x * x;
    return x * (27.0 + x2) / (27.0 + 9.0 * x2);
}

} // namespace engine
