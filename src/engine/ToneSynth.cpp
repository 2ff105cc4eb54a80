#include "ToneSynth.h"

#include "DetMath.h"
#include "Oscillators.h"
#include "SineTable.h"
#include "Svf.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace engine {

namespace {

constexpr double Fs = SampleRate;
constexpr int FilterBlock = 32; ///< samples between filter-coefficient updates

/// Samples the note may write: from its start, for `wanted` samples, but never past the end of the clip.
int span(const NoteEvent& note, const std::vector<float>& out, double wanted)
{
    const double room = static_cast<double>(out.size()) - note.startSample;
    return static_cast<int>(std::max(0.0, std::min(wanted, room)));
}

/// One cycle of a drawbar organ (8', 4', 2 2/3', 2', 1 1/3', 1').
class DrawbarTable
{
public:
    static constexpr int Size = 2048;

    static float at(double turns)
    {
        static const DrawbarTable table;
        const double position = (turns - std::floor(turns)) * Size;
        const int index = static_cast<int>(position);
        const auto fraction = static_cast<float>(position - index);
        const float a = table.m_values[static_cast<std::size_t>(index)];
        const float b = table.m_values[static_cast<std::size_t>(index) + 1];
        return a + fraction * (b - a);
    }

private:
    DrawbarTable()
    {
        constexpr int Harmonics[] = {1, 2, 3, 4, 6, 8};
        constexpr double Levels[] = {1.0, 0.6, 0.45, 0.3, 0.18, 0.12};
        for (int i = 0; i <= Size; ++i) {
            double value = 0;
            for (int h = 0; h < 6; ++h)
                value += Levels[h] * dmath::sinTurns(static_cast<double>(Harmonics[h]) * i / Size);
            m_values[static_cast<std::size_t>(i)] = static_cast<float>(value / 2.0);
        }
    }

    std::array<float, Size + 1> m_values{};
};

} // namespace

ToneSynth::ToneSynth(std::uint64_t seed) : m_noise(seed, 101) {}

