#include "engine/compose/Arranger.h"

#include "engine/compose/PromptReader.h"
#include "engine/synth/Voice.h"

namespace engine {

namespace {

/// Instrument words that always mean one patch.
struct WordVoice
{
    const char* word;
    Voice voice;
};

constexpr WordVoice FixedVoices[] = {
    {"piano", Voice::Piano}, {"epiano", Voice::EPiano}, {"organ", Voice::Organ},     {"strings", Voice::Strings},
    {"choir", Voice::Choir}, {"bells", Voice::Bells},   {"flute", Voice::Flute},     {"brass", Voice::Brass},
    {"sax", Voice::Sax},     {"harp", Voice::Harp},     {"marimba", Voice::Marimba},
};

/// Instruments that can carry the chords; the others are better at a line.
bool isHarmonyWord(const std::string& id)
{
    return id == "piano" || id == "epiano" || id == "organ" || id == "guitar" || id == "strings" || id == "pad" ||
           id == "choir" || id == "harp";
}

bool isStruck(Voice voice)
{
    return voice == Voice::Harp || voice == Voice::Bells || voice == Voice::Marimba;
}

} // namespace

Arranger::Arranger(const GenreStyle& style, const PromptTraits& traits)
    : m_style(style), m_traits(traits), m_dark(listed(traits.moods, "dark") || listed(traits.moods, "mysterious"))
{
}

Arrangement Arranger::arrange()
{
    PartVoices& voices = m_arrangement.voices;
    voices = {m_style.lead, m_style.harmony, m_style.bassVoice, m_style.texture};
    m_arrangement.groove = m_style.groove;
    m_arrangement.bassLine = m_style.bass;
    m_arrangement.harmonyComp = m_style.comp;
    m_arrangement.textureComp = m_style.textureComp;
    if (m_dark && voices.harmony == Voice::Pad)
        voices.harmony = Voice::DarkPad;
    castNamedInstruments();
    fitHarmonyComp();
    if (voices.texture == voices.harmony || voices.texture == voices.lead)
        voices.texture = Voice::None;
    fitDrumsAndBass();
    replaceExcluded();
    chooseTimingLooseness();
    return m_arrangement;
}

Voice Arranger::voiceForWord(const std::string& id, bool asLead) const
{
    for (const WordVoice& fixed : FixedVoices) {
        if (id == fixed.word)
            return fixed.voice;
    }
    if (id == "guitar")
        return listed(m_traits.moods, "aggressive") ? Voice::OverdriveGuitar : m_style.guitar;
    if (id == "pad")
        return m_dark ? Voice::DarkPad : Voice::Pad;
    if (id == "synth")
        return asLead ? Voice::SynthLead : (m_style.comp == Comp::Pad ? Voice::Pad : Voice::SynthPluck);
    return Voice::None;
}

void Arranger::castNamedInstruments()
{
    std::vector<std::string> melodic;
    for (const std::string& id : m_traits.instruments) {
        if (id != "drums" && id != "bass" && voiceForWord(id, true) != Voice::None)
            melodic.push_back(id);
    }
    if (melodic.size() > 1) {
        castSeveral(melodic);
        return;
    }
    if (melodic.empty())
        return;
    // One instrument named: it plays the tune, and the chords too when it can.
    PartVoices& voices = m_arrangement.voices;
    const std::string& only = melodic.front();
    if (only == "pad" || only == "choir") {
        voices.harmony = voiceForWord(only, false);
    } else if (isHarmonyWord(only)) {
        voices.lead = voiceForWord(only, true);
        voices.harmony = voiceForWord(only, false);
    } else {
        voices.lead = voiceForWord(only, true);
    }
}

void Arranger::castSeveral(const std::vector<std::string>& melodic)
{
    // The first line instrument leads, the first other chord instrument comps, and the next one left adds texture.
    std::string leadWord;
    std::string harmonyWord;
    for (const std::string& id : melodic) {
        if (leadWord.empty() && !isHarmonyWord(id))
            leadWord = id;
    }
    if (leadWord.empty())
        leadWord = melodic.front();
    for (const std::string& id : melodic) {
        if (harmonyWord.empty() && id != leadWord && isHarmonyWord(id))
            harmonyWord = id;
    }
    PartVoices& voices = m_arrangement.voices;
    voices.lead = voiceForWord(leadWord, true);
    if (!harmonyWord.empty())
        voices.harmony = voiceForWord(harmonyWord, false);
    for (const std::string& id : melodic) {
        if (id != leadWord && id != harmonyWord) {
            voices.texture = voiceForWord(id, false);
            m_arrangement.textureComp = voiceSustains(voices.texture) ? Comp::Pad : Comp::Arpeggio;
            break;
        }
    }
}

void Arranger::fitHarmonyComp()
{
    // A comp written for one kind of instrument does not suit every other kind.
    const Voice harmony = m_arrangement.voices.harmony;
    Comp& comp = m_arrangement.harmonyComp;
    const bool sustained = voiceSustains(harmony);
    if (sustained && (comp == Comp::Strum || comp == Comp::Power8 || comp == Comp::Chops || comp == Comp::Broken ||
                      comp == Comp::Arpeggio))
        comp = harmony == Voice::Organ ? Comp::Block : Comp::Pad;
    if (!sustained && comp == Comp::Pad)
        comp = (isStruck(harmony) || m_arrangement.groove == Groove::None) ? Comp::Arpeggio : Comp::Block;
    if (comp == Comp::Strum && harmony != Voice::AcousticGuitar && harmony != Voice::CleanGuitar)
        comp = Comp::Block;
    // Harps, bells and mallets are rolled or picked out, not struck as blocks.
    if (isStruck(harmony) && (comp == Comp::Block || comp == Comp::Stabs || comp == Comp::Charleston))
        comp = Comp::Arpeggio;
    if (comp == Comp::Power8 && harmony != Voice::OverdriveGuitar)
        comp = Comp::Block;
    if (harmony == Voice::AcousticGuitar && comp != Comp::Strum && comp != Comp::Arpeggio)
        comp = Comp::Strum;
}

void Arranger::fitDrumsAndBass()
{
    PartVoices& voices = m_arrangement.voices;
    if (listed(m_traits.excludedInstruments, "drums"))
        m_arrangement.groove = Groove::None;
    else if (listed(m_traits.instruments, "drums") && m_arrangement.groove == Groove::None)
        m_arrangement.groove = Groove::Light;
    BassLine& line = m_arrangement.bassLine;
    if (listed(m_traits.excludedInstruments, "bass")) {
        line = BassLine::None;
        voices.bass = Voice::None;
    } else if (listed(m_traits.instruments, "bass") &&
               (voices.bass == Voice::Piano || voices.bass == Voice::Strings || line == BassLine::None)) {
        voices.bass = m_style.namedBass;
        if (line == BassLine::None)
            line = BassLine::RootFifth;
    }
    if (line == BassLine::None)
        voices.bass = Voice::None;
}

void Arranger::replaceExcluded()
{
    PartVoices& voices = m_arrangement.voices;
    for (const std::string& id : m_traits.excludedInstruments) {
        if (voices.lead != Voice::None && id == voiceInstrument(voices.lead))
            voices.lead = m_style.lead == voices.lead ? Voice::SynthLead : m_style.lead;
        if (voices.harmony != Voice::None && id == voiceInstrument(voices.harmony))
            voices.harmony = Voice::Pad;
        if (voices.texture != Voice::None && id == voiceInstrument(voices.texture))
            voices.texture = Voice::None;
    }
}

void Arranger::chooseTimingLooseness()
{
    // Machines play on the grid; a band without a drummer breathes the most.
    switch (m_arrangement.groove) {
    case Groove::FourOnFloor:
    case Groove::Techno:
    case Groove::Synthwave:
    case Groove::Breakbeat: m_arrangement.timingLooseness = 0.5; break;
    case Groove::None:
    case Groove::Toms: m_arrangement.timingLooseness = 6; break;
    default: m_arrangement.timingLooseness = 3; break;
    }
}

} // namespace engine
