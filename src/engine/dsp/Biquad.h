#pragma once

#include "engine/dsp/DetMath.h"

#include <array>

namespace engine {

/// A second-order IIR section in transposed direct form II, with the Audio EQ Cookbook designs (R. Bristow-Johnson)
/// computed through DetMath so the coefficients are the same everywhere.
class Biquad
{
public:
    Biquad() = default;
    Biquad(double b0, double b1, double b2, double a1, double a2) : m_b0(b0), m_b1(b1), m_b2(b2), m_a1(a1), m_a2(a2) {}

    static Biquad lowPass(double hz, double q, double sampleRate)
    {
        return design(hz, q, sampleRate, [](double cosW, double) {
            return std::array{(1.0 - cosW) / 2.0, 1.0 - cosW, (1.0 - cosW) / 2.0};
        });
    }

    static Biquad highPass(double hz, double q, double sampleRate)
    {
        return design(hz, q, sampleRate, [](double cosW, double) {
            return std::array{(1.0 + cosW) / 2.0, -(1.0 + cosW), (1.0 + cosW) / 2.0};
        });
    }

    /// Band-pass with 0 dB peak gain.
    static Biquad bandPass(double hz, double q, double sampleRate)
    {
        return design(hz, q, sampleRate, [](double, double alpha) { return std::array{alpha, 0.0, -alpha}; });
    }

    double process(double x)
    {
        const double y = m_b0 * x + m_z1;
        m_z1 = m_b1 * x - m_a1 * y + m_z2;
        m_z2 = m_b2 * x - m_a2 * y;
        return y;
    }

    void reset()
    {
        m_z1 = 0;
        m_z2 = 0;
    }

private:
    /// The cookbook's low-, high- and band-pass designs share their poles for a cutoff and Q; they differ only in
    /// their zeros, the numerator b0, b1, b2 before normalising, which `zeros(cosW, alpha)` gives.
    template <class ZerosOf> static Biquad design(double hz, double q, double sampleRate, ZerosOf zeros)
    {
        const double w = dmath::TwoPi * hz / sampleRate;
        const double cosW = dmath::cos(w);
        const double alpha = dmath::sin(w) / (2.0 * q);
        const double a0 = 1.0 + alpha;
        const auto [b0, b1, b2] = zeros(cosW, alpha);
        return {b0 / a0, b1 / a0, b2 / a0, -2.0 * cosW / a0, (1.0 - alpha) / a0};
    }

    double m_b0 = 1;
    double m_b1 = 0;
    double m_b2 = 0;
    double m_a1 = 0;
    double m_a2 = 0;
    double m_z1 = 0;
    double m_z2 = 0;
};

} // namespace engine
