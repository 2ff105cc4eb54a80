#include "engine/synth/PluckedString.h"

#include "engine/dsp/DetMath.h"
#include "engine/dsp/SineTable.h"
#include "engine/dsp/Svf.h"
#include "engine/synth/Oscillators.h"
#include "engine/synth/Patch.h"

#include <algorithm>
#include <cmath>

namespace engine {

namespace {

constexpr double Fs = SampleRate;

/// The string's excitation: low-passed noise, as bright as the pluck is hard, without a DC offset that would
/// circulate for ever.
std::vector<float> pluckBurst(int size, double hardness, float velocity, Rng& noise)
{
    std::vector<float> line(static_cast<std::size_t>(size));
    double low = 0;
    double mean = 0;
    for (float& value : line) {
        const double white = noise.bipolar();
        low += hardness * (white - low);
        value = static_cast<float>(low);
        mean += low;
    }
    mean /= size;
    for (float& value : line)
        value = static_cast<float>((value - mean) * velocity);
    return line;
}

} // namespace

bool PluckedString::plays(Voice voice)
{
    return voice == Voice::AcousticGuitar || voice == Voice::CleanGuitar || voice == Voice::OverdriveGuitar ||
           voice == Voice::Harp || voice == Voice::UprightBass || voice == Voice::PickBass;
}

PluckedString::Params PluckedString::forNote(Voice voice, const NoteEvent& note)
{
    switch (voice) {
    case Voice::AcousticGuitar:
        return {.brightness = 0.62,
                .hardness = 0.35 + 0.4 * note.velocity,
                .ringSeconds = std::clamp(5.0 * dmath::pow(110.0 / dmath::midiToHz(note.midi), 0.5), 1.2, 5.0),
                .muteSeconds = 0.25,
                .gain = 0.45};
    case Voice::CleanGuitar:
        return {.brightness = 0.7,
                .hardness = 0.5 + 0.3 * note.velocity,
                .ringSeconds = 2.5,
                .muteSeconds = 0.06,
                .gain = 0.45};
    case Voice::OverdriveGuitar:
        return {
            .brightness = 0.8, .hardness = 0.8, .ringSeconds = 4.0, .muteSeconds = 0.08, .drive = 7.0, .gain = 0.22};
    case Voice::Harp:
        return {.brightness = 0.58,
                .hardness = 0.3 + 0.3 * note.velocity,
                .ringSeconds = 4.5,
                .muteSeconds = 1.5,
                .gain = 0.45};
    case Voice::UprightBass:
        return {.brightness = 0.52,
                .hardness = 0.3,
                .ringSeconds = 1.4,
                .muteSeconds = 0.12,
                .bodyLevel = 0.9,
                .bodySeconds = 0.7,
                .gain = 0.5};
    case Voice::PickBass:
        return {.brightness = 0.6,
                .hardness = 0.55,
                .ringSeconds = 2.2,
                .muteSeconds = 0.08,
                .bodyLevel = 0.8,
                .bodySeconds = 1.2,
                .gain = 0.45};
    default: return {};
    }
}

void PluckedString::render(const NoteEvent& note, std::vector<float>& out, const Params& p, Rng& noise)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double s = p.brightness;
    // The loop filter y = s*x[n] + (1-s)*x[n-1] delays by (1-s) samples; the all-pass makes up the fraction.
    double delay = Fs / f0 - (1.0 - s);
    int size = static_cast<int>(std::floor(delay));
    double fraction = delay - size;
    if (fraction < 0.1 && size > 2) {
        --size;
        fraction += 1.0;
    }
    size = std::max(size, 2);
    const double allpass = (1.0 - fraction) / (1.0 + fraction);
    std::vector<float> line = pluckBurst(size, p.hardness, note.velocity, noise);

    const double ring = dmath::exp(-6.907755 / (p.ringSeconds * f0));
    const double mute = dmath::exp(-6.907755 / (p.muteSeconds * f0));
    const int length = std::max(1, note.lengthSamples);
    const int total = noteSpan(note, out, std::min(length + p.muteSeconds * Fs, 1.2 * p.ringSeconds * Fs));
    const double bodyIncrement = f0 / Fs;
    const double bodyDecay = dmath::decayPerSample(p.bodySeconds, Fs);
    const double bodyRelease = dmath::decayPerSample(p.muteSeconds / 6.9, Fs);
    double bodyPhase = 0;
    double bodyLevel = p.bodyLevel * note.velocity;
    double last = 0;
    double apIn = 0;
    double apOut = 0;
    int index = 0;
    Svf cabinet;
    if (p.drive > 0)
        cabinet.setCutoff(3200, 0.8, Fs);
    const double driveNorm = p.drive > 0 ? 1.0 / softClip(p.drive * 0.5) : 1.0;
    float* target = out.data() + note.startSample;
    for (int n = 0; n < total; ++n) {
        const double current = line[static_cast<std::size_t>(index)];
        const double filtered = s * current + (1.0 - s) * last;
        last = current;
        const double shifted = allpass * filtered + apIn - allpass * apOut;
        apIn = filtered;
        apOut = shifted;
        line[static_cast<std::size_t>(index)] = static_cast<float>((n < length ? ring : mute) * shifted);
        if (++index == size)
            index = 0;
        double sample = current;
        if (p.drive > 0)
            sample = cabinet.lowPass(softClip(sample * p.drive) * driveNorm);
        if (p.bodyLevel > 0) {
            sample += bodyLevel * SineTable::at(bodyPhase);
            bodyPhase += bodyIncrement;
            if (bodyPhase >= 1.0)
                bodyPhase -= 1.0;
            bodyLevel *= n < length ? bodyDecay : bodyRelease;
        }
        target[n] += static_cast<float>(p.gain * sample);
    }
}

} // namespace engine
