#include "Composer.h"

#include "DetMath.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace engine {

namespace {

constexpr int StepsPerBar = 16;
constexpr int NoAnchor = std::numeric_limits<int>::min();
constexpr int MajorScale[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr int MinorScale[7] = {0, 2, 3, 5, 7, 8, 10};

/// One bar of a groove: one string per drum, 16 steps, 'X' accent, 'x' normal, 'o' ghost, '.' rest.
struct DrumPattern
{
    const char* kick = "";
    const char* snare = "";
    const char* clap = "";
    const char* rim = "";
    const char* hat = "";
    const char* openHat = "";
    const char* ride = "";
    const char* shaker = "";
    const char* lowTom = "";
    const char* midTom = "";
};

std::vector<DrumPattern> patternsFor(Groove groove)
{
    switch (groove) {
    case Groove::FourOnFloor:
        return {
            {.kick = "X...X...X...X...",
             .clap = "....X.......X...",
             .hat = "xo.oxo.oxo.oxo.o",
             .openHat = "..x...x...x...x."},
            {.kick = "X...X...X...X...",
             .clap = "....X.......X...",
             .hat = "x.x.x.x.x.x.x.x.",
             .openHat = "..X...X...X...X.",
             .shaker = "oxoooxoooxoooxoo"},
            {.kick = "X...X...X...X..o",
             .snare = "....o.......o...",
             .clap = "....X.......X...",
             .hat = "xoxoxoxoxoxoxoxo",
             .openHat = "..x...x...x...x."},
        };
    case Groove::Techno:
        return {
            {.kick = "X...X...X...X...",
             .clap = "....x.......x...",
             .rim = "...x..x....x..x.",
             .hat = "xoxoxoxoxoxoxoxo",
             .openHat = "..X...X...X...X."},
            {.kick = "X...X...X...X...",
             .rim = "......x...x..x..",
             .hat = "oxoooxoooxoooxoo",
             .ride = "..o...o...o...o."},
            {.kick = "X...X...X...X...",
             .clap = "....x.......x...",
             .hat = "oxoooxoooxoooxoo",
             .openHat = "..x...x...x...x."},
        };
    case Groove::BoomBap:
        return {
            {.kick = "X.........X.....", .snare = "....X.......X...", .hat = "X.o.x.o.X.o.x.o."},
            {.kick = "X......xX.x.....", .snare = "....X.......X...", .hat = "x.xox.x.x.xox.x."},
            {.kick = "X.x.......X..x..", .snare = "....X.......X..o", .hat = "x.x.x.x.x.x.x.xx"},
            {.kick = "X..x......X.....",
             .snare = "....X...o...X...",
             .hat = "x.x.x.x.x.x.x.x.",
             .openHat = "..............x."},
        };
    case Groove::Breakbeat:
        return {
            {.kick = "X.........X.....", .snare = "....X..o.o..X..o", .hat = "x.x.x.x.x.x.x.x."},
            {.kick = "X.X.......X.....", .snare = "....X..o.o..X...", .hat = "x.xxx.x.x.xxx.x."},
            {.kick = "X.........X..x..", .snare = "....X.o.....X.o.", .ride = "o.o.o.o.o.o.o.o."},
        };
    case Groove::Backbeat:
        return {
            {.kick = "X.......X.X.....", .snare = "....X.......X...", .hat = "x.x.x.x.x.x.x.x."},
            {.kick = "X.x.....X.......", .snare = "....X.......X...", .hat = "X.x.X.x.X.x.X.x."},
            {.kick = "X.......X..x.x..", .snare = "....X.......X...", .hat = "xoxoxoxoxoxoxoxo"},
        };
    case Groove::Funk:
        return {
            {.kick = "X.x....xX.x.....",
             .snare = "....X..o.o..X..o",
             .hat = "xoxoxoxoxoxoxo.o",
             .openHat = "..............x."},
            {.kick = "X..x..x...x.....",
             .snare = "....X.o..o..X.o.",
             .hat = "xoxoxoxoxoxoxo..",
             .openHat = "..............X."},
        };
    case Groove::OneDrop:
        return {
            {.kick = "........X.......", .rim = "........X.......", .hat = "x.x.x.x.x.x.x.x."},
            {.kick = "........X.......",
             .snare = "........X.......",
             .rim = "...o.......o....",
             .hat = "x.xox.x.x.xox.x."},
        };
    case Groove::JazzRide:
        return {
            {.kick = "o...o...o...o...", .hat = "....x.......x...", .ride = "X...x.x.X...x.x."},
            {.kick = "o.......o.......", .hat = "....x.......x...", .ride = "X...x.x.x...x.x."},
        };
    case Groove::Synthwave:
        return {
            {.kick = "X.......X.......", .snare = "....X.......X...", .hat = "xoxoxoxoxoxoxoxo"},
            {.kick = "X.......X.x.....",
             .snare = "....X.......X...",
             .hat = "x.x.x.x.x.x.x.x.",
             .openHat = "..............x."},
        };
    case Groove::Toms:
        return {
            {.snare = "............o...", .lowTom = "X.......x.....x.", .midTom = "......x.......x."},
            {.lowTom = "X..x....X..x....", .midTom = "......x.......xx"},
        };
    case Groove::Folk:
        return {
            {.kick = "X.......X.......", .rim = "....x.......x...", .shaker = "x.o.x.o.x.o.x.o."},
            {.kick = "X.....x.X.......", .snare = "....o.......o...", .shaker = "xoxoxoxoxoxoxoxo"},
        };
    case Groove::Light:
        return {
            {.kick = "X.......X.......", .rim = "....x.......x...", .hat = "x.x.x.x.x.x.x.x."},
            {.kick = "X.....x.X.......", .snare = "....o.......o...", .hat = "x.o.x.o.x.o.x.o."},
        };
    case Groove::None:
        break;
    }
    return {};
}

double velocityOf(char c)
{
    switch (c) {
    case 'X':
        return 1.0;
    case 'x':
        return 0.78;
    case 'o':
        return 0.45;
    default:
        return 0.0;
    }
}

bool hasHit(const char* lane, int step)
{
    const std::string_view view = lane;
    return step < static_cast<int>(view.size()) && view[static_cast<std::size_t>(step)] != '.';
}

int floorDiv(int a, int b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

const char* const SharpNames[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
const char* const FlatNames[12] = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};

bool keyUsesFlats(int root, bool minor)
{
    const int major = minor ? (root + 3) % 12 : root;
    return major == 5 || major == 10 || major == 3 || major == 8 || major == 1 || (minor && root == 3);
}

} // namespace

std::string keyName(int keyRoot, bool minor)
{
    const int root = ((keyRoot % 12) + 12) % 12;
    const char* const* names = keyUsesFlats(root, minor) ? FlatNames : SharpNames;
    return std::string(names[root]) + (minor ? " minor" : " major");
}

Composer::Composer(const SketchParams& params)
    : m_params(params), m_traits(readPrompt(params.prompt)), m_structureRng(0, 1), m_harmonyRng(0, 2),
      m_melodyRng(0, 3), m_drumRng(0, 4), m_bassRng(0, 5), m_humanRng(0, 6)
{
    m_params.durationSeconds = std::clamp(m_params.durationSeconds, MinDurationSeconds, MaxDurationSeconds);
    const std::uint64_t seed =
        (static_cast<std::uint64_t>(m_params.seed) * 0x9E3779B97F4A7C15ULL) ^ fnv1a64(params.prompt);
    m_structureRng = Rng(seed, 1);
    m_harmonyRng = Rng(seed, 2);
    m_melodyRng = Rng(seed, 3);
    m_drumRng = Rng(seed, 4);
    m_bassRng = Rng(seed, 5);
    m_humanRng = Rng(seed, 6);
    m_plan.renderSeed = seed ^ 0x5DEECE66DULL;
}

SketchPlan Composer::compose()
{
    chooseStyle();
    chooseTempoAndKey();
    chooseVoices();
    layOutTime();
    chooseChords();
    writeDrums();
    writeBass();
    if (m_harmony != Voice::None)
        writeHarmony(Part::Harmony, m_harmony, m_harmonyComp, 0, 1.0F);
    if (m_texture != Voice::None) {
        const bool core = m_textureComp == Comp::Arpeggio16 || m_groove == Groove::None || m_groove == Groove::Toms;
        const int from = core ? m_plan.introBars : m_plan.introBars + (m_bodyBars - m_plan.introBars >= 8 ? 4 : 0);
        writeHarmony(Part::Texture, m_texture, m_textureComp, from, 0.8F);
    }
    writeMelody();
    writeEnding();
    finish();
    return std::move(m_plan);
}

bool Composer::hasMood(const char* mood) const
{
    return std::find(m_traits.moods.begin(), m_traits.moods.end(), mood) != m_traits.moods.end();
}

void Composer::chooseStyle()
{
    std::string genre = m_traits.genre;
    if (genre.empty()) {
        bool drumsNamed = false;
        bool melodicNamed = false;
        for (const std::string& id : m_traits.instruments) {
            if (id == "drums")
                drumsNamed = true;
            else if (id != "bass")
                melodicNamed = true;
        }
        const bool calm = hasMood("calm") || hasMood("dreamy") || hasMood("soothing");
        if (hasMood("epic"))
            genre = "cinematic";
        else if (melodicNamed && !drumsNamed)
            genre = "ballad";
        else if (calm && !drumsNamed)
            genre = "ambient";
        else if (hasMood("chill") || hasMood("vintage") || hasMood("nostalgic"))
            genre = "lofi";
        else if ((hasMood("sad") || hasMood("melancholic") || hasMood("romantic")) && !drumsNamed)
            genre = "ballad";
        else if ((hasMood("dark") || hasMood("mysterious") || hasMood("tense")) && !drumsNamed)
            genre = "cinematic";
        else if (hasMood("aggressive"))
            genre = "rock";
        else if (hasMood("groovy"))
            genre = "funk";
        else
            genre = "pop";
    }
    m_style = &genreStyle(genre);
    m_plan.genre = m_style->id;
    m_plan.traits = m_traits;
    m_plan.moods = m_traits.moods;

    m_energy = 1.0;
    if (hasMood("energetic") || hasMood("aggressive"))
        m_energy += 0.2;
    if (hasMood("epic") || hasMood("happy") || hasMood("uplifting") || hasMood("groovy"))
        m_energy += 0.1;
    if (hasMood("calm") || hasMood("soothing") || hasMood("dreamy"))
        m_energy -= 0.2;
    if (hasMood("sad") || hasMood("melancholic") || hasMood("chill"))
        m_energy -= 0.1;
    m_energy = std::clamp(m_energy, 0.7, 1.3);
}

void Composer::chooseTempoAndKey()
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

    if (m_traits.keyMode >= 0) {
        m_plan.minor = m_traits.keyMode == 1;
    } else {
        const bool minorMood = hasMood("sad") || hasMood("dark") || hasMood("melancholic") || hasMood("mysterious") ||
                               hasMood("tense") || hasMood("aggressive");
        const bool majorMood = hasMood("happy") || hasMood("uplifting") || hasMood("romantic");
        if (minorMood)
            m_plan.minor = true;
        else if (majorMood)
            m_plan.minor = false;
        else
            m_plan.minor = !m_structureRng.chance(style.majorChance);
    }
    if (m_traits.keyRoot >= 0) {
        m_plan.keyRoot = m_traits.keyRoot;
    } else if (style.harmony == Voice::AcousticGuitar || style.harmony == Voice::OverdriveGuitar) {
        // Open-string keys, as guitarists write in.
        static const std::vector<int> MajorKeys = {4, 9, 2, 7, 0};
        static const std::vector<int> MinorKeys = {4, 9, 2, 11};
        m_plan.keyRoot = m_structureRng.pick(m_plan.minor ? MinorKeys : MajorKeys);
    } else {
        m_plan.keyRoot = static_cast<int>(m_structureRng.below(12));
    }
    const int* scale = m_plan.minor ? MinorScale : MajorScale;
    for (int i = 0; i < 7; ++i) {
        m_intervals[i] = scale[i];
        m_plan.scale.push_back((m_plan.keyRoot + scale[i]) % 12);
    }
}

void Composer::chooseVoices()
{
    const GenreStyle& style = *m_style;
    const bool dark = hasMood("dark") || hasMood("mysterious");
    auto voiceFor = [&](const std::string& id, bool asLead) -> Voice {
        if (id == "piano")
            return Voice::Piano;
        if (id == "epiano")
            return Voice::EPiano;
        if (id == "organ")
            return Voice::Organ;
        if (id == "guitar") {
            if (style.harmony == Voice::OverdriveGuitar || hasMood("aggressive"))
                return Voice::OverdriveGuitar;
            if (style.harmony == Voice::CleanGuitar || m_plan.genre == "lofi" || m_plan.genre == "house" ||
                m_plan.genre == "pop" || m_plan.genre == "jazz")
                return Voice::CleanGuitar;
            return Voice::AcousticGuitar;
        }
        if (id == "strings")
            return Voice::Strings;
        if (id == "pad")
            return dark ? Voice::DarkPad : Voice::Pad;
        if (id == "choir")
            return Voice::Choir;
        if (id == "synth")
            return asLead ? Voice::SynthLead : (style.comp == Comp::Pad ? Voice::Pad : Voice::SynthPluck);
        if (id == "bells")
            return Voice::Bells;
        if (id == "flute")
            return Voice::Flute;
        if (id == "brass")
            return Voice::Brass;
        if (id == "sax")
            return Voice::Sax;
        if (id == "harp")
            return Voice::Harp;
        if (id == "marimba")
            return Voice::Marimba;
        return Voice::None;
    };
    auto excluded = [&](const char* id) {
        return std::find(m_traits.excludedInstruments.begin(), m_traits.excludedInstruments.end(), id) !=
               m_traits.excludedInstruments.end();
    };
    auto named = [&](const char* id) {
        return std::find(m_traits.instruments.begin(), m_traits.instruments.end(), id) != m_traits.instruments.end();
    };

    m_lead = style.lead;
    m_harmony = style.harmony;
    m_texture = style.texture;
    m_bass = style.bassVoice;
    m_groove = style.groove;
    m_bassLine = style.bass;
    m_harmonyComp = style.comp;
    m_textureComp = style.textureComp;
    if (dark && m_harmony == Voice::Pad)
        m_harmony = Voice::DarkPad;

    std::vector<std::string> melodic;
    for (const std::string& id : m_traits.instruments) {
        if (id != "drums" && id != "bass" && voiceFor(id, true) != Voice::None)
            melodic.push_back(id);
    }
    auto isHarmonyWord = [](const std::string& id) {
        return id == "piano" || id == "epiano" || id == "organ" || id == "guitar" || id == "strings" || id == "pad" ||
               id == "choir" || id == "harp";
    };
    if (melodic.size() == 1) {
        const std::string& only = melodic.front();
        if (only == "pad" || only == "choir") {
            m_harmony = voiceFor(only, false);
        } else if (isHarmonyWord(only)) {
            m_lead = voiceFor(only, true);
            m_harmony = voiceFor(only, false);
        } else {
            m_lead = voiceFor(only, true);
        }
    } else if (melodic.size() > 1) {
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
        m_lead = voiceFor(leadWord, true);
        if (!harmonyWord.empty())
            m_harmony = voiceFor(harmonyWord, false);
        for (const std::string& id : melodic) {
            if (id != leadWord && id != harmonyWord) {
                m_texture = voiceFor(id, false);
                m_textureComp = voiceSustains(m_texture) ? Comp::Pad : Comp::Arpeggio;
                break;
            }
        }
    }

    // A comp written for one kind of instrument does not suit every other kind.
    const bool sustained = voiceSustains(m_harmony);
    if (sustained && (m_harmonyComp == Comp::Strum || m_harmonyComp == Comp::Power8 || m_harmonyComp == Comp::Chops ||
                      m_harmonyComp == Comp::Broken || m_harmonyComp == Comp::Arpeggio))
        m_harmonyComp = m_harmony == Voice::Organ ? Comp::Block : Comp::Pad;
    if (!sustained && m_harmonyComp == Comp::Pad)
        m_harmonyComp = (m_harmony == Voice::Harp || m_harmony == Voice::Bells || m_harmony == Voice::Marimba ||
                         m_groove == Groove::None)
                            ? Comp::Arpeggio
                            : Comp::Block;
    if (m_harmonyComp == Comp::Strum && m_harmony != Voice::AcousticGuitar && m_harmony != Voice::CleanGuitar)
        m_harmonyComp = Comp::Block;
    // Harps, bells and mallets are rolled or picked out, not struck as blocks.
    if ((m_harmony == Voice::Harp || m_harmony == Voice::Bells || m_harmony == Voice::Marimba) &&
        (m_harmonyComp == Comp::Block || m_harmonyComp == Comp::Stabs || m_harmonyComp == Comp::Charleston))
        m_harmonyComp = Comp::Arpeggio;
    if (m_harmonyComp == Comp::Power8 && m_harmony != Voice::OverdriveGuitar)
        m_harmonyComp = Comp::Block;
    if (m_harmony == Voice::AcousticGuitar && m_harmonyComp != Comp::Strum && m_harmonyComp != Comp::Arpeggio)
        m_harmonyComp = Comp::Strum;
    if (m_texture == m_harmony || m_texture == m_lead)
        m_texture = Voice::None;

    if (excluded("drums"))
        m_groove = Groove::None;
    else if (named("drums") && m_groove == Groove::None)
        m_groove = Groove::Light;
    if (excluded("bass")) {
        m_bassLine = BassLine::None;
        m_bass = Voice::None;
    } else if (named("bass") && (m_bass == Voice::Piano || m_bass == Voice::Strings || m_bassLine == BassLine::None)) {
        m_bass = m_plan.genre == "ambient" ? Voice::SubBass : Voice::UprightBass;
        if (m_bassLine == BassLine::None)
            m_bassLine = BassLine::RootFifth;
    }
    if (m_bassLine == BassLine::None)
        m_bass = Voice::None;
    for (const std::string& id : m_traits.excludedInstruments) {
        if (m_lead != Voice::None && id == voiceInstrument(m_lead))
            m_lead = style.lead == m_lead ? Voice::SynthLead : style.lead;
        if (m_harmony != Voice::None && id == voiceInstrument(m_harmony))
            m_harmony = Voice::Pad;
        if (m_texture != Voice::None && id == voiceInstrument(m_texture))
            m_texture = Voice::None;
    }

    m_barsPerChord = style.barsPerChord;
    m_sevenths = style.sevenths;
    m_timingLooseness = 0;
    switch (m_groove) {
    case Groove::FourOnFloor:
    case Groove::Techno:
    case Groove::Synthwave:
    case Groove::Breakbeat:
        m_timingLooseness = 0.5;
        break;
    case Groove::None:
    case Groove::Toms:
        m_timingLooseness = 6;
        break;
    default:
        m_timingLooseness = 3;
        break;
    }
    m_plan.drums = m_groove != Groove::None;
    m_plan.lofi = style.lofi || hasMood("vintage");
    m_plan.reverb = std::clamp(style.reverb + (hasMood("dreamy") || hasMood("calm") ? 0.15 : 0.0) +
                                   (hasMood("sad") || hasMood("melancholic") || hasMood("epic") ? 0.08 : 0.0),
                               0.0, 0.85);
    m_plan.leadVoice = voiceId(m_lead);
    m_plan.harmonyVoice = voiceId(m_harmony);
    m_plan.bassVoice = voiceId(m_bass);
    m_plan.textureVoice = voiceId(m_texture);
}

void Composer::layOutTime()
{
    m_totalSamples = m_params.durationSeconds * SampleRate;
    m_plan.durationSamples = m_totalSamples;
    m_stepSamples = 60.0 / m_plan.bpm * SampleRate / 4.0;
    m_plan.barSeconds = 240.0 / m_plan.bpm;
    m_totalSteps = static_cast<int>(std::ceil(m_totalSamples / m_stepSamples));

    // The final chord needs room to ring; it lands on a half-bar line so it still falls on a strong beat.
    const double seconds = m_params.durationSeconds;
    const double hold = std::min(1.4, 0.35 * seconds);
    const double halfBarSeconds = m_plan.barSeconds / 2.0;
    const int halfBars = static_cast<int>(std::floor((seconds - hold) / halfBarSeconds));
    m_endStep = halfBars * 8;
    m_hasEnding = m_endStep >= StepsPerBar;
    if (!m_hasEnding)
        m_endStep = m_totalSteps;
    m_plan.endingStartSample = m_hasEnding ? sampleAtStep(m_endStep) : m_totalSamples;
    m_bodyBars = (m_endStep + StepsPerBar - 1) / StepsPerBar;
    m_plan.introBars = 0;
    if (m_bodyBars >= 6)
        m_plan.introBars = 1;
    if (m_bodyBars >= 12 && (m_groove == Groove::FourOnFloor || m_groove == Groove::Techno))
        m_plan.introBars = 2;
    m_kickSteps.assign(static_cast<std::size_t>(m_bodyBars + 1), {});
}

bool Composer::isFillBar(int bar) const
{
    if (bar < m_plan.introBars)
        return bar == m_plan.introBars - 1;
    if (m_hasEnding && bar == (m_endStep - 1) / StepsPerBar)
        return true;
    return (bar - m_plan.introBars) % 4 == 3;
}

void Composer::chooseChords()
{
    const GenreStyle& style = *m_style;
    const auto& pool = progressions(style.family, m_plan.minor);
    m_progression = m_harmonyRng.pick(pool);
    const int bars = (m_totalSteps + StepsPerBar - 1) / StepsPerBar + 1;
    auto makeChord = [&](int degree) {
        Chord chord;
        chord.degree = degree;
        chord.tones = {degree % 7, (degree + 2) % 7, (degree + 4) % 7};
        if (m_sevenths)
            chord.tones.push_back((degree + 6) % 7);
        return chord;
    };
    for (int bar = 0; bar < bars; ++bar) {
        const auto index = static_cast<std::size_t>(bar / m_barsPerChord) % m_progression.size();
        m_barChords.push_back(makeChord(m_progression[index]));
    }
    if (m_hasEnding) {
        const int last = (m_endStep - 1) / StepsPerBar;
        const bool cadence = style.family != ChordFamily::Dark && style.family != ChordFamily::Ambient &&
                             style.family != ChordFamily::Vamp;
        // A dominant (or, in minor, the subtonic) before the final tonic makes the ending sound like one.
        if (cadence && last >= 1 && m_barChords[static_cast<std::size_t>(last)].degree == 0)
            m_barChords[static_cast<std::size_t>(last)] = makeChord(m_plan.minor && m_harmonyRng.chance(0.5) ? 6 : 4);
        // Bars from the final downbeat on are the tonic; a bar the ending enters halfway keeps its own chord until
        // then (chordAtStep() knows).
        for (int bar = (m_endStep + StepsPerBar - 1) / StepsPerBar; bar < bars; ++bar)
            m_barChords[static_cast<std::size_t>(bar)] = makeChord(0);
        m_tonic = makeChord(0);
    }
    for (std::size_t bar = 0; bar * StepsPerBar < static_cast<std::size_t>(m_totalSteps); ++bar)
        m_plan.chords.push_back(chordName(m_barChords[bar]));
}

std::string Composer::chordName(const Chord& chord) const
{
    const int rootPc = (m_plan.keyRoot + m_intervals[chord.degree % 7]) % 12;
    auto interval = [&](int offset) {
        const int pc = (m_plan.keyRoot + m_intervals[(chord.degree + offset) % 7]) % 12;
        return (pc - rootPc + 12) % 12;
    };
    const int third = interval(2);
    const int fifth = interval(4);
    std::string name = (keyUsesFlats(m_plan.keyRoot, m_plan.minor) ? FlatNames : SharpNames)[rootPc];
    if (chord.tones.size() >= 4) {
        const int seventh = interval(6);
        if (fifth == 6)
            return name + "m7b5";
        if (third == 3)
            return name + "m7";
        return name + (seventh == 11 ? "maj7" : "7");
    }
    if (fifth == 6)
        return name + "dim";
    return name + (third == 3 ? "m" : "");
}

const Composer::Chord& Composer::chordAtBar(int bar) const
{
    const int clamped = std::clamp(bar, 0, static_cast<int>(m_barChords.size()) - 1);
    return m_barChords[static_cast<std::size_t>(clamped)];
}

const Composer::Chord& Composer::chordAtStep(int step) const
{
    if (m_hasEnding && step >= m_endStep)
        return m_tonic;
    return chordAtBar(step / StepsPerBar);
}

int Composer::sampleAtStep(int step) const
{
    double position = step * m_stepSamples;
    const int unit = m_plan.swingUnitSteps;
    if (m_plan.swing > 0 && step % unit == 0 && (step / unit) % 2 == 1)
        position += m_plan.swing * unit * m_stepSamples;
    return static_cast<int>(std::floor(position + 0.5));
}

int Composer::midiOf(int scaleIndex) const
{
    const int octave = floorDiv(scaleIndex, 7);
    const int degree = scaleIndex - octave * 7;
    return 12 + m_plan.keyRoot + 12 * octave + m_intervals[degree];
}

int Composer::scaleIndexBelow(int midi) const
{
    int index = floorDiv(midi - 12 - m_plan.keyRoot, 12) * 7 - 7;
    while (midiOf(index + 1) <= midi)
        ++index;
    return index;
}

int Composer::nearestChordTone(int scaleIndex, const Chord& chord) const
{
    for (const int distance : {0, -1, 1, -2, 2, -3, 3}) {
        const int candidate = scaleIndex + distance;
        const int degree = candidate - floorDiv(candidate, 7) * 7;
        if (std::find(chord.tones.begin(), chord.tones.begin() + 3, degree) != chord.tones.begin() + 3)
            return candidate;
    }
    return scaleIndex;
}

int Composer::bassNote(const Chord& chord, int toneRank, int low) const
{
    int index = chord.degree + 2 * toneRank;
    while (midiOf(index) < low)
        index += 7;
    while (midiOf(index - 7) >= low)
        index -= 7;
    return index;
}

void Composer::addDrum(Drum drum, int step, double velocity, double extraMs)
{
    double jitter = m_timingLooseness > 0 ? m_humanRng.bipolar() * m_timingLooseness * 0.6 : 0.0;
    if (drum == Drum::Kick)
        jitter *= 0.3;
    int sample = sampleAtStep(step) + static_cast<int>(dmath::roundHalfAway((jitter + extraMs) * SampleRate / 1000.0));
    sample = std::max(sample, 0);
    if (sample >= m_totalSamples)
        return;
    const double human = 0.92 + 0.1 * m_humanRng.unit();
    m_plan.drumHits.push_back({drum, sample, static_cast<float>(std::clamp(velocity * human, 0.05, 1.0))});
}

void Composer::addNote(Part part, int step, int lengthSteps, int midi, double velocity, double extraMs, double legato)
{
    const double jitter = m_humanRng.bipolar() * m_timingLooseness;
    const int start = std::max(0, sampleAtStep(step) +
                                      static_cast<int>(dmath::roundHalfAway((jitter + extraMs) * SampleRate / 1000.0)));
    if (start >= m_totalSamples || lengthSteps <= 0)
        return;
    const int end = sampleAtStep(step + lengthSteps);
    int length = static_cast<int>((end - start) * legato);
    length = std::clamp(length, SampleRate / 100, m_totalSamples - start);
    const double human = 0.94 + 0.08 * m_humanRng.unit();
    m_plan.notes.push_back(
        {part, start, length, std::clamp(midi, 12, 120), static_cast<float>(std::clamp(velocity * human, 0.05, 1.0))});
}

void Composer::writeDrums()
{
    if (m_groove == Groove::None)
        return;
    const auto patterns = patternsFor(m_groove);
    const std::uint32_t count = static_cast<std::uint32_t>(patterns.size());
    const std::uint32_t first = m_drumRng.below(count);
    std::uint32_t second = m_drumRng.below(count);
    if (count > 1 && second == first)
        second = (first + 1) % count;
    auto lanes = [](const DrumPattern& p) {
        return std::vector<std::string>{p.kick,    p.snare, p.clap,   p.rim,    p.hat,
                                        p.openHat, p.ride,  p.shaker, p.lowTom, p.midTom};
    };
    const auto laneA = lanes(patterns[first]);
    const auto laneB = lanes(patterns[second]);
    const bool crashes = m_groove != Groove::BoomBap && m_groove != Groove::OneDrop && m_groove != Groove::Folk;
    for (int bar = 0; bar < m_bodyBars; ++bar) {
        const bool intro = bar < m_plan.introBars;
        const int phrase = intro ? 0 : (bar - m_plan.introBars) / 4;
        const bool lastFill = m_hasEnding && bar == (m_endStep - 1) / StepsPerBar;
        drumBar(bar, phrase % 2 == 1 ? laneB : laneA, intro, isFillBar(bar), lastFill);
        const bool phraseStart = bar > 0 && !intro && (bar - m_plan.introBars) % 4 == 0;
        if (phraseStart && crashes && bar * StepsPerBar < m_endStep)
            addDrum(Drum::Crash, bar * StepsPerBar, m_groove == Groove::JazzRide ? 0.45 : 0.8);
    }
}

void Composer::drumBar(int bar, const std::vector<std::string>& lanes, bool intro, bool fill, bool longFill)
{
    static constexpr Drum LaneDrums[] = {Drum::Kick,    Drum::Snare, Drum::Clap,   Drum::Rim,    Drum::ClosedHat,
                                         Drum::OpenHat, Drum::Ride,  Drum::Shaker, Drum::LowTom, Drum::MidTom};
    const int base = bar * StepsPerBar;
    const bool introFill = fill && intro;
    const int fillFrom = introFill ? 14 : fill ? (longFill ? 8 : 12) : StepsPerBar;
    const bool fourOnFloor = m_groove == Groove::FourOnFloor || m_groove == Groove::Techno;
    auto introAllows = [&](Drum drum) {
        if (drum == Drum::ClosedHat || drum == Drum::Shaker || drum == Drum::Ride)
            return m_groove != Groove::Toms;
        if (drum == Drum::Kick || drum == Drum::OpenHat)
            return fourOnFloor;
        return false;
    };
    const double hatLevel = std::clamp(m_energy, 0.8, 1.1);
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
        const Drum drum = LaneDrums[lane];
        if (intro && !introAllows(drum))
            continue;
        const std::string& hits = lanes[lane];
        for (int step = 0; step < std::min<int>(fillFrom, static_cast<int>(hits.size())); ++step) {
            if (base + step >= m_endStep)
                break;
            double velocity = velocityOf(hits[static_cast<std::size_t>(step)]);
            if (velocity <= 0)
                continue;
            if (drum == Drum::ClosedHat && hasHit(lanes[5].c_str(), step))
                continue;
            if (drum == Drum::ClosedHat || drum == Drum::Shaker || drum == Drum::Ride)
                velocity *= hatLevel * (intro ? 0.8 : 1.0);
            addDrum(drum, base + step, velocity);
            if (drum == Drum::Kick)
                m_kickSteps[static_cast<std::size_t>(bar)].push_back(step);
        }
    }
    if (intro && !introFill)
        return;

