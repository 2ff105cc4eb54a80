#pragma once

#include <cstdint>
#include <string>
#include <vector>

/// The types and constants the engine's parts share: what the prompt asked for, the plan the composer writes and the
/// synthesizer performs. Users include SketchEngine.h, which includes this; internal headers include only this, so
/// nothing inside the engine depends on the entry point.
namespace engine {

inline constexpr int SampleRate = 32000;
inline constexpr int MinDurationSeconds = 1;
inline constexpr int MaxDurationSeconds = 30;
/// Integrated loudness (ITU-R BS.1770-4) every sketch is normalised to.
inline constexpr double TargetLoudnessLufs = -14.0;
/// Ceiling for the true (inter-sample) peak, in dBTP.
inline constexpr double TruePeakCeilingDb = -1.0;

/// What the prompt asked for, after reading it. Ids are lower-case ASCII and canonical ("hip-hop" -> "hiphop").
struct PromptTraits
{
    std::string genre;                            ///< e.g. "lofi", "techno"; "" when the prompt names none
    std::vector<std::string> moods;               ///< e.g. "sad", "dreamy"; in order of first mention
    std::vector<std::string> instruments;         ///< e.g. "piano", "strings"; in order of first mention
    std::vector<std::string> excludedInstruments; ///< from "no drums", "without bass"
    double bpm = 0;                               ///< explicit tempo ("90 bpm", "tempo 120"), else 0
    int keyRoot = -1;                             ///< pitch class 0..11 from "in D minor", "F# major", else -1
    int keyMode = -1;                             ///< 0 major, 1 minor, -1 unspecified
};

struct SketchParams
{
    std::string prompt;
    int durationSeconds = 10; ///< clamped to MinDurationSeconds..MaxDurationSeconds
    std::uint32_t seed = 42;
};

/// The musical layers a note can belong to.
enum class Part
{
    Melody,
    Harmony,
    Bass,
    Texture
};

/// One pitched note, in samples from the start of the clip.
struct NoteEvent
{
    Part part = Part::Melody;
    int startSample = 0;
    int lengthSamples = 0; ///< until the key is released; the sound may ring on after it
    int midi = 60;
    float velocity = 0.8F; ///< 0..1
};

enum class Drum
{
    Kick,
    Snare,
    Clap,
    Rim,
    ClosedHat,
    OpenHat,
    Ride,
    Crash,
    LowTom,
    MidTom,
    HighTom,
    Shaker
};

struct DrumHit
{
    Drum drum = Drum::Kick;
    int startSample = 0;
    float velocity = 0.8F; ///< 0..1
};

/// The synthesizer's patches. Several patches can stand for one instrument word ("guitar" is an acoustic, clean or
/// overdriven guitar depending on the style).
enum class Voice : std::uint8_t
{
    None,
    Piano,
    EPiano,
    Organ,
    AcousticGuitar,
    CleanGuitar,
    OverdriveGuitar,
    Harp,
    Strings,
    Pad,
    DarkPad,
    Choir,
    SynthLead,
    SynthPluck,
    Bells,
    Marimba,
    Flute,
    Brass,
    Sax,
    SubBass,
    SynthBass,
    ReeseBass,
    PickBass,
    UprightBass,
};

/// The patch each part is played on; None for a silent part.
struct PartVoices
{
    Voice lead = Voice::None;
    Voice harmony = Voice::None;
    Voice bass = Voice::None;
    Voice texture = Voice::None;

    Voice of(Part part) const
    {
        switch (part) {
        case Part::Melody: return lead;
        case Part::Harmony: return harmony;
        case Part::Bass: return bass;
        case Part::Texture: return texture;
        }
        return Voice::None;
    }
};

/// The drum sounds a style asks for: a long 808 for hip hop, a punchy kick for techno, brushes for jazz...
enum class Kit
{
    Standard,
    Techno,
    House,
    HipHop,
    Lofi,
    Jazz,
    DrumAndBass,
    Reggae,
    Rock,
    Cinematic,
    Folk
};

/// Mix levels of the stems relative to each other, in LU (loudness units), before the master is normalised.
struct StemLevels
{
    double drums = 0;
    double bass = -3;
    double harmony = -6;
    double lead = -4;
    double texture = -9;
};

/// How the mixer balances and colours the parts.
struct MixSettings
{
    StemLevels levels;
    double pumpDepth = 0;    ///< how far each kick ducks bass, harmony and texture ("pumping"); 0 for none
    bool leadEcho = false;   ///< a dotted-eighth tape echo on the lead
    Kit kit = Kit::Standard; ///< the drum sounds
};

/// Every decision the composer made: enough to show the user what the sketch is and to test it, and all the
/// synthesizer needs to perform it.
struct SketchPlan
{
    PromptTraits traits;            ///< what was read from the prompt
    std::string genre;              ///< style used: the prompt's genre, or one chosen from moods/instruments
    std::vector<std::string> moods; ///< the prompt's moods
    double bpm = 120;
    int keyRoot = 0; ///< pitch class of the tonic, 0 = C
    bool minor = false;
    std::vector<int> scale;               ///< the seven pitch classes of the key (natural minor or major)
    double swing = 0;                     ///< how late off-beats of the swing unit land, as a fraction of that unit
    int swingUnitSteps = 1;               ///< 1 = 16th-note swing, 2 = 8th-note swing
    std::vector<std::string> instruments; ///< canonical ids of what plays, e.g. {"piano", "bass", "drums"}
    std::string leadVoice;                ///< patch id per part for people, e.g. "epiano", "sub-bass"; "" when silent
    std::string harmonyVoice;
    std::string bassVoice;
    std::string textureVoice;
    PartVoices voices; ///< the same patches as the synthesizer plays them
    bool drums = false;
    bool lofi = false; ///< low-pass, vinyl crackle and tape wow on the master
    double reverb = 0; ///< send level 0..1
    MixSettings mix;
    int durationSamples = 0;
    double barSeconds = 0;
    int introBars = 0;
    int endingStartSample = 0;       ///< where the final chord lands and rings out to the end
    std::vector<std::string> chords; ///< one chord name per bar, e.g. "Am7", "F", "G"
    std::vector<NoteEvent> notes;    ///< sorted by start
    std::vector<DrumHit> drumHits;   ///< sorted by start
    std::uint64_t renderSeed = 0;    ///< seeds the noise sources of the synthesizer
    std::string
        summary; ///< one line for people, e.g. "lofi, 82 bpm, A minor, swing 20%: piano, bass, drums; chords ..."
};

} // namespace engine
