#include "engine/compose/GenreStyle.h"

namespace engine {

namespace {

// clang-format off
const GenreStyle Styles[] = {
    // id         bpm       swing unit groove               bass                    comp              texture comp      family                  bars 7th    lead                    harmony                 bass                texture            guitar                  named bass          major rev   dens  grid stacc  lofi   mix: levels{drums, bass, harmony, lead, texture}, pump, echo, kit
    {"pop",       96,  118, 0.0,  1, Groove::Backbeat,    BassLine::Roots8,       Comp::Block,      Comp::Pad,        ChordFamily::Pop,       1, false, Voice::SynthLead,       Voice::Piano,           Voice::SynthBass,   Voice::Pad,        Voice::CleanGuitar,     Voice::UprightBass, 0.75, 0.25, 0.50, 1, false, false, {{0, -3, -6, -3, -11},   0,    false, Kit::Standard}},
    {"lofi",      70,  88,  0.22, 1, Groove::BoomBap,     BassLine::BoomBap,      Comp::Block,      Comp::Pad,        ChordFamily::Jazzy,     1, true,  Voice::EPiano,          Voice::EPiano,          Voice::SubBass,     Voice::None,       Voice::CleanGuitar,     Voice::UprightBass, 0.50, 0.25, 0.40, 1, false, true,  {{0, -3, -5, -5, -10},   0,    false, Kit::Lofi}},
    {"hiphop",    84,  96,  0.14, 1, Groove::BoomBap,     BassLine::BoomBap,      Comp::Block,      Comp::Pad,        ChordFamily::Pop,       1, false, Voice::Piano,           Voice::Piano,           Voice::SubBass,     Voice::Strings,    Voice::AcousticGuitar,  Voice::UprightBass, 0.30, 0.20, 0.40, 1, false, false, {{0, -2, -6, -4, -11},   0,    false, Kit::HipHop}},
    {"house",     120, 126, 0.06, 1, Groove::FourOnFloor, BassLine::OffbeatHouse, Comp::Stabs,      Comp::Pad,        ChordFamily::Pop,       1, true,  Voice::SynthPluck,      Voice::Piano,           Voice::SynthBass,   Voice::Pad,        Voice::CleanGuitar,     Voice::UprightBass, 0.50, 0.20, 0.50, 1, false, false, {{0, -3, -6, -5, -11},   0.5,  true,  Kit::House}},
    {"techno",    124, 132, 0.0,  1, Groove::Techno,      BassLine::Rolling16,    Comp::Pad,        Comp::Pad,        ChordFamily::Dark,      2, false, Voice::SynthPluck,      Voice::DarkPad,         Voice::SynthBass,   Voice::None,       Voice::AcousticGuitar,  Voice::UprightBass, 0.15, 0.20, 0.80, 1, true,  false, {{0, -4, -9, -6, -12},   0.5,  false, Kit::Techno}},
    {"dnb",       170, 176, 0.0,  1, Groove::Breakbeat,   BassLine::Reese,        Comp::Pad,        Comp::Arpeggio,   ChordFamily::Pop,       2, true,  Voice::SynthLead,       Voice::Pad,             Voice::ReeseBass,   Voice::None,       Voice::AcousticGuitar,  Voice::UprightBass, 0.30, 0.30, 0.35, 2, false, false, {{0, -3, -7, -4, -11},   0,    true,  Kit::DrumAndBass}},
    {"ambient",   60,  76,  0.0,  1, Groove::None,        BassLine::Sustained,    Comp::Pad,        Comp::Arpeggio,   ChordFamily::Ambient,   2, true,  Voice::Bells,           Voice::Pad,             Voice::SubBass,     Voice::None,       Voice::AcousticGuitar,  Voice::SubBass,     0.50, 0.60, 0.22, 4, false, false, {{0, -8, -1, -4, -8},    0,    true,  Kit::Standard}},
    {"cinematic", 72,  96,  0.0,  1, Groove::Toms,        BassLine::Sustained,    Comp::Pad,        Comp::Pad,        ChordFamily::Epic,      1, false, Voice::Brass,           Voice::Strings,         Voice::Strings,     Voice::Choir,      Voice::AcousticGuitar,  Voice::UprightBass, 0.35, 0.50, 0.30, 2, false, false, {{-2, -5, -2, -2, -8},   0,    false, Kit::Cinematic}},
    {"jazz",      112, 150, 0.33, 2, Groove::JazzRide,    BassLine::Walking,      Comp::Charleston, Comp::Pad,        ChordFamily::Jazzy,     1, true,  Voice::Piano,           Voice::Piano,           Voice::UprightBass, Voice::None,       Voice::CleanGuitar,     Voice::UprightBass, 0.60, 0.20, 0.55, 2, false, false, {{-6, -3, -5, -2, -10},  0,    false, Kit::Jazz}},
    {"rock",      112, 140, 0.0,  1, Groove::Backbeat,    BassLine::Roots8,       Comp::Power8,     Comp::Pad,        ChordFamily::Rock,      1, false, Voice::OverdriveGuitar, Voice::OverdriveGuitar, Voice::PickBass,    Voice::None,       Voice::OverdriveGuitar, Voice::UprightBass, 0.50, 0.15, 0.50, 2, false, false, {{0, -3, -4, -4, -10},   0,    false, Kit::Rock}},
    {"synthwave", 84,  108, 0.0,  1, Groove::Synthwave,   BassLine::Pulse8,       Comp::Pad,        Comp::Arpeggio16, ChordFamily::Epic,      1, false, Voice::SynthLead,       Voice::Pad,             Voice::SynthBass,   Voice::SynthPluck, Voice::AcousticGuitar,  Voice::UprightBass, 0.30, 0.40, 0.40, 2, false, false, {{0, -3, -6, -3, -9},    0.35, true,  Kit::Standard}},
    {"reggae",    70,  82,  0.12, 1, Groove::OneDrop,     BassLine::Reggae,       Comp::Skank,      Comp::Bubble,     ChordFamily::Vamp,      1, false, Voice::Brass,           Voice::CleanGuitar,     Voice::SubBass,     Voice::Organ,      Voice::CleanGuitar,     Voice::UprightBass, 0.70, 0.30, 0.35, 2, false, false, {{0, -1, -6, -4, -9},    0,    true,  Kit::Reggae}},
    {"funk",      96,  112, 0.08, 1, Groove::Funk,        BassLine::FunkOctaves,  Comp::Chops,      Comp::Pad,        ChordFamily::Vamp,      1, true,  Voice::Brass,           Voice::CleanGuitar,     Voice::PickBass,    Voice::Organ,      Voice::CleanGuitar,     Voice::UprightBass, 0.50, 0.15, 0.50, 1, true,  false, {{0, -2, -6, -4, -12},   0,    false, Kit::Standard}},
    {"folk",      90,  116, 0.0,  1, Groove::Folk,        BassLine::RootFifth,    Comp::Strum,      Comp::Pad,        ChordFamily::Folk,      1, false, Voice::Flute,           Voice::AcousticGuitar,  Voice::UprightBass, Voice::None,       Voice::AcousticGuitar,  Voice::UprightBass, 0.80, 0.25, 0.45, 2, false, false, {{-3, -4, -2, -3, -10},  0,    false, Kit::Folk}},
    {"classical", 72,  104, 0.0,  1, Groove::None,        BassLine::RootFifth,    Comp::Broken,     Comp::Pad,        ChordFamily::Classical, 1, false, Voice::Piano,           Voice::Piano,           Voice::Piano,       Voice::None,       Voice::AcousticGuitar,  Voice::UprightBass, 0.60, 0.35, 0.55, 1, false, false, {{0, -5, -3, 0, -9},     0,    false, Kit::Standard}},
    {"ballad",    64,  80,  0.0,  1, Groove::None,        BassLine::RootFifth,    Comp::Arpeggio,   Comp::Pad,        ChordFamily::Pop,       1, false, Voice::Piano,           Voice::Piano,           Voice::Piano,       Voice::None,       Voice::AcousticGuitar,  Voice::UprightBass, 0.50, 0.35, 0.50, 2, false, false, {{0, -5, -3, 0, -9},     0,    false, Kit::Standard}},
};

const std::vector<std::vector<int>> PopMajor = {{0, 4, 5, 3}, {0, 5, 3, 4}, {5, 3, 0, 4}, {0, 3, 5, 4}, {3, 0, 4, 5}, {0, 3, 0, 4}};
const std::vector<std::vector<int>> PopMinor = {{0, 5, 2, 6}, {0, 6, 5, 6}, {0, 3, 6, 2}, {5, 6, 0, 0}, {0, 5, 3, 6}, {0, 3, 5, 6}};
const std::vector<std::vector<int>> JazzyMajor = {{1, 4, 0, 0}, {1, 4, 0, 5}, {0, 5, 1, 4}, {2, 5, 1, 4}, {3, 2, 1, 0}, {0, 3, 2, 5}};
const std::vector<std::vector<int>> JazzyMinor = {{0, 3, 6, 2}, {0, 5, 3, 4}, {3, 4, 0, 0}, {0, 3, 0, 4}, {5, 6, 0, 3}};
const std::vector<std::vector<int>> FolkMajor = {{0, 3, 0, 4}, {0, 4, 5, 3}, {0, 3, 4, 0}, {5, 3, 0, 4}, {0, 0, 3, 4}};
const std::vector<std::vector<int>> FolkMinor = {{0, 6, 5, 6}, {0, 3, 0, 6}, {0, 6, 3, 0}, {0, 2, 6, 0}};
const std::vector<std::vector<int>> RockMajor = {{0, 3, 4, 3}, {0, 4, 5, 3}, {0, 3, 0, 4}, {0, 5, 3, 4}};
const std::vector<std::vector<int>> RockMinor = {{0, 6, 5, 6}, {0, 5, 6, 0}, {0, 3, 6, 0}, {0, 2, 6, 3}};
const std::vector<std::vector<int>> DarkMajor = {{0, 3}, {0, 5, 3, 4}, {0, 0, 3, 3}};
const std::vector<std::vector<int>> DarkMinor = {{0, 0, 5, 6}, {0, 5}, {0, 3}, {0, 6, 5, 6}, {0, 0, 3, 3}};
const std::vector<std::vector<int>> EpicMajor = {{0, 4, 5, 3}, {3, 4, 0, 5}, {0, 2, 3, 4}, {5, 3, 0, 4}};
const std::vector<std::vector<int>> EpicMinor = {{0, 5, 2, 6}, {0, 5, 3, 4}, {5, 6, 0, 0}, {0, 6, 5, 6}, {0, 3, 5, 6}};
const std::vector<std::vector<int>> VampMajor = {{0, 3}, {1, 4}, {0, 0, 3, 3}, {0, 3, 4, 3}};
const std::vector<std::vector<int>> VampMinor = {{0, 3}, {0, 6}, {0, 0, 3, 3}, {0, 6, 5, 6}};
const std::vector<std::vector<int>> AmbientMajor = {{0, 3}, {0, 5, 3, 4}, {3, 0}, {0, 2, 3, 0}};
const std::vector<std::vector<int>> AmbientMinor = {{0, 5}, {0, 3}, {0, 5, 2, 6}, {5, 3}};
const std::vector<std::vector<int>> ClassicalMajor = {{0, 3, 4, 0}, {0, 5, 3, 4}, {0, 4, 5, 2, 3, 0, 3, 4}, {0, 1, 4, 0}, {0, 3, 1, 4}};
const std::vector<std::vector<int>> ClassicalMinor = {{0, 3, 4, 0}, {0, 5, 3, 4}, {0, 3, 6, 2, 5, 1, 4, 0}, {0, 6, 5, 4}};
// clang-format on

} // namespace

const GenreStyle& genreStyle(std::string_view id)
{
    for (const GenreStyle& style : Styles) {
        if (id == style.id)
            return style;
    }
    return Styles[0];
}

const std::vector<std::vector<int>>& progressions(ChordFamily family, bool minor)
{
    switch (family) {
    case ChordFamily::Pop: return minor ? PopMinor : PopMajor;
    case ChordFamily::Jazzy: return minor ? JazzyMinor : JazzyMajor;
    case ChordFamily::Folk: return minor ? FolkMinor : FolkMajor;
    case ChordFamily::Rock: return minor ? RockMinor : RockMajor;
    case ChordFamily::Dark: return minor ? DarkMinor : DarkMajor;
    case ChordFamily::Epic: return minor ? EpicMinor : EpicMajor;
    case ChordFamily::Vamp: return minor ? VampMinor : VampMajor;
    case ChordFamily::Ambient: return minor ? AmbientMinor : AmbientMajor;
    case ChordFamily::Classical: return minor ? ClassicalMinor : ClassicalMajor;
    }
    return PopMajor;
}

} // namespace engine