    // Small changes from bar to bar so a loop does not sound like one.
    if (!fill && !intro) {
        const bool syncopated = m_groove == Groove::BoomBap || m_groove == Groove::Funk ||
                                m_groove == Groove::Breakbeat || m_groove == Groove::Backbeat;
        if (syncopated && m_drumRng.chance(0.35)) {
            const int step = 1 + 2 * static_cast<int>(m_drumRng.below(8));
            if (step != 5 && step != 13 && base + step < m_endStep)
                addDrum(Drum::Snare, base + step, 0.3);
        }
        if (syncopated && m_drumRng.chance(0.25)) {
            const int step = 2 * static_cast<int>(m_drumRng.below(8));
            if (step != 4 && step != 12 && base + step < m_endStep) {
                addDrum(Drum::Kick, base + step, 0.7);
                m_kickSteps[static_cast<std::size_t>(bar)].push_back(step);
            }
        }
        if ((m_groove == Groove::BoomBap || m_groove == Groove::Backbeat) && m_drumRng.chance(0.15) &&
            base + 14 < m_endStep)
            addDrum(Drum::OpenHat, base + 14, 0.5);
        if (m_groove == Groove::JazzRide) {
            const int comps = 1 + static_cast<int>(m_drumRng.below(3));
            static constexpr int CompSteps[] = {2, 3, 6, 7, 10, 11, 14};
            for (int i = 0; i < comps; ++i) {
                const int step = CompSteps[m_drumRng.below(7)];
                if (base + step < m_endStep)
                    addDrum(Drum::Snare, base + step, m_drumRng.uniform(0.25, 0.45));
            }
        }
        std::sort(m_kickSteps[static_cast<std::size_t>(bar)].begin(), m_kickSteps[static_cast<std::size_t>(bar)].end());
        return;
    }

