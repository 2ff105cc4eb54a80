#pragma once

#include "audio/AudioCodec.h"
#include "model/MusicalKey.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Loops cut from a take to whole bars, and written as WAV files that samplers and DAWs loop by themselves: the loop
/// cut's one home, pure functions over decoded audio; and the bars a region chosen on a take's waveform snaps to.
namespace AudioLoop {

/// The analysis finds the first beat of a bar of four (its downbeat); a loop is cut in those bars.
inline constexpr int BeatsPerBar = 4;

/// How long the crossfade at the wrap is. 15 ms: at least one period of everything above 67 Hz (so a bass note's
/// cycle is blended rather than cut off mid-swing, which a shorter fade would turn into a thump), yet short enough not
/// to smear the head's downbeat, well under the 30–50 ms at which two onsets are heard apart and a fifth of a
/// sixteenth note even at 200 BPM.
inline constexpr double CrossfadeSeconds = 0.015;

/// Which bars: `count` whole bars from bar `start` of a take at `bpm`, bar 0 being the bar that begins at the first
/// downbeat, `downbeatSeconds` into the take.
struct Bars
{
    double bpm = 0;
    double downbeatSeconds = 0;
    int count = 0;
    int start = 0;

    double barSeconds() const { return BeatsPerBar * 60.0 / bpm; }
    double seconds() const { return count * barSeconds(); }
    int beats() const { return count * BeatsPerBar; }
};

/// A take's bars as a region chosen on its waveform snaps to them.
struct Grid
{
    double bpm = 0;             ///< the take's tempo (Take::tempo()); 0: none, so nothing to snap to
    double downbeatSeconds = 0; ///< where bar 0 begins
    double lengthSeconds = 0;   ///< how long the take is
    int bars = 0;               ///< how many whole bars the take holds from bar 0, counted as cut() counts them

    bool isValid() const { return bpm > 0; }
    double barSeconds() const { return Bars{bpm}.barSeconds(); }
    double beatSeconds() const { return barSeconds() / BeatsPerBar; }
    friend bool operator==(const Grid&, const Grid&) = default;
};

/// The grid of a take of `frames` frames at `sampleRate`, at `bpm` with its first downbeat `downbeatSeconds` in. An
/// invalid grid when there is no tempo (outside MusicAnalysis::MinBpm to MaxBpm) or no audio.
Grid grid(double bpm, double downbeatSeconds, qint64 frames, int sampleRate);

/// A stretch of a take chosen on its waveform, in seconds from its start.
struct Region
{
    double startSeconds = 0;
    double endSeconds = 0;
    int startBar = 0; ///< with `bars`: the first bar, bar 0 being the one that begins at the first downbeat
    int bars = 0;     ///< whole bars, both edges on bar lines: a loop can be cut from it; 0: not whole bars
    int beats = 0;    ///< whole beats, both edges on beat lines (a region under about half a bar); 0 otherwise

    double seconds() const { return endSeconds - startSeconds; }
    friend bool operator==(const Region&, const Region&) = default;
};

/// The region between `fromSeconds` and `toSeconds` (either order) snapped to `grid`. Each edge goes to the nearest
/// bar line among the bars the take holds (0 to grid.bars), so that what is chosen is whole bars a loop can be cut
/// from, and the bar count follows what the hand covered: an edge a few pixels past a line does not add a bar, as
/// rounding outwards would. When both edges land on the same bar line (a stretch of less than about half a bar), each
/// goes to the nearest beat line inside the take instead, at least one beat apart. Without a valid grid, or in a take
/// shorter than two beat lines apart, the stretch as it is.
Region snap(const Grid& grid, double fromSeconds, double toSeconds);

/// Where `bars` lie in audio at `sampleRate`, each end rounded to a whole frame on its own: bar `start` begins at
/// frame `first` (downbeat + start bars), and the loop is `frames` long (count bars), whatever the rounding of the
/// start.
struct Span
{
    qint64 first = 0;
    qint64 frames = 0;
};
Span span(const Bars& bars, int sampleRate);

/// The loop: exactly span().frames frames of `take` from span().first, its wrap made seamless. The audio just past
/// the loop's end, which is what the ear expects after its last sample, is crossfaded into its head with equal power
/// (cos/sin gains) over CrossfadeSeconds: the first sample played after the wrap is the take's very next sample, and
/// the head's own audio takes over by the end of the fade; everything after the fade is the take's samples unchanged.
/// With less audio past the end than a fade, but more before the start, the loop's tail is crossfaded into the audio
/// just before the head instead (the last sample flows into the first the same way); with neither, the tail fades out
/// and the head in. Nothing, with `whyNot` saying what to do, when there is no tempo or the take does not hold the
/// bars asked for ("the take holds only 3 whole bars from bar 2 at 120 BPM: ...").
std::optional<AudioCodec::Decoded> cut(const AudioCodec::Decoded& take, const Bars& bars, QString* whyNot = nullptr);

/// What a loop's file says about it besides its sound.
struct Markers
{
    double bpm = 0;
    int beats = 0;
    MusicalKey key; ///< invalid: no root note
};

/// The MIDI note written for a key's tonic: 48–59 (C3 to B3, middle C being C4 = 60), the octave ACID writes when its
/// "high octave" flag is off (libsndfile's notes on the chunk); 57 for A minor. -1 for no key.
int rootNote(const MusicalKey& key);

/// `loop` as a 16-bit PCM WAV file that loops by itself in samplers and DAWs:
/// - a `smpl` chunk (libsndfile's SF_INSTRUMENT, set before the first write) with one forward loop over the whole file,
///   frame 0 to the last frame, and the root note as its MIDI unity note (60 without a key);
/// - an `acid` chunk (raw, sf_set_chunk) saying: a loop (not one-shot), stretch on, RAM-based, the root note when there
///   is a key, `beats` beats in 4/4 at `bpm`.
/// Nothing, with `whyNot`, when libsndfile cannot write it.
std::optional<QByteArray> toWav(const AudioCodec::Decoded& loop, const Markers& markers, QString* whyNot = nullptr);

} // namespace AudioLoop
