#pragma once

#include "engine/SketchTypes.h"

#include <string_view>
#include <vector>

namespace engine {

/// Drum grooves, one 16-step bar each (see DrumWriter).
enum class Groove
{
    None,
    FourOnFloor,
    Techno,
    BoomBap,
    Breakbeat,
    Backbeat,
    Funk,
    OneDrop,
    JazzRide,
    Synthwave,
    Toms,
    Folk,
    Light
};
/// How the bass part moves over the chords.
enum class BassLine
{
    None,
    Sustained,
    Roots8,
    OffbeatHouse,
    Rolling16,
    BoomBap,
    Walking,
    Reggae,
    FunkOctaves,
    Reese,
    RootFifth,
    Pulse8
};
/// How a harmony or texture part plays the chords.
enum class Comp
{
    Pad,
    Stabs,
    Block,
    Skank,
    Bubble,
    Strum,
    Arpeggio,
    Arpeggio16,
    Charleston,
    Chops,
    Power8,
    Broken
};
/// Which pool of chord progressions fits.
enum class ChordFamily
{
    Pop,
    Jazzy,
    Folk,
    Rock,
    Dark,
    Epic,
    Vamp,
    Ambient,
    Classical
};

/// A genre's defaults: tempo range, groove, arrangement, sounds and mix. The prompt's own words override them.
struct GenreStyle
{
    const char* id;
    double bpmLow;
    double bpmHigh;
    double swing;
    int swingUnitSteps;
    Groove groove;
    BassLine bass;
    Comp comp;
    Comp textureComp;
    ChordFamily family;
    int barsPerChord;
    bool sevenths;
    Voice lead;
    Voice harmony;
    Voice bassVoice;
    Voice texture;
    Voice guitar;         ///< the patch the word "guitar" asks for
    Voice namedBass;      ///< the patch when the prompt asks for a bass the style does not have
    double majorChance;   ///< when neither the prompt's key nor its moods decide
    double reverb;        ///< send level 0..1
    double melodyDensity; ///< 0..1, how many of the allowed steps start a melody note
    int melodyGridSteps;  ///< melody onsets on multiples of this many 16ths
    bool staccato;
    bool lofi;
    MixSettings mix; ///< pumping only when there are drums, the echo also for any long reverb (see Composer)
};

/// The style for a canonical genre id, or for the engine's own fallbacks ("ballad"); pop when unknown.
const GenreStyle& genreStyle(std::string_view id);

/// Progressions as 0-based scale degrees (0 = tonic chord), one chord per entry.
const std::vector<std::vector<int>>& progressions(ChordFamily family, bool minor);

} // namespace engine