void ToneSynth::render(Voice voice, const NoteEvent& note, std::vector<float>& out)
{
    if (note.startSample < 0 || note.startSample >= static_cast<int>(out.size()))
        return;
    switch (voice) {
    case Voice::None:
        return;
    case Voice::Piano:
        piano(note, out);
        return;
    case Voice::EPiano:
        electricPiano(note, out);
        return;
    case Voice::Organ:
        organ(note, out);
        return;
    case Voice::AcousticGuitar: {
        Pluck p;
        p.brightness = 0.62;
        p.hardness = 0.35 + 0.4 * note.velocity;
        p.ringSeconds = std::clamp(5.0 * dmath::pow(110.0 / dmath::midiToHz(note.midi), 0.5), 1.2, 5.0);
        p.muteSeconds = 0.25;
        p.gain = 0.45;
        pluck(note, out, p);
        return;
    }
    case Voice::CleanGuitar: {
        Pluck p;
        p.brightness = 0.7;
        p.hardness = 0.5 + 0.3 * note.velocity;
        p.ringSeconds = 2.5;
        p.muteSeconds = 0.06;
        p.gain = 0.45;
        pluck(note, out, p);
        return;
    }
    case Voice::OverdriveGuitar: {
        Pluck p;
        p.brightness = 0.8;
        p.hardness = 0.8;
        p.ringSeconds = 4.0;
        p.muteSeconds = 0.08;
        p.drive = 7.0;
        p.gain = 0.22;
        pluck(note, out, p);
        return;
    }
    case Voice::Harp: {
        Pluck p;
        p.brightness = 0.58;
        p.hardness = 0.3 + 0.3 * note.velocity;
        p.ringSeconds = 4.5;
        p.muteSeconds = 1.5;
        p.gain = 0.45;
        pluck(note, out, p);
        return;
    }
    case Voice::UprightBass: {
        Pluck p;
        p.brightness = 0.52;
        p.hardness = 0.3;
        p.ringSeconds = 1.4;
        p.muteSeconds = 0.12;
        p.bodyLevel = 0.9;
        p.bodySeconds = 0.7;
        p.gain = 0.5;
        pluck(note, out, p);
        return;
    }
    case Voice::PickBass: {
        Pluck p;
        p.brightness = 0.6;
        p.hardness = 0.55;
        p.ringSeconds = 2.2;
        p.muteSeconds = 0.08;
        p.bodyLevel = 0.8;
        p.bodySeconds = 1.2;
        p.gain = 0.45;
        pluck(note, out, p);
        return;
    }
    case Voice::Strings: {
        Ensemble e;
        // Two bows per note: chords and the reverb give the section its width, and it halves the cost.
        e.oscillators = 2;
        e.detuneCents[0] = -6;
        e.detuneCents[1] = 6;
        e.attackSeconds = note.lengthSamples > Fs ? 0.3 : 0.12;
        e.releaseSeconds = 0.3;
        e.vibratoDepth = 0.0035;
        e.vibratoRate = 5.3;
        e.vibratoDelay = 0.25;
        e.gain = 0.11;
        ensemble(note, out, e);
        return;
    }
    case Voice::Pad: {
        Ensemble e;
        e.oscillators = 2;
        e.detuneCents[0] = -10;
        e.detuneCents[1] = 10;
        e.attackSeconds = 0.45;
        e.releaseSeconds = 0.5;
        e.gain = 0.1;
        ensemble(note, out, e);
        return;
    }
    case Voice::DarkPad: {
        Ensemble e;
        e.oscillators = 2;
        e.detuneCents[0] = -7;
        e.detuneCents[1] = 7;
        e.attackSeconds = 0.7;
        e.releaseSeconds = 0.6;
        e.subLevel = 0.5;
        e.gain = 0.14;
        ensemble(note, out, e);
        return;
    }
    case Voice::Choir: {
        Ensemble e;
        e.oscillators = 2;
        e.detuneCents[0] = -9;
        e.detuneCents[1] = 8;
        e.attackSeconds = 0.35;
        e.releaseSeconds = 0.45;
        e.vibratoDepth = 0.003;
        e.vibratoRate = 4.8;
        e.vibratoDelay = 0.2;
        e.gain = 0.16;
        ensemble(note, out, e);
        return;
    }
    case Voice::SynthLead:
        synthLead(note, out);
        return;
    case Voice::SynthPluck:
        synthPluck(note, out);
        return;
    case Voice::Bells: {
        Partials p;
        const double scale = std::clamp(dmath::pow(523.0 / dmath::midiToHz(note.midi), 0.3), 0.6, 1.6);
        p.add(1.0, 1.0, 2.4 * scale);
        p.add(2.0, 0.25, 1.4 * scale);
        p.add(2.756, 0.5, 1.0 * scale);
        p.add(5.404, 0.28, 0.45 * scale);
        p.add(8.933, 0.14, 0.22 * scale);
        partials(note, out, p, 1.2, 0.2 * note.velocity, 0.05, 0.002);
        return;
    }
    case Voice::Marimba: {
        Partials p;
        const double scale = std::clamp(dmath::pow(440.0 / dmath::midiToHz(note.midi), 0.4), 0.5, 2.0);
        p.add(1.0, 1.0, 0.5 * scale);
        p.add(3.93, 0.3, 0.09 * scale);
        p.add(9.24, 0.08, 0.03 * scale);
        partials(note, out, p, 0.25, 0.32 * note.velocity, 0.12, 0.003);
        return;
    }
    case Voice::Flute:
        flute(note, out);
        return;
    case Voice::Brass:
        brass(note, out, false);
        return;
    case Voice::Sax:
        brass(note, out, true);
        return;
    case Voice::SubBass:
        subBass(note, out);
        return;
    case Voice::SynthBass:
        synthBass(note, out, false);
        return;
    case Voice::ReeseBass:
        synthBass(note, out, true);
        return;
    }
}