    auto at = [&](int step, Drum drum, double velocity) {
        if (step >= fillFrom && base + step < m_endStep)
            addDrum(drum, base + step, velocity);
        if (drum == Drum::Kick)
            m_kickSteps[static_cast<std::size_t>(bar)].push_back(step);
    };
    auto ramp = [&](int step) { return 0.35 + 0.65 * (step - fillFrom + 1) / (StepsPerBar - fillFrom); };
    switch (m_groove) {
    case Groove::FourOnFloor:
    case Groove::Techno:
        for (int step = fillFrom; step < StepsPerBar; ++step) {
            if (step % 4 == 0)
                at(step, Drum::Kick, 1.0);
            if (m_groove == Groove::FourOnFloor || step % 2 == 0 || longFill)
                at(step, Drum::Snare, ramp(step));
        }
        break;
    case Groove::Backbeat:
    case Groove::Synthwave:
    case Groove::Folk:
    case Groove::Light:
    case Groove::Funk: {
        const double scale = m_groove == Groove::Folk || m_groove == Groove::Light ? 0.7 : 1.0;
        if (longFill) {
            at(8, Drum::Snare, 0.8 * scale);
            at(10, Drum::Snare, 0.7 * scale);
            at(11, Drum::Snare, 0.8 * scale);
        }
        at(12, Drum::Snare, 0.9 * scale);
        at(13, Drum::MidTom, 0.8 * scale);
        at(14, Drum::MidTom, 0.85 * scale);
        at(15, Drum::LowTom, 0.95 * scale);
        at(12, Drum::Kick, 0.8);
        break;
    }
    case Groove::BoomBap:
        at(12, Drum::Snare, 1.0);
        at(13, Drum::Kick, 0.7);
        at(14, Drum::Snare, 0.45);
        at(15, Drum::Snare, 0.8);
        at(14, Drum::OpenHat, 0.5);
        break;
    case Groove::Breakbeat:
        for (int step = fillFrom; step < StepsPerBar; ++step)
            at(step, step >= 14 ? Drum::MidTom : Drum::Snare, ramp(step));
        at(fillFrom, Drum::Kick, 0.9);
        break;
    case Groove::OneDrop:
        for (int step = fillFrom; step < StepsPerBar; ++step)
            at(step, Drum::Rim, ramp(step));
        at(15, Drum::LowTom, 0.8);
        break;
    case Groove::JazzRide:
        at(fillFrom, Drum::Ride, 0.8);
        at(10, Drum::Snare, 0.4);
        at(12, Drum::Snare, 0.6);
        at(14, Drum::Snare, 0.9);
        at(15, Drum::Kick, 0.8);
        break;
    case Groove::Toms:
        for (int step = fillFrom; step < StepsPerBar; ++step) {
            at(step, Drum::LowTom, ramp(step));
            if (step % 2 == 1)
                at(step, Drum::MidTom, 0.6 * ramp(step));
        }
        break;
    case Groove::None:
        break;
    }
    std::sort(m_kickSteps[static_cast<std::size_t>(bar)].begin(), m_kickSteps[static_cast<std::size_t>(bar)].end());
}

