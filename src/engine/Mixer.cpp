#include "Mixer.h"

#include "Biquad.h"
#include "DetMath.h"
#include "DrumKit.h"
#include "GenreStyle.h"
#include "LofiColour.h"
#include "Loudness.h"
#include "Reverb.h"
#include "ToneSynth.h"
#include "Voice.h"

#include <algorithm>
#include <cmath>

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

} // namespace

Mixer::Mixer(const SketchPlan& plan) : m_plan(plan) {}

void Mixer::renderInto(Stem stem, std::vector<float>& out) const
{
    if (stem == Drums) {
        if (!m_plan.drumHits.empty()) {
            const DrumKit kit(m_plan.genre, m_plan.keyRoot, m_plan.renderSeed, m_plan.drumHits);
            for (std::size_t i = 0; i < m_plan.drumHits.size(); ++i)
                kit.render(m_plan.drumHits[i], i, out);
        }
        return;
    }
    Part part = Part::Melody;
    std::string_view voiceName = m_plan.leadVoice;
    switch (stem) {
    case Bass:
        part = Part::Bass;
        voiceName = m_plan.bassVoice;
        break;
    case Harmony:
        part = Part::Harmony;
        voiceName = m_plan.harmonyVoice;
        break;
    case Texture:
        part = Part::Texture;
        voiceName = m_plan.textureVoice;
        break;
    default:
        break;
    }
    const Voice voice = voiceFromId(voiceName);
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

std::vector<float> Mixer::renderStem(Stem stem) const
{
    std::vector<float> out(static_cast<std::size_t>(std::max(0, m_plan.durationSamples)), 0.0F);
    renderInto(stem, out);
    return out;
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
    const GenreStyle& style = genreStyle(m_plan.genre);
    const StemLevels& levels = style.levels;
    const double targets[StemCount] = {levels.drums, levels.bass, levels.harmony, levels.lead, levels.texture};
    const bool pumping = style.sidechain && m_plan.drums;
    const double pumpDepth = m_plan.genre == "techno" || m_plan.genre == "house" ? 0.5 : 0.35;
    const bool echoes = m_plan.genre == "synthwave" || m_plan.genre == "ambient" || m_plan.genre == "dnb" ||
                        m_plan.genre == "reggae" || m_plan.genre == "house" || m_plan.reverb >= 0.5;

    for (const Stem stem : {Drums, Bass, Harmony, Texture, Lead}) {
        std::fill(scratch.begin(), scratch.end(), 0.0F);
        renderInto(stem, scratch);
        if (std::all_of(scratch.begin(), scratch.end(), [](float value) { return value == 0.0F; }))
            continue;
        // Balance by loudness, not by peak level: a quarter-rate estimate is plenty for that.
        const double loudness = Loudness::integratedLufs(scratch.data(), scratch.size(), SampleRate, 4);
        if (loudness <= -70.0)
            continue;
        const double gain = dmath::dbToGain(StemReferenceLufs + targets[stem] - loudness);
        const double sendLevel = stem == Drums ? 0.25 : stem == Bass ? 0.0 : 1.0;
        const bool ducked = pumping && (stem == Bass || stem == Harmony || stem == Texture);
        Ducking ducking(m_plan, pumpDepth);
        // A dotted-eighth echo on the lead, darkened on every repeat like a tape delay.
        const bool echo = echoes && stem == Lead;
        const auto delay = static_cast<std::size_t>(0.75 * 60.0 / m_plan.bpm * SampleRate);
        std::vector<double> line(echo ? std::max<std::size_t>(1, delay) : 0, 0.0);
        Biquad tone = Biquad::lowPass(2800, 0.7, SampleRate);
        std::size_t index = 0;
        for (std::size_t n = 0; n < length; ++n) {
            double value = scratch[n] * gain;
            if (ducked)
                value *= ducking.next(static_cast<int>(n));
            double dry = value;
            double wet = sendLevel * value;
            if (echo) {
                const double delayed = line[index];
                line[index] = value + 0.38 * tone.process(delayed);
                if (++index == line.size())
                    index = 0;
                dry += 0.28 * delayed;
                wet += 0.3 * delayed;
            }
            out[n] += static_cast<float>(dry);
            send[n] += static_cast<float>(wet);
        }
    }

    if (m_plan.reverb > 0) {
        Reverb room(0.45 + 0.5 * m_plan.reverb, 0.35, SampleRate);
        room.process(send);
        const auto level = static_cast<float>(0.55 * m_plan.reverb);
        for (std::size_t n = 0; n < length; ++n)
            out[n] += level * send[n];
    }

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

} // namespace engine