void ToneSynth::partials(const NoteEvent& note, std::vector<float>& out, const Partials& p, double releaseSeconds,
                         double gain, double noiseLevel, double noiseSeconds)
{
    const double f0 = dmath::midiToHz(note.midi);
    // Damped recursive oscillators: y[n] = 2 r cos(w) y[n-1] - r^2 y[n-2] is a decaying sine for two multiplies.
    double coefficient[Partials::Max];
    double radius2[Partials::Max];
    double y1[Partials::Max];
    double y2[Partials::Max];
    int count = 0;
    double longest = 0;
    for (int k = 0; k < p.count; ++k) {
        const double hz = f0 * p.ratio[k];
        if (hz > 0.45 * Fs)
            continue;
        const double w = dmath::TwoPi * hz / Fs;
        const double r = dmath::decayPerSample(p.decaySeconds[k], Fs);
        coefficient[count] = 2.0 * r * dmath::cos(w);
        radius2[count] = r * r;
        y1[count] = 0.0;
        y2[count] = -p.amplitude[k] * dmath::sin(w) / r;
        longest = std::max(longest, p.decaySeconds[k]);
        ++count;
    }
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, std::min(length + 6.0 * releaseSeconds * Fs, 7.0 * longest * Fs));
    const double release = dmath::decayPerSample(releaseSeconds, Fs);
    const int noiseLength = static_cast<int>(noiseSeconds * Fs);
    const double noiseDecay = dmath::decayPerSample(noiseSeconds / 3.0, Fs);
    double noiseEnvelope = noiseLevel;
    double noiseLow = 0;
    double envelope = 1.0;
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
            const double white = m_noise.bipolar();
            noiseLow += 0.35 * (white - noiseLow);
            sum += (white - noiseLow) * noiseEnvelope;
            noiseEnvelope *= noiseDecay;
        }
        if (n >= length)
            envelope *= release;
        target[n] += static_cast<float>(gain * envelope * sum);
    }
}

void ToneSynth::piano(const NoteEvent& note, std::vector<float>& out)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const double brightness = 0.3 + 0.45 * v;
    const double ring = std::clamp(3.2 * dmath::pow(261.6 / f0, 0.6), 0.5, 8.0);
    Partials p;
    for (int k = 1; k <= 9; ++k) {
        const double ratio = k * std::sqrt(1.0 + 0.0004 * k * k);
        const double amplitude = dmath::pow(brightness, k - 1) / dmath::pow(k, 0.6);
        p.add(ratio, amplitude, ring / (1.0 + 0.55 * (k - 1)));
    }
    // A second string a cent sharp: the slow beating is much of what makes a piano sound like one.
    p.add(1.0006, 0.5, ring * 0.8);
    p.add(2.0012 * std::sqrt(1.0016), 0.25 * brightness, ring * 0.5);
    partials(note, out, p, f0 < 200 ? 0.12 : 0.08, 0.2 * v, 0.35 * v, 0.006);
}

void ToneSynth::electricPiano(const NoteEvent& note, std::vector<float>& out)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const double ring = std::clamp(2.0 * dmath::pow(261.6 / f0, 0.45), 0.6, 4.0);
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, std::min(length + 0.6 * Fs, 7.0 * ring * Fs));
    const double increment = f0 / Fs;
    const double amplitudeDecay = dmath::decayPerSample(ring, Fs);
    const double indexDecay = dmath::decayPerSample(0.35, Fs);
    const double tineDecay = dmath::decayPerSample(0.018, Fs);
    const double release = dmath::decayPerSample(0.12, Fs);
    const double attack = 0.002 * Fs;
    const bool tine = f0 * 7.0 < 0.42 * Fs;
    double phase = 0;
    double amplitude = 1.0;
    double index = (0.25 + 1.6 * v) / dmath::TwoPi;
    double tineLevel = 0.3 * v;
    double envelope = 1.0;
    float* target = out.data() + note.startSample;
    for (int n = 0; n < total; ++n) {
        const double modulator = SineTable::at(phase);
        double sample = SineTable::at(phase + (index + 0.03) * modulator);
        if (tine)
            sample += tineLevel * SineTable::at(phase * 7.0);
        const double rise = n < attack ? n / attack : 1.0;
        if (n >= length)
            envelope *= release;
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
    const double f0 = dmath::midiToHz(note.midi);
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.25 * Fs);
    const double release = dmath::decayPerSample(0.035, Fs);
    const double attack = 0.006 * Fs;
    double phase = 0;
    double vibratoPhase = m_noise.unit();
    double envelope = 1.0;
    double clickLow = 0;
    float* target = out.data() + note.startSample;
    for (int n = 0; n < total; ++n) {
        const double vibrato = 1.0 + 0.0018 * SineTable::at(vibratoPhase);
        vibratoPhase += 6.2 / Fs;
        double sample = DrawbarTable::at(phase);
        if (n < 0.004 * Fs) {
            const double white = m_noise.bipolar();
            clickLow += 0.3 * (white - clickLow);
            sample += 0.15 * (white - clickLow);
        }
        const double rise = n < attack ? n / attack : 1.0;
        if (n >= length)
            envelope *= release;
        target[n] += static_cast<float>(0.16 * note.velocity * rise * envelope * sample);
        phase += f0 * vibrato / Fs;
        if (phase >= 1.0)
            phase -= 1.0;
    }
}