void Composer::writeBass()
{
    if (m_bassLine == BassLine::None || m_bass == Voice::None)
        return;
    int low = 33;
    switch (m_bass) {
    case Voice::SubBass:
        low = 29;
        break;
    case Voice::PickBass:
    case Voice::UprightBass:
        low = 31;
        break;
    case Voice::Piano:
    case Voice::Strings:
        low = 36;
        break;
    default:
        break;
    }
    const int firstBar = m_groove == Groove::None ? 0 : m_plan.introBars;
    const bool pulseOctaves = m_bassRng.chance(0.5);
    // One figure for the whole piece (varied a little per bar) is what makes a bass line a riff.
    std::vector<bool> rollingMask(StepsPerBar, true);
    for (int step = 0; step < StepsPerBar; ++step)
        rollingMask[static_cast<std::size_t>(step)] = step % 4 != 0 && !m_bassRng.chance(0.2);
    const int reggaeFigure = static_cast<int>(m_bassRng.below(2));
    const int funkFigure = static_cast<int>(m_bassRng.below(2));
    const double level = 0.8;

    for (int bar = firstBar; bar < m_bodyBars; ++bar) {
        const Chord& chord = chordAtBar(bar);
        const Chord& next = chordAtBar(bar + 1);
        const int base = bar * StepsPerBar;
        const int root = bassNote(chord, 0, low);
        const int rootMidi = midiOf(root);
        const int fifthIndex = root + 4;
        const int nextRoot = bassNote(next, 0, low);
        auto note = [&](int step, int length, int midi, double velocity, double legato = 0.92) {
            if (base + step >= m_endStep)
                return;
            length = std::min(length, m_endStep - base - step);
            addNote(Part::Bass, base + step, length, midi, velocity * level, 0, legato);
        };
        switch (m_bassLine) {
        case BassLine::Sustained:
        case BassLine::Reese: {
            if (bar % m_barsPerChord != 0 && bar != firstBar)
                break;
            int span = m_barsPerChord - (bar % m_barsPerChord);
            if (m_bassLine == BassLine::Reese && m_bassRng.chance(0.4)) {
                note(0, 8 * span + 6, rootMidi, 0.85, 1.0);
                note(8 * span + 6, 8 * span - 6, midiOf(fifthIndex - 7 < root - 3 ? fifthIndex : fifthIndex - 7), 0.8,
                     1.0);
            } else {
                note(0, StepsPerBar * span, rootMidi, 0.8, 1.0);
            }
            break;
        }
        case BassLine::Roots8:
            for (int step = 0; step < StepsPerBar; step += 2) {
                int midi = rootMidi;
                if (step == 12 && m_bassRng.chance(0.3))
                    midi = midiOf(fifthIndex);
                if (step == 14 && m_bassRng.chance(0.4))
                    midi = midiOf(nextRoot + (nextRoot > root ? -1 : 1));
                note(step, 2, midi, step % 8 == 0 ? 0.95 : 0.75, 0.85);
            }
            break;
        case BassLine::OffbeatHouse:
            for (int step = 2; step < StepsPerBar; step += 4) {
                const bool octave = step == 14 && m_bassRng.chance(0.35);
                note(step, 2, rootMidi + (octave ? 12 : 0), 0.9, 0.8);
            }
            break;
        case BassLine::Rolling16:
            for (int step = 0; step < StepsPerBar; ++step) {
                if (!rollingMask[static_cast<std::size_t>(step)])
                    continue;
                note(step, 1, rootMidi + (step % 8 == 7 && bar % 2 == 1 ? 12 : 0), step % 4 == 2 ? 0.95 : 0.7, 0.7);
            }
            break;
        case BassLine::BoomBap: {
            std::vector<int> steps = m_kickSteps[static_cast<std::size_t>(bar)];
            steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
            if (steps.empty() || steps.front() != 0)
                steps.insert(steps.begin(), 0);
            for (std::size_t i = 0; i < steps.size(); ++i) {
                const int step = steps[i];
                const int until = i + 1 < steps.size() ? steps[i + 1] : StepsPerBar;
                int midi = rootMidi;
                if (step >= 10 && i + 1 == steps.size() && m_bassRng.chance(0.4))
                    midi = midiOf(fifthIndex - 7 >= root - 2 ? fifthIndex - 7 : fifthIndex);
                note(step, std::max(2, until - step), midi, step == 0 ? 0.95 : 0.8, 0.9);
            }
            break;
        }
        case BassLine::Walking: {
            const int second = root + (m_bassRng.chance(0.5) ? 2 : 1);
            const int third = root + (m_bassRng.chance(0.6) ? 4 : 2);
            const int approach = nextRoot + (m_bassRng.chance(0.5) ? 1 : -1);
            const int line[4] = {root, second, third, approach};
            for (int beat = 0; beat < 4; ++beat) {
                int index = line[beat];
                while (midiOf(index) > low + 17)
                    index -= 7;
                while (midiOf(index) < low)
                    index += 7;
                note(beat * 4, 4, midiOf(index), beat == 0 ? 0.9 : 0.78, 0.9);
            }
            break;
        }
        case BassLine::Reggae: {
            struct Hit
            {
                int step;
                int length;
                int offset;
            };
            static constexpr Hit FigureA[] = {{0, 3, 0}, {4, 2, 0}, {6, 2, 2}, {8, 3, 4}, {12, 2, 0}, {14, 2, 7}};
            static constexpr Hit FigureB[] = {{2, 2, 0}, {4, 2, 0}, {8, 3, 4}, {11, 1, 0}, {12, 4, 2}};
            const Hit* figure = reggaeFigure == 0 ? FigureA : FigureB;
            const int hits = reggaeFigure == 0 ? 6 : 5;
            for (int i = 0; i < hits; ++i)
                note(figure[i].step, figure[i].length, midiOf(root + figure[i].offset), 0.85, 0.9);
            break;
        }
        case BassLine::FunkOctaves: {
            struct Hit
            {
                int step;
                int length;
                int offset;
            };
            static constexpr Hit FigureA[] = {{0, 2, 0},  {3, 1, 7},  {6, 1, 0}, {7, 1, 0},
                                              {10, 1, 7}, {11, 1, 0}, {14, 1, 4}};
            static constexpr Hit FigureB[] = {{0, 3, 0},  {3, 1, 0},  {6, 2, 7}, {8, 1, 0},
                                              {10, 2, 4}, {13, 1, 7}, {14, 2, 0}};
            const Hit* figure = funkFigure == 0 ? FigureA : FigureB;
            for (int i = 0; i < 7; ++i)
                note(figure[i].step, figure[i].length, midiOf(root + figure[i].offset), figure[i].step == 0 ? 1.0 : 0.8,
                     0.7);
            break;
        }
        case BassLine::RootFifth:
            note(0, 8, rootMidi, 0.85, 0.95);
            note(8, 8, midiOf(fifthIndex - 7 >= root ? fifthIndex - 7 : fifthIndex), 0.75, 0.95);
            break;
        case BassLine::Pulse8:
            for (int step = 0; step < StepsPerBar; step += 2)
                note(step, 2, rootMidi + (pulseOctaves && step % 4 == 2 ? 12 : 0), step % 4 == 0 ? 0.9 : 0.75, 0.8);
            break;
        case BassLine::None:
            break;
        }
    }
}

