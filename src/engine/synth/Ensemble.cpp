#include "engine/synth/Ensemble.h"

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

/// The part filter of a patch; a cutoff of 0 means none.
struct PartFilter
{
    double cutoff = 0;
    double resonance = 0.7;
    double lfoRate = 0;
    double lfoDepth = 0;
};

PartFilter partFilterOf(Voice voice)
{
    switch (voice) {
    case Voice::Strings: return {.cutoff = 3200, .resonance = 0.6};
    case Voice::Pad: return {.cutoff = 1800, .resonance = 0.8, .lfoRate = 0.17, .lfoDepth = 0.3};
    case Voice::DarkPad: return {.cutoff = 700, .resonance = 1.1, .lfoRate = 0.11, .lfoDepth = 0.35};
    default: return {};
    }
}

} // namespace

bool Ensemble::plays(Voice voice)
{
    return voice == Voice::Strings || voice == Voice::Pad || voice == Voice::DarkPad || voice == Voice::Choir;
}

Ensemble::Params Ensemble::forNote(Voice voice, const NoteEvent& note)
{
    switch (voice) {
    case Voice::Strings:
        // Two bows per note: chords and the reverb give the section its width, and it halves the cost.
        return {.detuneCents = {-6, 6},
                .oscillators = 2,
                .attackSeconds = note.lengthSamples > Fs ? 0.3 : 0.12,
                .releaseSeconds = 0.3,
                .vibratoDepth = 0.0035,
                .vibratoRate = 5.3,
                .vibratoDelay = 0.25,
                .gain = 0.11};
    case Voice::Pad:
        return {.detuneCents = {-10, 10}, .oscillators = 2, .attackSeconds = 0.45, .releaseSeconds = 0.5, .gain = 0.1};
    case Voice::DarkPad:
        return {.detuneCents = {-7, 7},
                .oscillators = 2,
                .attackSeconds = 0.7,
                .releaseSeconds = 0.6,
                .subLevel = 0.5,
                .gain = 0.14};
    case Voice::Choir:
        return {.detuneCents = {-9, 8},
                .oscillators = 2,
                .attackSeconds = 0.35,
                .releaseSeconds = 0.45,
                .vibratoDepth = 0.003,
                .vibratoRate = 4.8,
                .vibratoDelay = 0.2,
                .gain = 0.16};
    default: return {};
    }
}

void Ensemble::render(const NoteEvent& note, std::vector<float>& out, const Params& e, Rng& noise)
{
    const auto [f0, v, length, target] = startNote(note, out);
    // 4.5 time constants of release is -39 dB: under the rest of the mix and the reverb, the end of a tail.
    const int total = noteSpan(note, out, length + 4.5 * e.releaseSeconds * Fs);
    SawOscillator oscillators[4];
    double increments[4];
    for (int k = 0; k < e.oscillators; ++k) {
        increments[k] = f0 * dmath::exp(e.detuneCents[k] * (dmath::Ln2 / 1200.0)) / Fs;
        oscillators[k] = SawOscillator(increments[k] * Fs, Fs, noise.unit());
    }
    const double release = dmath::decayPerSample(e.releaseSeconds, Fs);
    const double attackStep = 1.0 / std::max(1.0, e.attackSeconds * Fs);
    const double gain = e.gain * v;
    double vibratoPhase = noise.unit();
    double subPhase = 0;
    double envelope = 0;
    for (int n = 0; n < total; ++n) {
        // Vibrato moves a few times a second; updating it every 8 samples (4 kHz) is plenty.
        if (e.vibratoDepth > 0 && n % 8 == 0) {
            const double fadeIn = std::clamp((n / Fs - e.vibratoDelay) * 3.0, 0.0, 1.0);
            const double pitch = 1.0 + e.vibratoDepth * fadeIn * SineTable::at(vibratoPhase);
            vibratoPhase += 8.0 * e.vibratoRate / Fs;
            for (int k = 0; k < e.oscillators; ++k)
                oscillators[k].setIncrement(increments[k] * pitch);
        }
        double sample = 0;
        for (int k = 0; k < e.oscillators; ++k)
            sample += oscillators[k].next();
        if (e.subLevel > 0) {
            sample += e.subLevel * SineTable::at(subPhase);
            subPhase += 0.5 * f0 / Fs;
        }
        if (n < length)
            envelope = std::min(1.0, envelope + attackStep);
        else
            envelope *= release;
        target[n] += static_cast<float>(gain * envelope * sample);
    }
}

void Ensemble::filterPart(Voice voice, std::vector<float>& stem, Rng& noise)
{
    if (voice == Voice::Choir) {
        sing(stem);
        return;
    }
    const PartFilter filter = partFilterOf(voice);
    if (filter.cutoff <= 0)
        return;
    Svf svf;
    const double lfoPhase = noise.unit();
    for (std::size_t n = 0; n < stem.size(); ++n) {
        if (n % FilterBlock == 0) {
            const double lfo =
                filter.lfoDepth > 0
                    ? filter.lfoDepth * SineTable::at(lfoPhase + filter.lfoRate * static_cast<double>(n) / Fs)
                    : 0.0;
            svf.setCutoff(filter.cutoff * (1.0 + lfo), filter.resonance, Fs);
        }
        stem[n] = static_cast<float>(svf.lowPass(stem[n]));
    }
}

void Ensemble::sing(std::vector<float>& stem)
{
    // An open "ah": the first three formants of a sung vowel.
    Svf formant1;
    Svf formant2;
    Svf formant3;
    formant1.setCutoff(750, 3.0, Fs);
    formant2.setCutoff(1150, 4.0, Fs);
    formant3.setCutoff(2700, 5.0, Fs);
    for (float& value : stem) {
        const double x = value;
        value = static_cast<float>(1.6 * formant1.process(x).band + formant2.process(x).band +
                                   0.45 * formant3.process(x).band);
    }
}

} // namespace engine