void ToneSynth::pluck(const NoteEvent& note, std::vector<float>& out, const Pluck& p)
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
    std::vector<float> line(static_cast<std::size_t>(size));
    double low = 0;
    double mean = 0;
    for (float& value : line) {
        const double white = m_noise.bipolar();
        low += p.hardness * (white - low);
        value = static_cast<float>(low);
        mean += low;
    }
    mean /= size;
    for (float& value : line)
        value = static_cast<float>((value - mean) * note.velocity);

    const double ring = dmath::exp(-6.907755 / (p.ringSeconds * f0));
    const double mute = dmath::exp(-6.907755 / (p.muteSeconds * f0));
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, std::min(length + p.muteSeconds * Fs, 1.2 * p.ringSeconds * Fs));
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

void ToneSynth::ensemble(const NoteEvent& note, std::vector<float>& out, const Ensemble& e)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    // 4.5 time constants of release is -39 dB: under the rest of the mix and the reverb, the end of a tail.
    const int total = span(note, out, length + 4.5 * e.releaseSeconds * Fs);
    SawOscillator oscillators[4];
    double increments[4];
    for (int k = 0; k < e.oscillators; ++k) {
        increments[k] = f0 * dmath::exp(e.detuneCents[k] * (dmath::Ln2 / 1200.0)) / Fs;
        oscillators[k] = SawOscillator(increments[k] * Fs, Fs, m_noise.unit());
    }
    const double release = dmath::decayPerSample(e.releaseSeconds, Fs);
    const double attackStep = 1.0 / std::max(1.0, e.attackSeconds * Fs);
    const double gain = e.gain * v;
    double vibratoPhase = m_noise.unit();
    double subPhase = 0;
    double envelope = 0;
    float* target = out.data() + note.startSample;
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

void ToneSynth::finishPart(Voice voice, std::vector<float>& stem)
{
    // Pads, strings and choirs share one filter per part, as a paraphonic synth does: the filter is linear, so this
    // sounds the same as one per note with a common cutoff, for a fraction of the cost.
    Svf filter;
    double cutoff = 0;
    double resonance = 0.7;
    double lfoRate = 0;
    double lfoDepth = 0;
    switch (voice) {
    case Voice::Strings:
        cutoff = 3200;
        resonance = 0.6;
        break;
    case Voice::Pad:
        cutoff = 1800;
        resonance = 0.8;
        lfoRate = 0.17;
        lfoDepth = 0.3;
        break;
    case Voice::DarkPad:
        cutoff = 700;
        resonance = 1.1;
        lfoRate = 0.11;
        lfoDepth = 0.35;
        break;
    case Voice::Choir: {
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
        return;
    }
    default:
        return;
    }
    const double lfoPhase = m_noise.unit();
    for (std::size_t n = 0; n < stem.size(); ++n) {
        if (n % FilterBlock == 0) {
            const double lfo =
                lfoDepth > 0 ? lfoDepth * SineTable::at(lfoPhase + lfoRate * static_cast<double>(n) / Fs) : 0.0;
            filter.setCutoff(cutoff * (1.0 + lfo), resonance, Fs);
        }
        stem[n] = static_cast<float>(filter.lowPass(stem[n]));
    }
}

void ToneSynth::synthLead(const NoteEvent& note, std::vector<float>& out)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.5 * Fs);
    const double increment = f0 / Fs;
    SawOscillator saw(f0, Fs, 0.0);
    SawOscillator square(f0 * 1.003, Fs, 0.25);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(0.3, Fs);
    const double release = dmath::decayPerSample(0.09, Fs);
    const double attack = 0.006 * Fs;
    double filterEnvelope = 1.0;
    double vibratoPhase = 0;
    double releaseLevel = 1.0;
    float* target = out.data() + note.startSample;
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
        if (n >= length)
            releaseLevel *= release;
        target[n] += static_cast<float>(0.16 * v * rise * releaseLevel * sample);
    }
}

