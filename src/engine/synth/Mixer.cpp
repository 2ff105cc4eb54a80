#include "engine/synth/Mixer.h"

#include "engine/dsp/Biquad.h"
#include "engine/dsp/DetMath.h"
#include "engine/dsp/Loudness.h"
#include "engine/synth/DrumKit.h"
#include "engine/synth/LofiColour.h"
#include "engine/synth/Reverb.h"
#include "engine/synth/ToneSynth.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace engine {

namespace {

/// Loudness the stem levels are relative to; the master normalises the sum afterwards anyway.
constexpr double StemReferenceLufs = -20.0;

/// The kick pushing the other parts down for a moment: the "pumping" of house and techno. Streams over the clip.
class Ducking
{
public:
    Ducking(const SketchPlan& plan, double depth)
        : m_plan(plan), m_depth(depth), m_attack(SampleRate / 400), m_decay(dmath::decayPerSample(0.08, SampleRate))
    {
    }

    double next(int n)
    {
        while (m_hit < m_plan.drumHits.size() && m_plan.drumHits[m_hit].startSample <= n) {
            const DrumHit& hit = m_plan.drumHits[m_hit++];
            if (hit.drum == Drum::Kick) {
                m_start = hit.startSample;
                m_level = m_depth * hit.velocity;
            }
        }
        if (m_start < 0)
            return 1.0;
        const int since = n - m_start;
        if (since < m_attack)
            return 1.0 - m_level * since / m_attack;
        m_level *= m_decay;
        return 1.0 - m_level;
    }

private:
    const SketchPlan& m_plan;
    double m_depth;
    int m_attack;
    double m_decay;
    std::size_t m_hit = 0;
    int m_start = -1;
    double m_level = 0;
};

/// A dotted-eighth echo, darkened on every repeat like a tape delay.
class TapeEcho
{
public:
    explicit TapeEcho(double bpm)
        : m_line(std::max<std::size_t>(1, static_cast<std::size_t>(0.75 * 60.0 / bpm * SampleRate)), 0.0),
          m_tone(Biquad::lowPass(2800, 0.7, SampleRate))
    {
    }

    /// Feeds `value` in and returns the repeat due now.
    double next(double value)
    {
        const double delayed = m_line[m_index];
        m_line[m_index] = value + 0.38 * m_tone.process(delayed);
        if (++m_index == m_line.size())
            m_index = 0;
        return delayed;
    }

private:
    std::vector<double> m_line;
    Biquad m_tone;
    std::size_t m_index = 0;
};

Part partOf(Mixer::Stem stem)
{
    switch (stem) {
    case Mixer::Bass: return Part::Bass;
    case Mixer::Harmony: return Part::Harmony;
    case Mixer::Texture: return Part::Texture;
    default: return Part::Melody;
    }
}

double levelOf(const StemLevels& levels, Mixer::Stem stem)
{
    switch (stem) {
    case Mixer::Drums: return levels.drums;
    case Mixer::Bass: return levels.bass;
    case Mixer::Harmony: return levels.harmony;
    case Mixer::Texture: return levels.texture;
    default: return levels.lead;
    }
}

} // namespace

Mixer::Mixer(const SketchPlan& plan) : m_plan(plan) {}

void Mixer::renderInto(Stem stem, std::vector<float>& out) const
{
    if (stem == Drums) {
        if (!m_plan.drumHits.empty()) {
            const DrumKit kit(m_plan.mix.kit, m_plan.keyRoot, m_plan.renderSeed, m_plan.drumHits);
            for (std::size_t i = 0; i < m_plan.drumHits.size(); ++i)
                kit.render(m_plan.drumHits[i], i, out);
        }
        return;
    }
    const Part part = partOf(stem);
    const Voice voice = m_plan.voices.of(part);
    if (voice == Voice::None)
        return;
    // Each part draws its noise from its own stream, so parts do not depend on one another.
    ToneSynth synth(m_plan.renderSeed + static_cast<std::uint64_t>(stem));
    for (const NoteEvent& note : m_plan.notes) {
        if (note.part == part)
            synth.render(voice, note, out);
    }
    synth.finishPart(voice, out);
}

