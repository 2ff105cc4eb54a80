#include "engine/synth/LofiColour.h"

#include "engine/dsp/Biquad.h"
#include "engine/dsp/DetMath.h"
#include "engine/dsp/SineTable.h"
#include "engine/synth/Oscillators.h"

#include <cmath>

namespace engine {

LofiColour::LofiColour(std::uint64_t seed) : m_noise(seed, 303) {}

void LofiColour::process(std::vector<float>& signal, int sampleRate)
{
    double energy = 0;
    for (const float x : signal)
        energy += static_cast<double>(x) * x;
    const double rms = signal.empty() ? 0.0 : std::sqrt(energy / static_cast<double>(signal.size()));
    if (rms <= 0)
        return;
    const double fs = sampleRate;
    const double wowPhase = m_noise.unit();
    const double flutterPhase = m_noise.unit();
    const std::size_t firstClick = clickGap(fs);
    playThroughTape(signal, rms, fs, wowPhase, flutterPhase);
    addCrackle(signal, rms, fs, firstClick);
}

std::size_t LofiColour::clickGap(double sampleRate)
{
    constexpr double ClicksPerSecond = 5.0;
    return static_cast<std::size_t>(1.0 - dmath::log(1.0 - m_noise.unit()) * sampleRate / ClicksPerSecond);
}

void LofiColour::playThroughTape(std::vector<float>& signal, double rms, double fs, double wowPhase,
                                 double flutterPhase)
{
    // The wobbling read lags at most ~8 ms behind the write; a ring of the last 16 ms of input is enough.
    constexpr std::size_t RingSize = 512;
    constexpr std::size_t WowBlock = 8;
    std::vector<float> ring(RingSize, 0.0F);
    Biquad lowPass1 = Biquad::lowPass(5200, 0.6, fs);
    Biquad lowPass2 = Biquad::lowPass(7500, 0.7, fs);
    Biquad highPass = Biquad::highPass(45, 0.7, fs);
    Biquad hissBand = Biquad::bandPass(3500, 0.5, fs);
    // Tape saturation relative to the programme level: peaks a few times above the RMS get rounded off.
    const double drive = 1.3 / (4.0 * rms);
    const double makeUp = 1.0 / drive;
    const double hissLevel = 0.05 * rms;
    double delaySamples = 0.006 * fs;
    for (std::size_t n = 0; n < signal.size(); ++n) {
        ring[n % RingSize] = signal[n];
        if (n % WowBlock == 0) {
            const double t = static_cast<double>(n) / fs;
            // Wow 0.55 Hz and flutter 6 Hz: about 8 cents of slow pitch drift, as a worn tape deck gives.
            delaySamples = (0.006 + 0.0011 * SineTable::at(wowPhase + 0.55 * t) +
                            0.00008 * SineTable::at(flutterPhase + 6.1 * t)) *
                           fs;
        }
        const double position = static_cast<double>(n) - delaySamples;
        double wobbled = 0;
        if (position >= 0) {
            const auto index = static_cast<std::size_t>(position);
            const double fraction = position - static_cast<double>(index);
            const double a = ring[index % RingSize];
            const double b = index + 1 <= n ? ring[(index + 1) % RingSize] : a;
            wobbled = a + fraction * (b - a);
        }
        double sample = lowPass2.process(lowPass1.process(highPass.process(wobbled)));
        sample = softClip(sample * drive) * makeUp;
        sample += hissBand.process(m_noise.bipolar()) * hissLevel;
        signal[n] = static_cast<float>(sample);
    }
}

void LofiColour::addCrackle(std::vector<float>& signal, double rms, double fs, std::size_t firstClick)
{
    // Each click is a few hundred microseconds of bright noise; loud ones are rare.
    const double clickDecay = dmath::decayPerSample(0.0004, fs);
    for (std::size_t start = firstClick; start < signal.size(); start += clickGap(fs)) {
        const double u = m_noise.unit();
        double level = (m_noise.chance(0.5) ? 1.0 : -1.0) * rms * (0.25 + 1.2 * u * u * u);
        // Band-passed around 3 kHz so clicks tick rather than thump, and stay clear of the top octave.
        Biquad tick = Biquad::bandPass(3000, 0.8, fs);
        for (std::size_t k = 0; k < 96 && start + k < signal.size(); ++k) {
            signal[start + k] += static_cast<float>(level * tick.process(m_noise.bipolar()));
            level *= clickDecay;
        }
    }
}

} // namespace engine