std::vector<int> Composer::voicing(const Chord& chord, int low, int high, int count, std::vector<int>& previous) const
{
    std::vector<int> tones = chord.tones;
    while (static_cast<int>(tones.size()) < count)
        tones.push_back(tones[tones.size() % chord.tones.size()] + 7);
    tones.resize(static_cast<std::size_t>(count));

    std::vector<int> best;
    double bestCost = 1e18;
    const double centre = (low + high) / 2.0;
    for (std::size_t inversion = 0; inversion < tones.size(); ++inversion) {
        // Stack the chord tones upwards from the inversion's bass note.
        std::vector<int> indices;
        int previousIndex = -1000;
        for (std::size_t k = 0; k < tones.size(); ++k) {
            int index = tones[(inversion + k) % tones.size()];
            while (index <= previousIndex)
                index += 7;
            indices.push_back(index);
            previousIndex = index;
        }
        for (int shift = -35; shift <= 21; shift += 7) {
            std::vector<int> midis;
            for (const int index : indices)
                midis.push_back(midiOf(index + shift + 35));
            if (midis.front() < low || midis.back() > high)
                continue;
            double mean = 0;
            for (const int midi : midis)
                mean += midi;
            // Smooth voice leading first, but do not let the chords drift out of the instrument's sweet spot.
            double cost = 0.3 * std::abs(mean / static_cast<double>(midis.size()) - centre);
            if (previous.size() == midis.size()) {
                for (std::size_t k = 0; k < midis.size(); ++k)
                    cost += std::abs(midis[k] - previous[k]);
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = midis;
            }
        }
    }
    if (best.empty()) {
        int index = scaleIndexBelow(low + 2);
        index = nearestChordTone(index, chord);
        for (int k = 0; k < count; ++k)
            best.push_back(midiOf(index + 2 * k));
    }
    previous = best;
    return best;
}

