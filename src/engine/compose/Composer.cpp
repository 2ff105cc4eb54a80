#include "engine/compose/Composer.h"

#include "engine/compose/BassWriter.h"
#include "engine/compose/DrumWriter.h"
#include "engine/compose/HarmonyWriter.h"
#include "engine/compose/MelodyWriter.h"
#include "engine/compose/PartContext.h"
#include "engine/compose/PromptReader.h"
#include "engine/compose/Score.h"
#include "engine/dsp/DetMath.h"
#include "engine/synth/Voice.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace engine {

namespace {

bool anyListed(const std::vector<std::string>& ids, std::initializer_list<std::string_view> wanted)
{
    return std::any_of(wanted.begin(), wanted.end(), [&](std::string_view id) { return listed(ids, id); });
}

/// A style for a prompt that names no genre, from its moods and instruments.
std::string_view fallbackGenre(const PromptTraits& traits)
{
    bool drumsNamed = false;
    bool melodicNamed = false;
    for (const std::string& id : traits.instruments) {
        if (id == "drums")
            drumsNamed = true;
        else if (id != "bass")
            melodicNamed = true;
    }
    const auto& moods = traits.moods;
    if (listed(moods, "epic"))
        return "cinematic";
    if (melodicNamed && !drumsNamed)
        return "ballad";
    if (anyListed(moods, {"calm", "dreamy", "soothing"}) && !drumsNamed)
        return "ambient";
    if (anyListed(moods, {"chill", "vintage", "nostalgic"}))
        return "lofi";
    if (anyListed(moods, {"sad", "melancholic", "romantic"}) && !drumsNamed)
        return "ballad";
    if (anyListed(moods, {"dark", "mysterious", "tense"}) && !drumsNamed)
        return "cinematic";
    if (listed(moods, "aggressive"))
        return "rock";
    if (listed(moods, "groovy"))
        return "funk";
    return "pop";
}

/// Below 1 calmer and sparser, above 1 busier and harder.
double energyOf(const std::vector<std::string>& moods)
{
    double energy = 1.0;
    if (anyListed(moods, {"energetic", "aggressive"}))
        energy += 0.2;
    if (anyListed(moods, {"epic", "happy", "uplifting", "groovy"}))
        energy += 0.1;
    if (anyListed(moods, {"calm", "soothing", "dreamy"}))
        energy -= 0.2;
    if (anyListed(moods, {"sad", "melancholic", "chill"}))
        energy -= 0.1;
    return std::clamp(energy, 0.7, 1.3);
}

std::uint64_t seedOf(const SketchParams& params)
{
    return (static_cast<std::uint64_t>(params.seed) * 0x9E3779B97F4A7C15ULL) ^ fnv1a64(params.prompt);
}

} // namespace

Composer::Composer(const SketchParams& params)
    : m_params(params), m_traits(PromptReader(params.prompt).traits()), m_seed(seedOf(params)),
      m_structureRng(m_seed, 1), m_harmonyRng(m_seed, 2), m_melodyRng(m_seed, 3), m_drumRng(m_seed, 4),
      m_bassRng(m_seed, 5)
{
    m_params.durationSeconds = std::clamp(m_params.durationSeconds, MinDurationSeconds, MaxDurationSeconds);
    m_plan.renderSeed = m_seed ^ 0x5DEECE66DULL;
}

SketchPlan Composer::compose()
{
    chooseStyle();
    chooseTempo();
    chooseKey();
    arrange();
    // Four-on-the-floor styles take longer to build up.
    const Groove groove = m_arrangement.groove;
    m_timeline = Timeline(m_params.durationSeconds, m_plan.bpm, m_plan.swing, m_plan.swingUnitSteps,
                          groove == Groove::FourOnFloor || groove == Groove::Techno);
    m_plan.durationSamples = m_timeline.totalSamples();
    m_plan.barSeconds = m_timeline.barSeconds();
    m_plan.introBars = m_timeline.introBars();
    m_plan.endingStartSample = m_timeline.endingStartSample();
    chooseChords();
    writeParts();
    describe();
    return std::move(m_plan);
}

bool Composer::hasMood(std::string_view mood) const
{
    return listed(m_traits.moods, mood);
}

