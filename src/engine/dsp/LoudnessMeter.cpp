#include "engine/dsp/LoudnessMeter.h"

#include "engine/dsp/DetMath.h"

#include <algorithm>

namespace engine {

LoudnessMeter::LoudnessMeter(int sampleRate)
    : m_segmentLength(std::max<std::size_t>(1, static_cast<std::size_t>(std::max(sampleRate, 10)) / 10))
{
    const double fs = std::max(sampleRate, 1000);
    double f0 = 1681.974450955533;
    const double gainDb = 3.999843853973347;
    double q = 0.7071752369554196;
    double k = dmath::tan(dmath::Pi * f0 / fs);
    const double vh = dmath::pow(10.0, gainDb / 20.0);
    const double vb = dmath::pow(vh, 0.4996667741545416);
    double a0 = 1.0 + k / q + k * k;
    m_shelf = Biquad((vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                     2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0);
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = dmath::tan(dmath::Pi * f0 / fs);
    a0 = 1.0 + k / q + k * k;
    m_highPass = Biquad(1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0);
}

double LoudnessMeter::integratedLufs() const
{
    std::vector<double> blocks;
    for (std::size_t i = 0; i + 4 <= m_segments.size(); ++i) {
        blocks.push_back((m_segments[i] + m_segments[i + 1] + m_segments[i + 2] + m_segments[i + 3]) /
                         (4.0 * static_cast<double>(m_segmentLength)));
    }
    auto loudness = [](double meanSquare) { return -0.691 + 10.0 * dmath::log10(meanSquare); };
    double sum = 0;
    std::size_t kept = 0;
    for (const double block : blocks) {
        if (block > 0 && loudness(block) > -70.0) {
            sum += block;
            ++kept;
        }
    }
    if (kept == 0)
        return -200.0;
    const double relativeGate = loudness(sum / static_cast<double>(kept)) - 10.0;
    sum = 0;
    kept = 0;
    for (const double block : blocks) {
        const double level = block > 0 ? loudness(block) : -1000.0;
        if (level > -70.0 && level > relativeGate) {
            sum += block;
            ++kept;
        }
    }
    if (kept == 0)
        return -200.0;
    return loudness(sum / static_cast<double>(kept));
}

} // namespace engine