void Composer::writeHarmony(Part part, Voice voice, Comp comp, int fromBar, float level)
{
    int low = 52;
    int high = 72;
    int count = m_sevenths ? 4 : 3;
    switch (voice) {
    case Voice::Pad:
        low = 50;
        high = 74;
        count = 4;
        break;
    case Voice::DarkPad:
        low = 43;
        high = 67;
        break;
    case Voice::Strings:
        low = 52;
        high = 79;
        count = 4;
        break;
    case Voice::Choir:
        low = 55;
        high = 74;
        break;
    case Voice::Organ:
        low = 55;
        high = 74;
        break;
    case Voice::CleanGuitar:
        low = 57;
        high = 76;
        count = 3;
        break;
    case Voice::AcousticGuitar:
        low = 47;
        high = 71;
        count = 4;
        break;
    case Voice::OverdriveGuitar:
        low = 40;
        high = 64;
        break;
    case Voice::SynthPluck:
    case Voice::Bells:
    case Voice::Marimba:
    case Voice::Harp:
        low = 60;
        high = 84;
        break;
    case Voice::Flute:
        low = 65;
        high = 86;
        count = 2;
        break;
    case Voice::Brass:
    case Voice::Sax:
        low = 53;
        high = 72;
        count = 3;
        break;
    default:
        break;
    }
    if (comp == Comp::Skank) {
        low = 60;
        high = 79;
        count = 3;
    }
    std::vector<int> previous = part == Part::Harmony ? m_lastHarmonyVoicing : std::vector<int>{};
    struct Hit
    {
        int step;
        int length;
        double velocity;
    };
    std::vector<std::vector<Hit>> blockFigures;
    const bool laidBack = m_groove == Groove::BoomBap || m_groove == Groove::JazzRide || m_groove == Groove::None;
    if (laidBack)
        blockFigures = {{{0, 16, 0.75}}, {{0, 10, 0.75}, {10, 6, 0.6}}, {{0, 8, 0.75}, {8, 6, 0.6}, {14, 2, 0.5}}};
    else
        blockFigures = {{{0, 6, 0.8}, {6, 10, 0.65}},
                        {{0, 4, 0.8}, {4, 4, 0.6}, {8, 4, 0.7}, {12, 4, 0.6}},
                        {{0, 3, 0.8}, {3, 3, 0.6}, {6, 4, 0.65}, {10, 6, 0.65}}};
    const std::vector<Hit> block = m_harmonyRng.pick(blockFigures);
    const std::vector<std::vector<Hit>> stabFigures = {
        {{2, 1, 0.8}, {6, 1, 0.7}, {10, 1, 0.8}, {14, 1, 0.7}},
        {{0, 2, 0.8}, {3, 2, 0.7}, {6, 2, 0.75}, {10, 2, 0.7}, {13, 2, 0.7}},
        {{3, 2, 0.8}, {6, 2, 0.7}, {10, 3, 0.8}},
    };
    const std::vector<Hit> stabs = m_harmonyRng.pick(stabFigures);
    static constexpr int ChopSteps[] = {0, 2, 3, 6, 8, 10, 11, 14};
    const bool sixteenthArp = comp == Comp::Arpeggio16 || (comp == Comp::Broken && m_plan.bpm < 90);

    std::vector<int> chordNotes;
    for (int bar = fromBar; bar < m_bodyBars; ++bar) {
        const int base = bar * StepsPerBar;
        const Chord& chord = chordAtBar(bar);
        const bool change = bar == fromBar || bar % m_barsPerChord == 0 || chordAtBar(bar - 1).degree != chord.degree;
        if (change)
            chordNotes = voicing(chord, low, high, count, previous);
        auto play = [&](int step, int length, const std::vector<int>& notes, double velocity, double spreadMs = 0,
                        double legato = 0.95) {
            if (base + step >= m_endStep)
                return;
            length = std::min(length, m_endStep - base - step);
            for (std::size_t k = 0; k < notes.size(); ++k)
                addNote(part, base + step, length, notes[k], velocity * level, spreadMs * static_cast<double>(k),
                        legato);
        };
        switch (comp) {
        case Comp::Pad: {
            if (!change)
                break;
            int span = 1;
            while (bar + span < m_bodyBars && chordAtBar(bar + span).degree == chord.degree &&
                   (bar + span) % m_barsPerChord != 0)
                ++span;
            play(0, span * StepsPerBar, chordNotes, 0.62, 0, 1.0);
            break;
        }
        case Comp::Block:
            for (const Hit& hit : block)
                play(hit.step, hit.length, chordNotes, hit.velocity, laidBack ? 6 : 0, 0.92);
            break;
        case Comp::Stabs:
            for (const Hit& hit : stabs)
                play(hit.step, hit.length, chordNotes, hit.velocity, 0, 0.7);
            break;
        case Comp::Skank:
            play(4, 1, chordNotes, 0.8, 0, 0.6);
            play(12, 1, chordNotes, 0.8, 0, 0.6);
            break;
        case Comp::Bubble:
            for (int step = 0; step < StepsPerBar; step += 2)
                play(step, 1, chordNotes, step % 4 == 2 ? 0.6 : 0.35, 0, 0.7);
            break;
        case Comp::Strum: {
            // Down-strums sweep low to high, up-strums high to low on the top strings only.
            static constexpr int Steps[] = {0, 4, 6, 10, 12, 14};
            static constexpr bool Down[] = {true, true, false, false, true, false};
            std::vector<int> guitar = chordNotes;
            guitar.insert(guitar.begin(), midiOf(bassNote(chord, 0, 40)));
            for (int i = 0; i < 6; ++i) {
                const int next = i + 1 < 6 ? Steps[i + 1] : StepsPerBar;
                std::vector<int> strings = guitar;
                if (!Down[i]) {
                    strings.erase(strings.begin());
                    std::reverse(strings.begin(), strings.end());
                }
                play(Steps[i], next - Steps[i] + 1, strings, Down[i] ? 0.78 : 0.5, 9, 1.0);
            }
            break;
        }
        case Comp::Arpeggio:
        case Comp::Arpeggio16:
        case Comp::Broken: {
            std::vector<int> notes = chordNotes;
            if (comp == Comp::Broken && notes.size() >= 3) {
                notes = {notes[0], notes[2], notes[1], notes[2]};
            } else {
                notes.push_back(notes.front() + 12);
                const std::size_t up = notes.size();
                for (std::size_t k = up - 2; k >= 1; --k)
                    notes.push_back(notes[k]);
            }
            const int stride = sixteenthArp ? 1 : 2;
            for (int step = 0, k = 0; step < StepsPerBar; step += stride, ++k) {
                const int note = notes[static_cast<std::size_t>(k) % notes.size()];
                // Arpeggios on a piano or harp ring on as if the sustain pedal were down.
                const bool pedal = comp == Comp::Arpeggio && !voiceSustains(voice) && voice != Voice::SynthPluck;
                const int length = pedal ? StepsPerBar - step : stride;
                play(step, length, {note}, (step % 4 == 0 ? 0.7 : 0.55), 0, pedal ? 1.0 : 0.85);
            }
            break;
        }
        case Comp::Charleston: {
            static const std::vector<std::vector<Hit>> Figures = {
                {{0, 3, 0.7}, {6, 2, 0.6}},
                {{4, 2, 0.6}, {10, 2, 0.65}},
                {{0, 2, 0.65}, {7, 3, 0.6}, {14, 2, 0.55}},
                {{2, 2, 0.6}, {8, 4, 0.65}},
            };
            for (const Hit& hit : m_harmonyRng.pick(Figures))
                play(hit.step, hit.length, chordNotes, hit.velocity, 4, 0.9);
            break;
        }
        case Comp::Chops:
            for (const int step : ChopSteps)
                play(step, 1, chordNotes, step % 4 == 0 ? 0.75 : 0.55, 0, 0.45);
            break;
        case Comp::Power8: {
            const int root = midiOf(bassNote(chord, 0, 40));
            const std::vector<int> power = {root, root + 7, root + 12};
            for (int step = 0; step < StepsPerBar; step += 2)
                play(step, 2, power, step % 8 == 0 ? 0.9 : 0.7, 2, step % 8 == 0 ? 0.95 : 0.6);
            break;
        }
        }
    }
    if (part == Part::Harmony)
        m_lastHarmonyVoicing = previous;
}