void Composer::chooseStyle()
{
    m_style = &genreStyle(m_traits.genre.empty() ? fallbackGenre(m_traits) : m_traits.genre);
    m_plan.genre = m_style->id;
    m_plan.traits = m_traits;
    m_plan.moods = m_traits.moods;
    m_energy = energyOf(m_traits.moods);
}

void Composer::chooseTempo()
{
    const GenreStyle& style = *m_style;
    if (m_traits.bpm > 0) {
        m_plan.bpm = std::clamp(m_traits.bpm, 40.0, 220.0);
    } else {
        double bpm = m_structureRng.uniform(style.bpmLow, style.bpmHigh);
        bpm *= 1.0 + 0.12 * (m_energy - 1.0);
        m_plan.bpm = std::floor(bpm + 0.5);
    }
    m_plan.swingUnitSteps = style.swingUnitSteps;
    if (style.swing > 0) {
        double swing = style.swing * m_structureRng.uniform(0.85, 1.1);
        if (hasMood("chill"))
            swing *= 1.1;
        m_plan.swing = std::min(swing, 0.4);
    }
}

void Composer::chooseKey()
{
    bool minor = false;
    if (m_traits.keyMode >= 0)
        minor = m_traits.keyMode == 1;
    else if (anyListed(m_traits.moods, {"sad", "dark", "melancholic", "mysterious", "tense", "aggressive"}))
        minor = true;
    else if (anyListed(m_traits.moods, {"happy", "uplifting", "romantic"}))
        minor = false;
    else
        minor = !m_structureRng.chance(m_style->majorChance);
    int root = m_traits.keyRoot;
    if (root < 0 && (m_style->harmony == Voice::AcousticGuitar || m_style->harmony == Voice::OverdriveGuitar)) {
        // Open-string keys, as guitarists write in.
        static const std::vector<int> MajorKeys = {4, 9, 2, 7, 0};
        static const std::vector<int> MinorKeys = {4, 9, 2, 11};
        root = m_structureRng.pick(minor ? MinorKeys : MajorKeys);
    } else if (root < 0) {
        root = static_cast<int>(m_structureRng.below(12));
    }
    m_key = Key(root, minor);
    m_plan.keyRoot = m_key.root();
    m_plan.minor = minor;
    m_plan.scale = m_key.pitchClasses();
}

void Composer::arrange()
{
    m_arrangement = Arranger(*m_style, m_traits).arrange();
    const PartVoices& voices = m_arrangement.voices;
    m_plan.voices = voices;
    m_plan.leadVoice = voiceId(voices.lead);
    m_plan.harmonyVoice = voiceId(voices.harmony);
    m_plan.bassVoice = voiceId(voices.bass);
    m_plan.textureVoice = voiceId(voices.texture);
    m_plan.drums = m_arrangement.groove != Groove::None;
    m_plan.lofi = m_style->lofi || hasMood("vintage");
    m_plan.reverb = std::clamp(m_style->reverb + (anyListed(m_traits.moods, {"dreamy", "calm"}) ? 0.15 : 0.0) +
                                   (anyListed(m_traits.moods, {"sad", "melancholic", "epic"}) ? 0.08 : 0.0),
                               0.0, 0.85);
    m_plan.mix = m_style->mix;
    // Pumping follows the kick, and a long room wants echoes to fill it.
    if (!m_plan.drums)
        m_plan.mix.pumpDepth = 0;
    m_plan.mix.leadEcho = m_style->mix.leadEcho || m_plan.reverb >= 0.5;
}

