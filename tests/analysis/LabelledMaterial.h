#pragma once

#include "analysis/Analyser.h"

#include <cstdint>
#include <string>
#include <vector>

/// Audio whose tempo, key and downbeat are known because it is made here: drum patterns, chord progressions and
/// sketch-engine takes. Shared by the analysis tests and bench-analysis, in standard C++.
namespace material {

/// A clip and the truth about it.
struct Clip
{
    std::string name;
    std::vector<float> samples; ///< interleaved
    int sampleRate = 32000;
    int channels = 1;
    double bpm = 0;   ///< 0: no pulse to find
    int keyRoot = -1; ///< -1: no key to find
    bool minor = false;
    double firstDownbeat = -1; ///< seconds; -1: unknown
    analysis::Prior prior;     ///< what a prompt would have said
    bool drums = false;        ///< whether drums keep the time

    std::size_t frames() const { return samples.size() / std::size_t(channels); }
    double seconds() const { return double(frames()) / sampleRate; }
};

/// One-bar drum grooves, 16 steps each.
enum class Groove
{
    Rock,        ///< kick 1 and 3+, snare 2 and 4, eighth hats
    FourOnFloor, ///< kick every beat, clap 2 and 4, off-beat hats
    BoomBap,     ///< kick 1 and 3+, snare 2 and 4, sixteenth hats
    KickSnare,   ///< kick and snare only, no cymbals
    Shuffle,     ///< ride on the beats and swung eighths, kick 1 and 3, snare 2 and 4
};
inline constexpr Groove Grooves[] = {Groove::Rock, Groove::FourOnFloor, Groove::BoomBap, Groove::KickSnare,
                                     Groove::Shuffle};
const char* grooveName(Groove groove);

/// Synthesised kick, snare, hats and ride playing `groove` at `bpm`, the first bar starting `offsetSeconds` in;
/// `swing` (0..0.5) delays every second sixteenth by that fraction of a sixteenth (of an eighth for Shuffle).
Clip drums(Groove groove, double bpm, double swing, double seconds, int sampleRate = 32000, double offsetSeconds = 0,
           std::uint32_t seed = 1);

/// Chord progressions, as (scale degree of the root, chord quality) per bar, played over a bass line.
enum class Progression
{
    Cadence,    ///< major I IV V I; minor i iv V i (the raised leading tone)
    PopLoop,    ///< major I V vi IV; minor i VI III VII
    TwoFiveOne, ///< major ii V I; minor ii° V i, with sevenths
    Relative,   ///< major I vi; minor i III: as much the relative key's as its own (not in the labelled set)
};
inline constexpr Progression Progressions[] = {Progression::Cadence, Progression::PopLoop, Progression::TwoFiveOne};
const char* progressionName(Progression progression);

/// Harmonic-rich tones (sustained and sawtooth-like in half the keys, struck and fading like a piano's in the other
/// half) playing `progression` in the key of `root`,
/// one chord per bar at `bpm`, repeated to fill `seconds`. Each bar starts with its chord, so bars are audible.
Clip chords(int root, bool minor, Progression progression, double seconds, double bpm = 96, int sampleRate = 32000);

/// An offline sketch-engine take with the engine's own tempo and key as the truth; the prior is what the prompt
/// itself says (an explicit tempo or key), as the app would pass it.
Clip sketch(const std::string& prompt, int seconds, std::uint32_t seed);

/// A mono clip as a stereo one panned a little left (the right channel 2 dB quieter), at `sampleRate` (resampled by
/// linear interpolation, adequate for these band-limited test sounds).
Clip stereoAt(const Clip& mono, int sampleRate);

/// Writes the clip as a 32-bit float WAV file, so an external meter reads exactly these samples.
bool writeFloatWav(const Clip& clip, const std::string& path);

/// The labelled set bench-analysis reports on: drum patterns at 60-180 BPM, progressions in all 24 keys and
/// sketch-engine takes of various prompts and seeds, 2-30 s long.
std::vector<Clip> labelledSet();

/// The same kinds of material at other tempi (63-178 BPM), lengths, offsets, keys' tempi and seeds (11-20), with other
/// prompts: a check that what was tuned on labelledSet() holds for clips it was not tuned on.
std::vector<Clip> heldOutSet();

} // namespace material