Composer::Motif Composer::makeMotif(int lengthSteps)
{
    const GenreStyle& style = *m_style;
    const int grid = style.melodyGridSteps;
    const double density = std::clamp(style.melodyDensity * m_energy, 0.1, 0.95);
    std::vector<int> onsets;
    for (int step = 0; step < lengthSteps; step += grid) {
        const int inBar = step % StepsPerBar;
        double weight = inBar == 0 ? 1.0 : inBar % 8 == 0 ? 0.8 : inBar % 4 == 0 ? 0.55 : inBar % 2 == 0 ? 0.35 : 0.2;
        if (step >= lengthSteps - 2)
            weight *= 0.3;
        if (m_melodyRng.chance(std::clamp(weight * density * 1.5, 0.05, 0.95)))
            onsets.push_back(step);
    }
    if (onsets.size() < 2) {
        onsets = {0, std::max(grid, (lengthSteps / 2 / grid) * grid)};
    }
    Motif motif;
    int offset = 0;
    int lastInterval = 0;
    static constexpr int Intervals[] = {-4, -3, -2, -1, 0, 1, 2, 3, 4};
    for (std::size_t i = 0; i < onsets.size(); ++i) {
        const int step = onsets[i];
        const int next = i + 1 < onsets.size() ? onsets[i + 1] : lengthSteps;
        int length = next - step;
        if (i + 1 == onsets.size())
            length = std::min(length, 4 + grid);
        if (style.staccato)
            length = std::min(length, grid == 1 ? 1 : 2);
        else if (length >= 4 && m_melodyRng.chance(0.25))
            length /= 2;
        if (i > 0) {
            double weights[] = {0.03, 0.06, 0.16, 0.22, 0.08, 0.22, 0.14, 0.06, 0.03};
            if (offset > 4)
                for (int k = 5; k < 9; ++k)
                    weights[k] *= 0.2;
            if (offset < -3)
                for (int k = 0; k < 4; ++k)
                    weights[k] *= 0.2;
            int interval = Intervals[m_melodyRng.weighted(weights, 9)];
            // After a leap, step back the other way: what singers do and listeners expect.
            if (std::abs(lastInterval) >= 3)
                interval = lastInterval > 0 ? -1 : 1;
            offset += interval;
            lastInterval = interval;
        }
        motif.push_back({step, std::max(1, length), offset});
    }
    return motif;
}

Composer::Motif Composer::varyMotif(const Motif& motif, int lengthSteps)
{
    Motif varied = motif;
    if (varied.empty())
        return varied;
    switch (m_melodyRng.below(3)) {
    case 0: {
        const std::size_t from = varied.size() > 2 ? varied.size() - 2 : 0;
        for (std::size_t i = from; i < varied.size(); ++i)
            varied[i].offset += m_melodyRng.chance(0.5) ? 1 : -1;
        break;
    }
    case 1: {
        for (std::size_t i = 0; i < varied.size(); ++i) {
            if (varied[i].length >= 4) {
                const int half = varied[i].length / 2;
                MotifNote extra{varied[i].step + half, varied[i].length - half,
                                varied[i].offset + (m_melodyRng.chance(0.5) ? 1 : -1)};
                varied[i].length = half;
                varied.insert(varied.begin() + static_cast<std::ptrdiff_t>(i) + 1, extra);
                break;
            }
        }
        break;
    }
    default: {
        const std::size_t middle = varied.size() / 2;
        const int pivot = varied[middle].offset;
        for (std::size_t i = middle + 1; i < varied.size(); ++i)
            varied[i].offset = 2 * pivot - varied[i].offset;
        break;
    }
    }
    for (MotifNote& note : varied)
        note.length = std::min(note.length, lengthSteps - note.step);
    return varied;
}

Composer::Motif Composer::cadenceMotif(const Motif& motif, int lengthSteps)
{
    const int half = lengthSteps / 2;
    Motif cadence;
    for (const MotifNote& note : motif) {
        if (note.step < half)
            cadence.push_back({note.step, std::min(note.length, half - note.step), note.offset});
    }
    const int lastOffset = cadence.empty() ? 0 : cadence.back().offset;
    cadence.push_back({half, lengthSteps - half, lastOffset + (lastOffset > 0 ? -1 : 1)});
    return cadence;
}

