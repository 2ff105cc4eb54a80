#pragma once

#include <cmath>

/// Deterministic stand-ins for the <cmath> transcendental functions the engine needs.
///
/// They use only +, -, *, /, floor, frexp and ldexp, which IEEE 754 defines exactly, so the same inputs give the same
/// bits with any compiler, C library or CPU (the engine is built with -ffp-contract=off so no fused multiply-add
/// sneaks in). Accuracy is far better than audio needs; bit-for-bit repeatability is the point.
namespace engine::dmath {

inline constexpr double Pi = 3.14159265358979323846;
inline constexpr double TwoPi = 6.28318530717958647692;
inline constexpr double Ln2 = 0.69314718055994530942;
inline constexpr double Ln10 = 2.30258509299404568402;

/// sin(2*pi*turns), for any finite `turns`.
inline double sinTurns(double turns)
{
    double r = turns - std::floor(turns);
    if (r > 0.5)
        r -= 1.0;
    if (r > 0.25)
        r = 0.5 - r;
    else if (r < -0.25)
        r = -0.5 - r;
    const double x = r * TwoPi;
    const double x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 6.0 +
                            x2 * (1.0 / 120.0 +
                                  x2 * (-1.0 / 5040.0 +
                                        x2 * (1.0 / 362880.0 + x2 * (-1.0 / 39916800.0 +
                                                                     x2 * (1.0 / 6227020800.0 +
                                                                           x2 * (-1.0 / 1307674368000.0 +
                                                                                 x2 * (1.0 / 355687428096000.0)))))))));
}

/// cos(2*pi*turns).
inline double cosTurns(double turns)
{
    return sinTurns(turns + 0.25);
}

inline double sin(double radians)
{
    return sinTurns(radians / TwoPi);
}

inline double cos(double radians)
{
    return cosTurns(radians / TwoPi);
}

inline double tan(double radians)
{
    return sin(radians) / cos(radians);
}

/// e^x; 0 below -700 and saturating above 700, which no caller reaches.
inline double exp(double x)
{
    if (!(x > -700.0))
        return 0.0;
    if (x > 700.0)
        x = 700.0;
    const double k = std::floor(x / Ln2 + 0.5);
    const double r = x - k * Ln2;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    return std::ldexp(p, static_cast<int>(k));
}

/// Natural logarithm; a large negative number for x <= 0 so callers never see NaN or infinity.
inline double log(double x)
{
    if (!(x > 0.0))
        return -1000.0;
    if (x > 1e300)
        x = 1e300;
    int e = 0;
    double m = std::frexp(x, &e);
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e -= 1;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double p = 1.0 / 23.0;
    for (int k = 21; k >= 1; k -= 2)
        p = p * s2 + 1.0 / k;
    return 2.0 * s * p + e * Ln2;
}

inline double log10(double x)
{
    return log(x) / Ln10;
}

inline double log2(double x)
{
    return log(x) / Ln2;
}

/// a^b for a > 0.
inline double pow(double a, double b)
{
    return exp(b * log(a));
}

/// 10^(db/20)
inline double dbToGain(double db)
{
    return exp(db * (Ln10 / 20.0));
}

/// 20*log10(gain); -1000 dB-ish for silence.
inline double gainToDb(double gain)
{
    return 20.0 * log10(gain);
}

/// Frequency of a MIDI note in Hz (A4 = 69 = 440 Hz).
inline double midiToHz(double midi)
{
    return 440.0 * exp((midi - 69.0) * (Ln2 / 12.0));
}

/// Coefficient of a one-pole smoother or exponential decay that falls to 1/e after `seconds`.
inline double decayPerSample(double seconds, double sampleRate)
{
    if (!(seconds > 0.0))
        return 0.0;
    return exp(-1.0 / (seconds * sampleRate));
}

/// Rounds half away from zero, independent of the floating-point rounding mode.
inline double roundHalfAway(double x)
{
    return x >= 0.0 ? std::floor(x + 0.5) : -std::floor(-x + 0.5);
}

} // namespace engine::dmath
