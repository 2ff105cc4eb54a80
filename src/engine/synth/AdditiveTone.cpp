#include "engine/synth/AdditiveTone.h"

#include "engine/dsp/DetMath.h"
#include "engine/synth/Patch.h"

#include <algorithm>
#include <cmath>

namespace engine {

namespace {

constexpr double Fs = SampleRate;

} // namespace

AdditiveTone AdditiveTone::piano(const NoteEvent& note)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const double brightness = 0.3 + 0.45 * v;
    const double ring = std::clamp(3.2 * dmath::pow(261.6 / f0, 0.6), 0.5, 8.0);
    AdditiveTone tone;
    for (int k = 1; k <= 9; ++k) {
        const double ratio = k * std::sqrt(1.0 + 0.0004 * k * k);
        const double amplitude = dmath::pow(brightness, k - 1) / dmath::pow(k, 0.6);
        tone.add(ratio, amplitude, ring / (1.0 + 0.55 * (k - 1)));
    }
    // A second string a cent sharp: the slow beating is much of what makes a piano sound like one.
    tone.add(1.0006, 0.5, ring * 0.8);
    tone.add(2.0012 * std::sqrt(1.0016), 0.25 * brightness, ring * 0.5);
    tone.m_releaseSeconds = f0 < 200 ? 0.12 : 0.08;
    tone.m_gain = 0.2 * v;
    tone.m_noiseLevel = 0.35 * v;
    tone.m_noiseSeconds = 0.006;
    return tone;
}

AdditiveTone AdditiveTone::bells(const NoteEvent& note)
{
    constexpr Partial Partials[] = {
        {1.0, 1.0, 2.4}, {2.0, 0.25, 1.4}, {2.756, 0.5, 1.0}, {5.404, 0.28, 0.45}, {8.933, 0.14, 0.22}};
    return struck(note, {523.0, 0.3, 0.6, 1.6}, Partials, {1.2, 0.2, 0.05, 0.002});
}

AdditiveTone AdditiveTone::marimba(const NoteEvent& note)
{
    constexpr Partial Partials[] = {{1.0, 1.0, 0.5}, {3.93, 0.3, 0.09}, {9.24, 0.08, 0.03}};
    return struck(note, {440.0, 0.4, 0.5, 2.0}, Partials, {0.25, 0.32, 0.12, 0.003});
}

AdditiveTone AdditiveTone::struck(const NoteEvent& note, const Ring& ring, std::span<const Partial> partials,
                                  const Strike& strike)
{
    const double scale = std::clamp(dmath::pow(ring.referenceHz / dmath::midiToHz(note.midi), ring.exponent),
                                    ring.minScale, ring.maxScale);
    AdditiveTone tone;
    for (const Partial& partial : partials)
        tone.add(partial.ratio, partial.amplitude, partial.decaySeconds * scale);
    tone.m_releaseSeconds = strike.releaseSeconds;
    tone.m_gain = strike.gain * note.velocity;
    tone.m_noiseLevel = strike.noiseLevel;
    tone.m_noiseSeconds = strike.noiseSeconds;
    return tone;
}

void AdditiveTone::add(double ratio, double amplitude, double decaySeconds)
{
    if (m_count < MaxPartials) {
        m_ratio[m_count] = ratio;
        m_amplitude[m_count] = amplitude;
        m_decaySeconds[m_count] = decaySeconds;
        ++m_count;
    }
}

void AdditiveTone::render(const NoteEvent& note, std::vector<float>& out, Rng& noise) const
{
    const double f0 = dmath::midiToHz(note.midi);
    // Damped recursive oscillators: y[n] = 2 r cos(w) y[n-1] - r^2 y[n-2] is a decaying sine for two multiplies.
    double coefficient[MaxPartials];
    double radius2[MaxPartials];
    double y1[MaxPartials];
    double y2[MaxPartials];
    int count = 0;
    double longest = 0;
    for (int k = 0; k < m_count; ++k) {
        const double hz = f0 * m_ratio[k];
        if (hz > 0.45 * Fs)
            continue;
        const double w = dmath::TwoPi * hz / Fs;
        const double r = dmath::decayPerSample(m_decaySeconds[k], Fs);
        coefficient[count] = 2.0 * r * dmath::cos(w);
        radius2[count] = r * r;
        y1[count] = 0.0;
        y2[count] = -m_amplitude[k] * dmath::sin(w) / r;
        longest = std::max(longest, m_decaySeconds[k]);
        ++count;
    }
    const int length = std::max(1, note.lengthSamples);
    const int total = noteSpan(note, out, std::min(length + 6.0 * m_releaseSeconds * Fs, 7.0 * longest * Fs));
    Release release(m_releaseSeconds, length);
    const int noiseLength = static_cast<int>(m_noiseSeconds * Fs);
    const double noiseDecay = dmath::decayPerSample(m_noiseSeconds / 3.0, Fs);
    double noiseEnvelope = m_noiseLevel;
    double noiseLow = 0;
    float* target = out.data() + note.startSample;
    for (int n = 0; n < total; ++n) {
        double sum = 0;
        for (int k = 0; k < count; ++k) {
            const double current = y1[k];
            sum += current;
            y1[k] = coefficient[k] * current - radius2[k] * y2[k];
            y2[k] = current;
        }
        if (n < noiseLength) {
            const double white = noise.bipolar();
            noiseLow += 0.35 * (white - noiseLow);
            sum += (white - noiseLow) * noiseEnvelope;
            noiseEnvelope *= noiseDecay;
        }
        const double envelope = release.next(n);
        target[n] += static_cast<float>(m_gain * envelope * sum);
    }
}

} // namespace engine