void Composer::placeMotif(const Motif& motif, int bar, int& anchor, double velocity)
{
    const int centre = scaleIndexBelow(voiceMelodyCentre(m_lead));
    const int lowest = centre - 5;
    const int highest = centre + 8;
    const Chord& first = chordAtBar(bar);
    if (anchor == NoAnchor)
        anchor = nearestChordTone(centre, first);
    // A motif keeps its shape but moves to the nearest chord tone of the bar it lands on: heard as the same idea
    // following the harmony.
    const int slotAnchor = nearestChordTone(anchor, first);
    for (const MotifNote& note : motif) {
        const int step = bar * StepsPerBar + note.step;
        if (step >= m_endStep)
            break;
        int index = slotAnchor + note.offset;
        if (note.step % 8 == 0 || note.length >= 6)
            index = nearestChordTone(index, chordAtStep(step));
        while (index > highest)
            index -= 7;
        while (index < lowest)
            index += 7;
        const int length = std::min(note.length, m_endStep - step);
        const double accent = note.step % StepsPerBar == 0 ? 1.08 : note.step % 4 == 0 ? 1.0 : 0.9;
        addNote(Part::Melody, step, length, midiOf(index), velocity * accent, 0, m_style->staccato ? 0.6 : 0.95);
        m_lastMelodyIndex = index;
    }
}

void Composer::writeMelody()
{
    if (m_lead == Voice::None)
        return;
    const int motifBars = m_plan.barSeconds < 1.5 ? 2 : 1;
    const int motifSteps = motifBars * StepsPerBar;
    const int slotsPerPhrase = 4 / motifBars;
    const Motif a = makeMotif(motifSteps);
    const Motif b = makeMotif(motifSteps);
    const Motif a2 = varyMotif(a, motifSteps);
    const Motif b2 = varyMotif(b, motifSteps);
    const Motif ca = cadenceMotif(a2, motifSteps);
    const Motif cb = cadenceMotif(b, motifSteps);
    const Motif finalCadence = cadenceMotif(varyMotif(a, motifSteps), motifSteps);

    // Phrase forms per slot; 0 = A, 1 = A', 2 = B, 3 = B', 4 = cadence.
    static const std::vector<std::vector<int>> FourSlotForms = {{0, 1, 0, 4}, {0, 2, 0, 4}, {0, 1, 2, 4}, {0, 0, 2, 4}};
    static const std::vector<std::vector<int>> TwoSlotForms = {{0, 4}, {0, 1}};
    const std::vector<int> form = m_melodyRng.pick(slotsPerPhrase == 4 ? FourSlotForms : TwoSlotForms);
    const bool techno = m_style->staccato && m_groove == Groove::Techno;

    int anchorA = NoAnchor;
    int anchorB = NoAnchor;
    const int bodyStart = m_plan.introBars;
    const int phrases = (m_bodyBars - bodyStart + 3) / 4;
    const bool lead = m_lead == m_harmony;
    for (int phrase = 0; phrase < phrases; ++phrase) {
        const bool contrast = phrases >= 3 && phrase == 2;
        const bool last = phrase == phrases - 1;
        const double velocity = (lead ? 0.85 : 0.78) * (last && phrases > 1 ? 1.05 : 1.0);
        for (int slot = 0; slot < slotsPerPhrase; ++slot) {
            const int bar = bodyStart + phrase * 4 + slot * motifBars;
            if (bar * StepsPerBar >= m_endStep)
                break;
            int kind = form[static_cast<std::size_t>(slot)];
            if (techno)
                kind = slot == slotsPerPhrase - 1 ? 1 : 0;
            if (contrast)
                kind = kind == 0 ? 2 : kind == 1 ? 3 : kind;
            if (anchorB == NoAnchor && anchorA != NoAnchor)
                anchorB = anchorA + 2;
            switch (kind) {
            case 0:
                placeMotif(a, bar, anchorA, velocity);
                break;
            case 1:
                placeMotif(a2, bar, anchorA, velocity);
                break;
            case 2:
                placeMotif(b, bar, anchorB == NoAnchor ? anchorA : anchorB, velocity);
                break;
            case 3:
                placeMotif(b2, bar, anchorB == NoAnchor ? anchorA : anchorB, velocity);
                break;
            default:
                placeMotif(contrast ? cb : (last ? finalCadence : ca), bar, anchorA, velocity);
                break;
            }
        }
    }
}

void Composer::writeEnding()
{
    if (!m_hasEnding)
        return;
    const int length = m_totalSteps - m_endStep + 1;
    const Chord& tonic = chordAtStep(m_endStep);
    if (m_harmony != Voice::None) {
        std::vector<int> previous = m_lastHarmonyVoicing;
        int low = voiceSustains(m_harmony) ? 50 : 48;
        for (const int midi : voicing(tonic, low, low + 24, 4, previous))
            addNote(Part::Harmony, m_endStep, length, midi, 0.62, 0, 1.0);
    }
    if (m_texture != Voice::None && voiceSustains(m_texture)) {
        std::vector<int> previous;
        for (const int midi : voicing(tonic, 55, 79, 3, previous))
            addNote(Part::Texture, m_endStep, length, midi, 0.45, 0, 1.0);
    }
    if (m_bass != Voice::None) {
        const int low = m_bass == Voice::Piano || m_bass == Voice::Strings ? 36 : 31;
        addNote(Part::Bass, m_endStep, length, midiOf(bassNote(tonic, 0, low)), 0.8, 0, 1.0);
    }
    if (m_lead != Voice::None) {
        const int centre = scaleIndexBelow(voiceMelodyCentre(m_lead));
        const int from = m_lastMelodyIndex >= 0 ? m_lastMelodyIndex : centre;
        int tonicIndex = floorDiv(from + 3, 7) * 7;
        if (tonicIndex > centre + 8)
            tonicIndex -= 7;
        if (tonicIndex < centre - 5)
            tonicIndex += 7;
        addNote(Part::Melody, m_endStep, length, midiOf(tonicIndex), 0.75, 0, 1.0);
    }
    if (m_groove != Groove::None) {
        const bool loud = m_groove != Groove::JazzRide && m_groove != Groove::Folk && m_groove != Groove::Light;
        addDrum(Drum::Crash, m_endStep, loud ? 0.85 : 0.5);
        addDrum(m_groove == Groove::Toms ? Drum::LowTom : Drum::Kick, m_endStep, 0.95);
    }
}

void Composer::finish()
{
    std::stable_sort(m_plan.notes.begin(), m_plan.notes.end(),
                     [](const NoteEvent& a, const NoteEvent& b) { return a.startSample < b.startSample; });
    std::stable_sort(m_plan.drumHits.begin(), m_plan.drumHits.end(),
                     [](const DrumHit& a, const DrumHit& b) { return a.startSample < b.startSample; });
    auto add = [&](const std::string& id) {
        if (!id.empty() &&
            std::find(m_plan.instruments.begin(), m_plan.instruments.end(), id) == m_plan.instruments.end())
            m_plan.instruments.push_back(id);
    };
    add(voiceInstrument(m_lead));
    add(voiceInstrument(m_harmony));
    add(voiceInstrument(m_texture));
    add(voiceInstrument(m_bass));
    if (m_plan.drums)
        add("drums");

    std::string summary = m_plan.genre + ", " + std::to_string(static_cast<int>(dmath::roundHalfAway(m_plan.bpm))) +
                          " bpm, " + keyName(m_plan.keyRoot, m_plan.minor);
    if (m_plan.swing > 0) {
        const int percent = static_cast<int>(dmath::roundHalfAway(m_plan.swing * 100));
        summary += ", swing " + std::to_string(percent) + "%";
    }
    summary += ": ";
    for (std::size_t i = 0; i < m_plan.instruments.size(); ++i)
        summary += (i ? ", " : "") + m_plan.instruments[i];
    if (!m_plan.chords.empty()) {
        summary += "; chords";
        const std::size_t shown = std::min<std::size_t>(m_plan.chords.size(), 4 * m_barsPerChord);
        for (std::size_t i = 0; i < shown; i += static_cast<std::size_t>(m_barsPerChord))
            summary += " " + m_plan.chords[i];
    }
    if (m_plan.lofi)
        summary += "; vinyl and tape colour";
    m_plan.summary = summary;
}

SketchPlan plan(const SketchParams& params)
{
    return Composer(params).compose();
}

} // namespace engine
