#include "engine/synth/ToneSynth.h"

#include "engine/dsp/DetMath.h"
#include "engine/dsp/SineTable.h"
#include "engine/dsp/Svf.h"
#include "engine/dsp/WaveTable.h"
#include "engine/synth/AdditiveTone.h"
#include "engine/synth/Ensemble.h"
#include "engine/synth/Oscillators.h"
#include "engine/synth/Patch.h"
#include "engine/synth/PluckedString.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace engine {

namespace {

constexpr double Fs = SampleRate;

/// One cycle of a drawbar organ (8', 4', 2 2/3', 2', 1 1/3', 1'), for any finite `turns`.
float drawbar(double turns)
{
    constexpr int Points = 2048;
    static const WaveTable<Points> table([](int i) {
        constexpr int Harmonics[] = {1, 2, 3, 4, 6, 8};
        constexpr double Levels[] = {1.0, 0.6, 0.45, 0.3, 0.18, 0.12};
        double value = 0;
        for (int h = 0; h < 6; ++h)
            value += Levels[h] * dmath::sinTurns(static_cast<double>(Harmonics[h]) * i / Points);
        return value / 2.0;
    });
    return table.at(turns);
}

} // namespace

ToneSynth::ToneSynth(std::uint64_t seed) : m_noise(seed, 101) {}

void ToneSynth::render(Voice voice, const NoteEvent& note, std::vector<float>& out)
{
    if (note.startSample < 0 || note.startSample >= static_cast<int>(out.size()))
        return;
    if (PluckedString::plays(voice)) {
        PluckedString::render(note, out, PluckedString::forNote(voice, note), m_noise);
        return;
    }
    if (Ensemble::plays(voice)) {
        Ensemble::render(note, out, Ensemble::forNote(voice, note), m_noise);
        return;
    }
    switch (voice) {
    case Voice::Piano: AdditiveTone::piano(note).render(note, out, m_noise); return;
    case Voice::Bells: AdditiveTone::bells(note).render(note, out, m_noise); return;
    case Voice::Marimba: AdditiveTone::marimba(note).render(note, out, m_noise); return;
    case Voice::EPiano: electricPiano(note, out); return;
    case Voice::Organ: organ(note, out); return;
    case Voice::SynthLead: synthLead(note, out); return;
    case Voice::SynthPluck: synthPluck(note, out); return;
    case Voice::Flute: flute(note, out); return;
    case Voice::Brass: brass(note, out, false); return;
    case Voice::Sax: brass(note, out, true); return;
    case Voice::SubBass: subBass(note, out); return;
    case Voice::SynthBass: synthBass(note, out, false); return;
    case Voice::ReeseBass: synthBass(note, out, true); return;
    default: return;
    }
}

void ToneSynth::finishPart(Voice voice, std::vector<float>& stem)
{
    Ensemble::filterPart(voice, stem, m_noise);
}

void ToneSynth::electricPiano(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const double ring = std::clamp(2.0 * dmath::pow(261.6 / f0, 0.45), 0.6, 4.0);
    const int total = noteSpan(note, out, std::min(length + 0.6 * Fs, 7.0 * ring * Fs));
    const double increment = f0 / Fs;
    const double amplitudeDecay = dmath::decayPerSample(ring, Fs);
    const double indexDecay = dmath::decayPerSample(0.35, Fs);
    const double tineDecay = dmath::decayPerSample(0.018, Fs);
    Release release(0.12, length);
    const double attack = 0.002 * Fs;
    const bool tine = f0 * 7.0 < 0.42 * Fs;
    double phase = 0;
    double amplitude = 1.0;
    double index = (0.25 + 1.6 * v) / dmath::TwoPi;
    double tineLevel = 0.3 * v;
    for (int n = 0; n < total; ++n) {
        const double modulator = SineTable::at(phase);
        double sample = SineTable::at(phase + (index + 0.03) * modulator);
        if (tine)
            sample += tineLevel * SineTable::at(phase * 7.0);
        const double rise = n < attack ? n / attack : 1.0;
        const double envelope = release.next(n);
        target[n] += static_cast<float>(0.22 * v * rise * amplitude * envelope * sample);
        phase += increment;
        if (phase >= 1.0)
            phase -= 1.0;
        amplitude *= amplitudeDecay;
        index *= indexDecay;
        tineLevel *= tineDecay;
    }
}