void ToneSynth::synthPluck(const NoteEvent& note, std::vector<float>& out)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, std::min(length + 0.35 * Fs, 2.0 * Fs));
    SawOscillator a(f0, Fs, 0.0);
    SawOscillator b(f0 * 1.0046, Fs, 0.5);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(0.09, Fs);
    const double amplitudeDecay = dmath::decayPerSample(0.45, Fs);
    const double release = dmath::decayPerSample(0.07, Fs);
    double filterEnvelope = 1.0;
    double amplitude = 1.0;
    float* target = out.data() + note.startSample;
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
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.4 * Fs);
    Svf breath;
    breath.setCutoff(std::min(2.0 * f0 + 1200.0, 0.4 * Fs), 1.2, Fs);
    const double attack = dmath::decayPerSample(0.035, Fs);
    const double release = dmath::decayPerSample(0.08, Fs);
    double phase = 0;
    double vibratoPhase = 0;
    double envelope = 0;
    double releaseLevel = 1.0;
    float* target = out.data() + note.startSample;
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
        else
            releaseLevel *= release;
        target[n] += static_cast<float>(0.2 * v * envelope * releaseLevel *
                                        (1.0 + 0.05 * fadeIn * SineTable::at(vibratoPhase)) * tone);
    }
}

void ToneSynth::brass(const NoteEvent& note, std::vector<float>& out, bool reed)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.6 * Fs);
    const double increment = f0 / Fs;
    SawOscillator a(f0, Fs, 0.0);
    SawOscillator b(f0 * 1.0025, Fs, 0.4);
    Svf filter;
    Svf breath;
    breath.setCutoff(2500, 0.9, Fs);
    const double attackSeconds = reed ? 0.03 : 0.05;
    const double attack = attackSeconds * Fs;
    const double settle = dmath::decayPerSample(0.35, Fs);
    const double release = dmath::decayPerSample(0.1, Fs);
    double swell = 0;
    double releaseLevel = 1.0;
    double vibratoPhase = 0;
    float* target = out.data() + note.startSample;
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
        if (n >= length)
            releaseLevel *= release;
        const double level = n < attack ? swell : 1.0;
        target[n] += static_cast<float>(0.13 * v * level * releaseLevel * sample);
    }
}

void ToneSynth::subBass(const NoteEvent& note, std::vector<float>& out)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.25 * Fs);
    const double release = dmath::decayPerSample(0.05, Fs);
    const double decay = dmath::decayPerSample(0.9, Fs);
    const double bendDecay = dmath::decayPerSample(0.012, Fs);
    double phase = 0;
    double bend = 0.4;
    double level = 1.0;
    double releaseLevel = 1.0;
    float* target = out.data() + note.startSample;
    for (int n = 0; n < total; ++n) {
        // Saturation adds the harmonics that let a sub bass be heard on small speakers.
        const double sample = softClip(1.8 * SineTable::at(phase)) * 0.75;
        phase += f0 * (1.0 + bend) / Fs;
        if (phase >= 1.0)
            phase -= 1.0;
        bend *= bendDecay;
        level = 0.7 + (level - 0.7) * decay;
        if (n >= length)
            releaseLevel *= release;
        const double rise = n < 64 ? n / 64.0 : 1.0;
        target[n] += static_cast<float>(0.45 * v * rise * level * releaseLevel * sample);
    }
}

void ToneSynth::synthBass(const NoteEvent& note, std::vector<float>& out, bool reese)
{
    const double f0 = dmath::midiToHz(note.midi);
    const double v = note.velocity;
    const int length = std::max(1, note.lengthSamples);
    const int total = span(note, out, length + 0.2 * Fs);
    SawOscillator a(f0 * (reese ? 0.993 : 1.0), Fs, 0.0);
    SawOscillator b(f0 * (reese ? 1.007 : 1.0), Fs, 0.3);
    Svf filter;
    const double filterDecay = dmath::decayPerSample(reese ? 1.0 : 0.12, Fs);
    const double release = dmath::decayPerSample(0.04, Fs);
    double filterEnvelope = 1.0;
    double lfoPhase = 0;
    double subPhase = 0;
    double releaseLevel = 1.0;
    float* target = out.data() + note.startSample;
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
        if (n >= length)
            releaseLevel *= release;
        const double rise = n < 48 ? n / 48.0 : 1.0;
        target[n] += static_cast<float>(0.3 * v * rise * releaseLevel * sample);
    }
}

} // namespace engine