void Composer::chooseChords()
{
    const GenreStyle& style = *m_style;
    const std::vector<int> progression = m_harmonyRng.pick(progressions(style.family, m_plan.minor));
    const int bars = (m_timeline.totalSteps() + StepsPerBar - 1) / StepsPerBar + 1;
    std::vector<Chord> barChords;
    for (int bar = 0; bar < bars; ++bar) {
        const auto index = static_cast<std::size_t>(bar / style.barsPerChord) % progression.size();
        barChords.push_back(Chord::on(progression[index], style.sevenths));
    }
    Chord tonic;
    if (m_timeline.hasEnding()) {
        const int endStep = m_timeline.endStep();
        const auto last = static_cast<std::size_t>((endStep - 1) / StepsPerBar);
        const bool cadence = style.family != ChordFamily::Dark && style.family != ChordFamily::Ambient &&
                             style.family != ChordFamily::Vamp;
        // A dominant (or, in minor, the subtonic) before the final tonic makes the ending sound like one.
        if (cadence && last >= 1 && barChords[last].degree == 0)
            barChords[last] = Chord::on(m_plan.minor && m_harmonyRng.chance(0.5) ? 6 : 4, style.sevenths);
        // Bars from the final downbeat on are the tonic; a bar the ending enters halfway keeps its own chord until
        // then (Timeline::chordAtStep() knows).
        for (int bar = (endStep + StepsPerBar - 1) / StepsPerBar; bar < bars; ++bar)
            barChords[static_cast<std::size_t>(bar)] = Chord::on(0, style.sevenths);
        tonic = Chord::on(0, style.sevenths);
    }
    for (std::size_t bar = 0; bar * StepsPerBar < static_cast<std::size_t>(m_timeline.totalSteps()); ++bar)
        m_plan.chords.push_back(m_key.chordName(barChords[bar]));
    m_timeline.setChords(std::move(barChords), std::move(tonic));
}

void Composer::writeParts()
{
    Score score(m_timeline, Rng(m_seed, 6), m_arrangement.timingLooseness);
    const PartContext context{*m_style, m_arrangement, m_key, m_timeline, m_energy, score};
    const PartVoices& voices = m_arrangement.voices;
    DrumWriter drums(context, m_drumRng);
    drums.write();
    BassWriter bass(context, m_bassRng);
    bass.write(drums.kickSteps());
    HarmonyWriter harmony(context, m_harmonyRng, Part::Harmony, voices.harmony, m_arrangement.harmonyComp);
    if (voices.harmony != Voice::None)
        harmony.write(0, 1.0F);
    HarmonyWriter texture(context, m_harmonyRng, Part::Texture, voices.texture, m_arrangement.textureComp);
    if (voices.texture != Voice::None)
        texture.write(textureFromBar(), 0.8F);
    MelodyWriter melody(context, m_melodyRng);
    melody.write();
    if (m_timeline.hasEnding()) {
        harmony.writeEnding();
        texture.writeEnding();
        bass.writeEnding();
        melody.writeEnding();
        drums.writeEnding();
    }
    m_plan.notes = score.takeNotes();
    m_plan.drumHits = score.takeDrumHits();
}

int Composer::textureFromBar() const
{
    // A fast arpeggio, or a texture with no beat under it, carries the piece from the start; any other comes in
    // after the first phrase to lift the second.
    const Groove groove = m_arrangement.groove;
    const bool core = m_arrangement.textureComp == Comp::Arpeggio16 || groove == Groove::None || groove == Groove::Toms;
    const int intro = m_timeline.introBars();
    return core ? intro : intro + (m_timeline.bodyBars() - intro >= 8 ? 4 : 0);
}

void Composer::describe()
{
    const PartVoices& voices = m_arrangement.voices;
    for (const Voice voice : {voices.lead, voices.harmony, voices.texture, voices.bass}) {
        const std::string id = voiceInstrument(voice);
        if (!id.empty() && !listed(m_plan.instruments, id))
            m_plan.instruments.push_back(id);
    }
    if (m_plan.drums && !listed(m_plan.instruments, "drums"))
        m_plan.instruments.push_back("drums");

    std::string summary = m_plan.genre + ", " + std::to_string(static_cast<int>(dmath::roundHalfAway(m_plan.bpm))) +
                          " bpm, " + m_key.name();
    if (m_plan.swing > 0) {
        const int percent = static_cast<int>(dmath::roundHalfAway(m_plan.swing * 100));
        summary += ", swing " + std::to_string(percent) + "%";
    }
    summary += ": ";
    for (std::size_t i = 0; i < m_plan.instruments.size(); ++i)
        summary += (i ? ", " : "") + m_plan.instruments[i];
    if (!m_plan.chords.empty()) {
        const auto barsPerChord = static_cast<std::size_t>(m_style->barsPerChord);
        summary += "; chords";
        for (std::size_t i = 0; i < std::min<std::size_t>(m_plan.chords.size(), 4 * barsPerChord); i += barsPerChord)
            summary += " " + m_plan.chords[i];
    }
    if (m_plan.lofi)
        summary += "; vinyl and tape colour";
    m_plan.summary = summary;
}

} // namespace engine