void Mixer::fade(std::vector<float>& signal) const
{
    const int total = static_cast<int>(signal.size());
    if (total == 0)
        return;
    const int fadeIn = std::min(total / 4, SampleRate / 400);
    for (int n = 0; n < fadeIn; ++n)
        signal[static_cast<std::size_t>(n)] *= static_cast<float>(n) / fadeIn;
    // Fade across the last part of the final chord (or the last stretch of a clip too short for one) so the last
    // sample is silence and nothing is cut off mid-note.
    int start = m_plan.endingStartSample < total
                    ? std::max(m_plan.endingStartSample + (total - m_plan.endingStartSample) / 4,
                               total - static_cast<int>(2.5 * SampleRate))
                    : total - std::min(static_cast<int>(0.8 * SampleRate), total * 2 / 5);
    start = std::clamp(start, 0, total - 1);
    const int length = total - 1 - start;
    for (int n = start; n < total; ++n) {
        const double x = length > 0 ? static_cast<double>(n - start) / length : 1.0;
        const double gain = 0.5 + 0.5 * dmath::cosTurns(0.5 * x);
        signal[static_cast<std::size_t>(n)] *= static_cast<float>(gain);
    }
    signal.back() = 0.0F;
}

std::vector<float> Mixer::mix()
{
    const auto length = static_cast<std::size_t>(std::max(0, m_plan.durationSamples));
    std::vector<float> out(length, 0.0F);
    std::vector<float> send(length, 0.0F);
    std::vector<float> scratch(length, 0.0F);
    for (const Stem stem : {Drums, Bass, Harmony, Texture, Lead}) {
        std::fill(scratch.begin(), scratch.end(), 0.0F);
        renderInto(stem, scratch);
        if (std::any_of(scratch.begin(), scratch.end(), [](float value) { return value != 0.0F; }))
            addStem(stem, scratch, out, send);
    }
    addReverb(out, send);
    if (m_plan.lofi)
        LofiColour(m_plan.renderSeed).process(out, SampleRate);
    // Below 28 Hz is only rumble. Above 12.5 kHz there is little music at 32 kHz, and what is there (cymbal sizzle,
    // vinyl clicks) makes inter-sample peaks that meters disagree about; a 4th-order Butterworth takes it away.
    Biquad rumble = Biquad::highPass(28, 0.7, SampleRate);
    Biquad air1 = Biquad::lowPass(12500, 0.5412, SampleRate);
    Biquad air2 = Biquad::lowPass(12500, 1.3066, SampleRate);
    for (float& value : out)
        value = static_cast<float>(air2.process(air1.process(rumble.process(value))));
    fade(out);
    return out;
}

void Mixer::addStem(Stem stem, const std::vector<float>& signal, std::vector<float>& out,
                    std::vector<float>& send) const
{
    // Balance by loudness, not by peak level: a quarter-rate estimate is plenty for that.
    const double loudness = Loudness::integratedLufs(signal.data(), signal.size(), SampleRate, 4);
    if (loudness <= -70.0)
        return;
    const double gain = dmath::dbToGain(StemReferenceLufs + levelOf(m_plan.mix.levels, stem) - loudness);
    // The bass stays out of the reverb, which would only muddy it; the drums get a little room.
    const double sendLevel = stem == Drums ? 0.25 : stem == Bass ? 0.0 : 1.0;
    const bool ducked = m_plan.mix.pumpDepth > 0 && (stem == Bass || stem == Harmony || stem == Texture);
    Ducking ducking(m_plan, m_plan.mix.pumpDepth);
    std::optional<TapeEcho> echo;
    if (m_plan.mix.leadEcho && stem == Lead)
        echo.emplace(m_plan.bpm);
    for (std::size_t n = 0; n < signal.size(); ++n) {
        double value = signal[n] * gain;
        if (ducked)
            value *= ducking.next(static_cast<int>(n));
        double dry = value;
        double wet = sendLevel * value;
        if (echo) {
            const double delayed = echo->next(value);
            dry += 0.28 * delayed;
            wet += 0.3 * delayed;
        }
        out[n] += static_cast<float>(dry);
        send[n] += static_cast<float>(wet);
    }
}

void Mixer::addReverb(std::vector<float>& out, std::vector<float>& send) const
{
    if (m_plan.reverb <= 0)
        return;
    Reverb room(0.45 + 0.5 * m_plan.reverb, 0.35, SampleRate);
    room.process(send);
    const auto level = static_cast<float>(0.55 * m_plan.reverb);
    for (std::size_t n = 0; n < out.size(); ++n)
        out[n] += level * send[n];
}

} // namespace engine