void ToneSynth::organ(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.25 * Fs);
    Release release(0.035, length);
    const double attack = 0.006 * Fs;
    double phase = 0;
    double vibratoPhase = m_noise.unit();
    double clickLow = 0;
    for (int n = 0; n < total; ++n) {
        const double vibrato = 1.0 + 0.0018 * SineTable::at(vibratoPhase);
        vibratoPhase += 6.2 / Fs;
        double sample = drawbar(phase);
        if (n < 0.004 * Fs) {
            const double white = m_noise.bipolar();
            clickLow += 0.3 * (white - clickLow);
            sample += 0.15 * (white - clickLow);
        }
        const double rise = n < attack ? n / attack : 1.0;
        const double envelope = release.next(n);
        target[n] += static_cast<float>(0.16 * v * rise * envelope * sample);
        phase += f0 * vibrato / Fs;
        if (phase >= 1.0)
            phase -= 1.0;
    }
}

void ToneSynth::synthLead(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.5 * Fs);
    const double increment = f0 / Fs;
    SawOscillator saw(f0, Fs, 0.0);
    SawOscillator square(f0 * 1.003, Fs, 0.25);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(0.3, Fs);
    Release release(0.09, length);
    const double attack = 0.006 * Fs;
    double filterEnvelope = 1.0;
    double vibratoPhase = 0;
    for (int n = 0; n < total; ++n) {
        if (n % FilterBlock == 0)
            filter.setCutoff(f0 * 1.5 + (1200.0 + 2600.0 * v) * (0.35 + 0.65 * filterEnvelope), 1.3, Fs);
        const double fadeIn = std::clamp((n / Fs - 0.25) * 2.5, 0.0, 1.0);
        const double pitch = 1.0 + 0.004 * fadeIn * SineTable::at(vibratoPhase);
        vibratoPhase += 5.6 / Fs;
        saw.setIncrement(increment * pitch);
        square.setIncrement(increment * 1.003 * pitch);
        const double sample = filter.lowPass(0.6 * saw.next() + 0.4 * square.nextSquare());
        filterEnvelope *= filterDecay;
        const double rise = n < attack ? n / attack : 1.0;
        const double releaseLevel = release.next(n);
        target[n] += static_cast<float>(0.16 * v * rise * releaseLevel * sample);
    }
}

void ToneSynth::synthPluck(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, std::min(length + 0.35 * Fs, 2.0 * Fs));
    SawOscillator a(f0, Fs, 0.0);
    SawOscillator b(f0 * 1.0046, Fs, 0.5);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(0.09, Fs);
    const double amplitudeDecay = dmath::decayPerSample(0.45, Fs);
    const double release = dmath::decayPerSample(0.07, Fs);
    double filterEnvelope = 1.0;
    double amplitude = 1.0;
    for (int n = 0; n < total; ++n) {
        if (n % FilterBlock == 0)
            filter.setCutoff(250.0 + f0 + (900.0 + 5000.0 * v) * filterEnvelope, 1.1, Fs);
        const double sample = filter.lowPass(a.next() + b.next());
        filterEnvelope *= filterDecay;
        amplitude *= n < length ? amplitudeDecay : release;
        const double rise = n < 48 ? n / 48.0 : 1.0;
        target[n] += static_cast<float>(0.14 * v * rise * amplitude * sample);
    }
}

void ToneSynth::flute(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.4 * Fs);
    Svf breath;
    breath.setCutoff(std::min(2.0 * f0 + 1200.0, 0.4 * Fs), 1.2, Fs);
    const double attack = dmath::decayPerSample(0.035, Fs);
    Release release(0.08, length);
    double phase = 0;
    double vibratoPhase = 0;
    double envelope = 0;
    for (int n = 0; n < total; ++n) {
        const double fadeIn = std::clamp((n / Fs - 0.18) * 3.0, 0.0, 1.0);
        const double pitch = 1.0 + 0.0035 * fadeIn * SineTable::at(vibratoPhase);
        vibratoPhase += 4.9 / Fs;
        double tone = SineTable::at(phase) + 0.22 * SineTable::at(2.0 * phase) + 0.07 * SineTable::at(3.0 * phase);
        const double chiff = n < 0.06 * Fs ? 0.25 : 0.06;
        tone += chiff * breath.process(m_noise.bipolar()).band;
        phase += f0 * pitch / Fs;
        if (phase >= 1.0)
            phase -= 1.0;
        if (n < length)
            envelope = 1.0 - (1.0 - envelope) * attack;
        const double releaseLevel = release.next(n);
        target[n] += static_cast<float>(0.2 * v * envelope * releaseLevel *
                                        (1.0 + 0.05 * fadeIn * SineTable::at(vibratoPhase)) * tone);
    }
}

