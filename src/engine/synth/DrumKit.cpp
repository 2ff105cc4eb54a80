#include "engine/synth/DrumKit.h"

#include "engine/dsp/Biquad.h"
#include "engine/dsp/DetMath.h"
#include "engine/dsp/SineTable.h"
#include "engine/synth/Oscillators.h"

#include <algorithm>
#include <cmath>

namespace engine {

namespace {

constexpr double Fs = SampleRate;

std::size_t slot(Drum drum)
{
    return static_cast<std::size_t>(drum);
}

} // namespace

DrumKit::DrumKit(Kit kit, int keyRoot, std::uint64_t seed, const std::vector<DrumHit>& hits) : m_noise(seed, 202)
{
    Character character = characterOf(kit);
    // The kick's body sits on the key's root between E1 and D#2, so it never fights the bass.
    const double rootHz = dmath::midiToHz(28 + ((keyRoot % 12) + 8) % 12);
    KickShape& kickShape = character.kick;
    kickShape.endHz = rootHz * kickShape.endHz;
    // Every seed gets its own drum machine within the kit's character: kick sweep, decay and drive, snare tuning.
    Rng variation(seed, 199);
    kickShape.startHz *= variation.uniform(0.85, 1.15);
    kickShape.sweepSeconds *= variation.uniform(0.75, 1.3);
    kickShape.decaySeconds *= variation.uniform(0.8, 1.2);
    kickShape.drive *= variation.uniform(0.8, 1.25);
    character.snare.toneHz *= variation.uniform(0.9, 1.12);
    synthesize(hits, seed, character);
    m_levels = {1.0F, 0.75F, 0.7F, 0.45F, 0.32F, 0.3F, 0.28F, 0.3F, 0.75F, 0.7F, 0.65F, 0.3F};
    m_levels[slot(Drum::Kick)] = character.kickLevel;
    m_levels[slot(Drum::Ride)] = character.rideLevel;
    m_levels[slot(Drum::LowTom)] = character.lowTomLevel;
    m_levels[slot(Drum::MidTom)] = character.midTomLevel;
}

DrumKit::Character DrumKit::characterOf(Kit kit)
{
    switch (kit) {
    case Kit::Standard: return {};
    case Kit::Techno: return {.kick = {210, 1.0, 0.03, 0.4, 0.3, 2.4}};
    case Kit::House: return {.kick = {180, 1.0, 0.035, 0.32, 0.25, 1.6}};
    case Kit::HipHop: return {.kick = {130, 1.0, 0.05, 0.65, 0.15, 1.8}, .snare = {185, 0.5, 0.14, 0.8}};
    case Kit::Lofi: return {.kick = {130, 1.2, 0.04, 0.24, 0.15, 1.4}, .snare = {185, 0.4, 0.13, 0.7}};
    case Kit::Jazz:
        return {.kick = {110, 1.3, 0.03, 0.16, 0.06, 1.0},
                .snare = {185, 0.12, 0.2, 0.7},
                .hatDecay = 0.025,
                .kickLevel = 0.7F,
                .rideLevel = 0.32F};
    case Kit::DrumAndBass: return {.kick = {200, 1.1, 0.025, 0.2, 0.3, 1.5}, .snare = {200, 0.6, 0.1, 1.2}};
    case Kit::Reggae: return {.kick = {110, 1.0, 0.04, 0.35, 0.12, 1.2}};
    case Kit::Rock: return {.kick = {160, 1.2, 0.03, 0.24, 0.4, 1.3}, .snare = {185, 0.6, 0.18, 1.0}};
    case Kit::Cinematic: return {.tomWeight = 1.0, .lowTomLevel = 1.0F, .midTomLevel = 0.8F};
    case Kit::Folk: return {.kick = {120, 1.2, 0.03, 0.2, 0.1, 1.0}, .snare = {185, 0.5, 0.15, 0.8}};
    }
    return {};
}

void DrumKit::synthesize(const std::vector<DrumHit>& hits, std::uint64_t seed, const Character& c)
{
    std::array<bool, DrumCount> used{};
    for (const DrumHit& hit : hits)
        used[slot(hit.drum)] = true;
    const double tomWeight = c.tomWeight;
    for (int v = 0; v < Variants; ++v) {
        const double detune = 1.0 + 0.012 * (v - 1);
        // Each drum and variant has its own noise stream, so a sound does not depend on which others were made.
        auto make = [&](Drum drum, auto&& build) {
            if (!used[slot(drum)])
                return;
            m_noise = Rng(seed, 200 + 8 * slot(drum) + static_cast<std::uint64_t>(v));
            m_samples[slot(drum)][static_cast<std::size_t>(v)] = build();
        };
        make(Drum::Kick, [&] { return kick(c.kick, detune); });
        make(Drum::Snare, [&] { return snare(c.snare, detune); });
        make(Drum::Clap, [&] { return clap(detune); });
        make(Drum::Rim, [&] { return rim(detune); });
        make(Drum::ClosedHat, [&] { return metal(c.hatDecay, 7000, 0.2, 0.0, 0.7, detune); });
        make(Drum::OpenHat, [&] { return metal(0.25, 6500, 0.8, 0.0, 0.7, detune); });
        // Long cymbals rarely repeat close enough together for sameness to show; one take each will do.
        if (v == 0) {
            make(Drum::Ride, [&] { return metal(0.45, 5000, 1.4, 0.12, 0.25, detune); });
            make(Drum::Crash, [&] { return metal(0.9, 3000, 2.2, 0.0, 0.7, detune * 0.9); });
        }
        make(Drum::LowTom,
             [&] { return tom(tomWeight > 0.5 ? 58 : 82, tomWeight > 0.5 ? 0.55 : 0.32, detune, tomWeight); });
        make(Drum::MidTom, [&] { return tom(tomWeight > 0.5 ? 85 : 115, 0.28, detune, tomWeight); });
        make(Drum::HighTom, [&] { return tom(155, 0.24, detune, tomWeight); });
        make(Drum::Shaker, [&] { return shaker(detune); });
    }
}

void DrumKit::render(const DrumHit& hit, std::size_t index, std::vector<float>& out) const
{
    const auto& variants = m_samples[slot(hit.drum)];
    const auto& chosen = variants[index % Variants];
    const auto& sample = chosen.empty() ? variants[0] : chosen;
    if (hit.startSample < 0 || hit.startSample >= static_cast<int>(out.size()))
        return;
    // Loudness grows faster than linearly with how hard a drum is hit; ghost notes should whisper.
    const double v = hit.velocity;
    const auto gain = static_cast<float>(m_levels[slot(hit.drum)] * v * std::sqrt(v));
    const std::size_t count = std::min(sample.size(), out.size() - static_cast<std::size_t>(hit.startSample));
    float* target = out.data() + hit.startSample;
    for (std::size_t i = 0; i < count; ++i)
        target[i] += gain * sample[i];
}

std::vector<float> DrumKit::kick(const KickShape& shape, double detune)
{
    const int length = static_cast<int>(std::min(1.2, 6.0 * shape.decaySeconds) * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    const double sweep = dmath::decayPerSample(shape.sweepSeconds, Fs);
    const double decay = dmath::decayPerSample(shape.decaySeconds, Fs);
    const double clickDecay = dmath::decayPerSample(0.0025, Fs);
    Biquad clickFilter = Biquad::highPass(1500, 0.7, Fs);
    double bend = shape.startHz - shape.endHz;
    double phase = 0;
    double amplitude = 1.0;
    double click = shape.click;
    const double norm = 1.0 / softClip(shape.drive);
    for (int n = 0; n < length; ++n) {
        const double hz = (shape.endHz + bend) * detune;
        double sample = softClip(shape.drive * SineTable::at(phase)) * norm * amplitude;
        sample += click * clickFilter.process(m_noise.bipolar());
        const double rise = n < 32 ? n / 32.0 : 1.0;
        out[static_cast<std::size_t>(n)] = static_cast<float>(rise * sample);
        phase += hz / Fs;
        bend *= sweep;
        amplitude *= decay;
        click *= clickDecay;
    }
    return out;
}

std::vector<float> DrumKit::snare(const SnareShape& shape, double detune)
{
    const int length = static_cast<int>(std::max(0.35, 5.0 * shape.noiseSeconds) * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    Biquad high = Biquad::highPass(1200 * shape.brightness, 0.7, Fs);
    Biquad low = Biquad::lowPass(std::min(9000 * shape.brightness, 0.45 * Fs), 0.7, Fs);
    const double toneDecay = dmath::decayPerSample(0.045, Fs);
    const double noiseDecay = dmath::decayPerSample(shape.noiseSeconds, Fs);
    double tone = shape.toneLevel;
    double noise = 0.9;
    double phase1 = 0;
    double phase2 = 0;
    for (int n = 0; n < length; ++n) {
        const double body = tone * (SineTable::at(phase1) + 0.6 * SineTable::at(phase2));
        const double rattle = noise * low.process(high.process(m_noise.bipolar()));
        const double rise = n < 16 ? n / 16.0 : 1.0;
        out[static_cast<std::size_t>(n)] = static_cast<float>(rise * (body + rattle));
        phase1 += shape.toneHz * detune / Fs;
        phase2 += shape.toneHz * 1.78 * detune / Fs;
        tone *= toneDecay;
        noise *= noiseDecay;
    }
    return out;
}

std::vector<float> DrumKit::clap(double detune)
{
    const int length = static_cast<int>(0.5 * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    Biquad band = Biquad::bandPass(1150 * detune, 1.1, Fs);
    Biquad high = Biquad::highPass(500, 0.7, Fs);
    const int bursts[] = {0, static_cast<int>(0.009 * Fs), static_cast<int>(0.019 * Fs), static_cast<int>(0.03 * Fs)};
    const double burstDecay = dmath::decayPerSample(0.006, Fs);
    const double tailDecay = dmath::decayPerSample(0.11, Fs);
    double tail = 0;
    double burst = 0;
    for (int n = 0; n < length; ++n) {
        for (const int start : bursts) {
            if (n == start)
                burst = 1.0;
        }
        if (n == bursts[3])
            tail = 0.8;
        const double envelope = burst + tail;
        out[static_cast<std::size_t>(n)] =
            static_cast<float>(2.2 * envelope * band.process(high.process(m_noise.bipolar())));
        burst *= burstDecay;
        tail *= tailDecay;
    }
    return out;
}

std::vector<float> DrumKit::rim(double detune)
{
    const int length = static_cast<int>(0.12 * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    Biquad band = Biquad::bandPass(2200, 1.5, Fs);
    const double decay = dmath::decayPerSample(0.012, Fs);
    const double lowDecay = dmath::decayPerSample(0.02, Fs);
    double amplitude = 1.0;
    double lowAmplitude = 0.6;
    for (int n = 0; n < length; ++n) {
        const double t = n / Fs;
        const double sample = amplitude * SineTable::at(1700.0 * detune * t) +
                              lowAmplitude * SineTable::at(520.0 * detune * t) +
                              0.6 * amplitude * band.process(m_noise.bipolar());
        out[static_cast<std::size_t>(n)] = static_cast<float>(sample);
        amplitude *= decay;
        lowAmplitude *= lowDecay;
    }
    return out;
}

std::vector<float> DrumKit::metal(double decaySeconds, double highPassHz, double lengthSeconds, double bell,
                                  double noise, double detune)
{
    // Six detuned square waves at inharmonic ratios, as in the TR-808's cymbals, plus noise for sizzle.
    constexpr double Ratios[] = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};
    const int length = static_cast<int>(lengthSeconds * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    // Plain (aliasing) squares: above a 3-7 kHz high-pass, aliases are just more metal.
    double phases[6];
    double increments[6];
    for (int k = 0; k < 6; ++k) {
        phases[k] = m_noise.unit();
        increments[k] = Ratios[k] * 1.7 * detune / Fs;
    }
    Biquad high1 = Biquad::highPass(highPassHz, 0.7, Fs);
    Biquad high2 = Biquad::highPass(highPassHz, 0.7, Fs);
    const double decay = dmath::decayPerSample(decaySeconds, Fs);
    const double bellDecay = dmath::decayPerSample(decaySeconds * 0.2, Fs);
    double amplitude = 1.0;
    double bellLevel = bell;
    for (int n = 0; n < length; ++n) {
        double sum = 0;
        for (int k = 0; k < 6; ++k) {
            sum += phases[k] < 0.5 ? 1.0 : -1.0;
            phases[k] += increments[k];
            if (phases[k] >= 1.0)
                phases[k] -= 1.0;
        }
        const double raw = 0.12 * sum + noise * m_noise.bipolar();
        double sample = high2.process(high1.process(raw)) * amplitude;
        if (bell > 0) {
            const double t = n / Fs;
            sample += bellLevel * (SineTable::at(2630.0 * detune * t) + 0.6 * SineTable::at(3910.0 * detune * t));
            bellLevel *= bellDecay;
        }
        const double rise = n < 8 ? n / 8.0 : 1.0;
        out[static_cast<std::size_t>(n)] = static_cast<float>(rise * sample);
        amplitude *= decay;
    }
    return out;
}

std::vector<float> DrumKit::tom(double hz, double decaySeconds, double detune, double weight)
{
    const int length = static_cast<int>(std::min(1.5, 5.0 * decaySeconds) * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    const double sweep = dmath::decayPerSample(0.06, Fs);
    const double decay = dmath::decayPerSample(decaySeconds, Fs);
    const double noiseDecay = dmath::decayPerSample(0.02, Fs);
    Biquad low = Biquad::lowPass(3000, 0.7, Fs);
    double bend = 0.6;
    double phase = 0;
    double amplitude = 1.0;
    double noise = 0.3;
    const double drive = 1.0 + weight;
    const double norm = 1.0 / softClip(drive);
    for (int n = 0; n < length; ++n) {
        double sample = softClip(drive * SineTable::at(phase)) * norm * amplitude;
        sample += noise * low.process(m_noise.bipolar());
        const double rise = n < 24 ? n / 24.0 : 1.0;
        out[static_cast<std::size_t>(n)] = static_cast<float>(rise * sample);
        phase += hz * detune * (1.0 + bend) / Fs;
        bend *= sweep;
        amplitude *= decay;
        noise *= noiseDecay;
    }
    return out;
}

std::vector<float> DrumKit::shaker(double detune)
{
    const int length = static_cast<int>(0.15 * Fs);
    std::vector<float> out(static_cast<std::size_t>(length));
    Biquad band = Biquad::bandPass(6500 * detune, 1.4, Fs);
    const double decay = dmath::decayPerSample(0.035, Fs);
    const int attack = static_cast<int>(0.008 * Fs);
    double amplitude = 1.0;
    for (int n = 0; n < length; ++n) {
        const double rise = n < attack ? static_cast<double>(n) / attack : 1.0;
        out[static_cast<std::size_t>(n)] = static_cast<float>(1.5 * rise * amplitude * band.process(m_noise.bipolar()));
        if (n >= attack)
            amplitude *= decay;
    }
    return out;
}

} // namespace engine
