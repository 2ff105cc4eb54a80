#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The offline sketch engine: a small procedural composer and synthesizer that turns a text prompt, a duration and a
/// seed into a short mono clip in the shape MusicGen Medium delivers (32 kHz, 16-bit PCM WAV).
///
/// It is not MusicGen and never claims to be: it reads a few hundred musical words (genres, moods, instruments,
/// tempo, key) from the prompt, ignores the rest, and writes a deterministic sketch in that style. Pure standard C++
/// with no Qt, so the app, the CLI, the tests, the fuzzer and the benchmark can all link it alone.
///
/// Determinism: the same prompt bytes, duration and seed give byte-identical output on every run and machine. All
/// random choices come from PCG32 seeded with the seed and an FNV-1a hash of the prompt; the synthesis uses only
/// IEEE-exact arithmetic (see DetMath.h).
namespace engine {

inline constexpr int SampleRate = 32000;
inline constexpr const char* EngineName = "Offline sketch engine (built in, not MusicGen)";
inline constexpr const char* ModelId = "offline-sketch-1";
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

/// Reads the musical words of a prompt in any case and word order. Any bytes are accepted (non-ASCII is treated as a
/// separator, except the sharp and flat signs); what is not understood is ignored.
PromptTraits readPrompt(std::string_view utf8Prompt);

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
    std::string leadVoice;                ///< synth patch per part, e.g. "epiano", "sub-bass"; "" when silent
    std::string harmonyVoice;
    std::string bassVoice;
    std::string textureVoice;
    bool drums = false;
    bool lofi = false; ///< low-pass, vinyl crackle and tape wow on the master
    double reverb = 0; ///< send level 0..1
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

/// Composes without synthesizing: cheap, and what renderPcm() performs.
SketchPlan plan(const SketchParams& params);

/// Synthesizes a plan: 32000 Hz mono, exactly plan.durationSamples samples, normalised to -14 LUFS with true peak at
/// or below -1 dBTP, ending in silence on the last sample.
std::vector<std::int16_t> renderPcm(const SketchPlan& sketch);

/// plan() then renderPcm(): exactly durationSeconds * SampleRate samples.
std::vector<std::int16_t> renderPcm(const SketchParams& params);

/// The same as a canonical RIFF/WAVE file: 44-byte header, PCM 16-bit, mono, 32 kHz.
std::vector<std::uint8_t> renderWav(const SketchParams& params);

/// Wraps 32 kHz mono samples in a canonical 44-byte-header WAV file.
std::vector<std::uint8_t> encodeWav(const std::vector<std::int16_t>& pcm);

/// "A minor", "F# major", "Bb minor".
std::string keyName(int keyRoot, bool minor);

} // namespace engine