void ToneSynth::brass(const NoteEvent& note, std::vector<float>& out, bool reed)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.6 * Fs);
    const double increment = f0 / Fs;
    SawOscillator a(f0, Fs, 0.0);
    SawOscillator b(f0 * 1.0025, Fs, 0.4);
    Svf filter;
    Svf breath;
    breath.setCutoff(2500, 0.9, Fs);
    const double attackSeconds = reed ? 0.03 : 0.05;
    const double attack = attackSeconds * Fs;
    const double settle = dmath::decayPerSample(0.35, Fs);
    Release release(0.1, length);
    double swell = 0;
    double vibratoPhase = 0;
    for (int n = 0; n < total; ++n) {
        // The brass "bwah": the tone brightens as the lips start buzzing, then settles.
        if (n < attack)
            swell = n / attack;
        else
            swell = 0.7 + (swell - 0.7) * settle;
        if (n % FilterBlock == 0) {
            const double brightness = reed ? 1800.0 + 1600.0 * v : f0 * (1.2 + 5.5 * v * swell);
            filter.setCutoff(brightness, reed ? 1.6 : 0.75, Fs);
        }
        const double fadeIn = std::clamp((n / Fs - 0.3) * 2.5, 0.0, 1.0);
        const double pitch = 1.0 + (reed ? 0.005 : 0.0025) * fadeIn * SineTable::at(vibratoPhase);
        vibratoPhase += 5.0 / Fs;
        a.setIncrement(increment * pitch);
        b.setIncrement(increment * 1.0025 * pitch);
        double raw = reed ? 0.7 * a.nextSquare() + 0.3 * b.next() : a.next() + b.next();
        if (reed)
            raw += 0.08 * breath.process(m_noise.bipolar()).band;
        const double sample = filter.lowPass(raw);
        const double releaseLevel = release.next(n);
        const double level = n < attack ? swell : 1.0;
        target[n] += static_cast<float>(0.13 * v * level * releaseLevel * sample);
    }
}

void ToneSynth::subBass(const NoteEvent& note, std::vector<float>& out)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.25 * Fs);
    Release release(0.05, length);
    const double decay = dmath::decayPerSample(0.9, Fs);
    const double bendDecay = dmath::decayPerSample(0.012, Fs);
    double phase = 0;
    double bend = 0.4;
    double level = 1.0;
    for (int n = 0; n < total; ++n) {
        // Saturation adds the harmonics that let a sub bass be heard on small speakers.
        const double sample = softClip(1.8 * SineTable::at(phase)) * 0.75;
        phase += f0 * (1.0 + bend) / Fs;
        if (phase >= 1.0)
            phase -= 1.0;
        bend *= bendDecay;
        level = 0.7 + (level - 0.7) * decay;
        const double releaseLevel = release.next(n);
        const double rise = n < 64 ? n / 64.0 : 1.0;
        target[n] += static_cast<float>(0.45 * v * rise * level * releaseLevel * sample);
    }
}

void ToneSynth::synthBass(const NoteEvent& note, std::vector<float>& out, bool reese)
{
    const auto [f0, v, length, target] = startNote(note, out);
    const int total = noteSpan(note, out, length + 0.2 * Fs);
    SawOscillator a(f0 * (reese ? 0.993 : 1.0), Fs, 0.0);
    SawOscillator b(f0 * (reese ? 1.007 : 1.0), Fs, 0.3);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(reese ? 1.0 : 0.12, Fs);
    Release release(0.04, length);
    double filterEnvelope = 1.0;
    double lfoPhase = 0;
    double subPhase = 0;
    for (int n = 0; n < total; ++n) {
        if (n % FilterBlock == 0) {
            double cutoff;
            if (reese) {
                cutoff = 380.0 + 150.0 * v + 140.0 * SineTable::at(lfoPhase);
            } else {
                cutoff = 140.0 + 2.0 * f0 + (500.0 + 1400.0 * v) * filterEnvelope;
            }
            filter.setCutoff(cutoff, reese ? 0.9 : 1.2, Fs);
        }
        lfoPhase += 0.35 / Fs;
        const double raw = reese ? a.next() + b.next() : a.next() + 0.6 * b.nextSquare();
        double sample = filter.lowPass(raw) + 0.6 * SineTable::at(subPhase);
        subPhase += f0 / Fs;
        if (subPhase >= 1.0)
            subPhase -= 1.0;
        filterEnvelope *= filterDecay;
        const double releaseLevel = release.next(n);
        const double rise = n < 48 ? n / 48.0 : 1.0;
        target[n] += static_cast<float>(0.3 * v * rise * releaseLevel * sample);
    }
}

} // namespace engine
