#pragma once

#include "model/Take.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Loops cut from takes, snapped to whole bars at the take's tempo: the new take a loop becomes. The cut itself is
/// AudioLoop's; here it is fed with a take's audio, tempo and beat grid, and the loop gets a recipe and an analysis of
/// its own. Keep the result with Library::addDerived (or LibraryService), which writes the loop's file and keeps it
/// as a take linked to its parent.
namespace TakeLoops {

/// A loop ready to be kept.
struct Loop
{
    /// What the loop take is: the parent's prompt, seed and model; provider "loop" (made here, costing nothing);
    /// requestedDuration the loop's length in whole seconds (at least 1); parentId, loopStartBar and loopBars say which
    /// bars of which take. Its analysis: the parent's tempo (and the musician's correction of it) and key, the beat
    /// grid starting at 0 (the loop begins on a downbeat), and its own loudness and true peak, measured.
    Take recipe;
    /// The loop as 16-bit PCM WAV with `smpl` and `acid` chunks (AudioLoop::toWav): what the library keeps.
    QByteArray wav;
};

/// Cuts `bars` bars (four beats each) from bar `startBar` (0: the bar that begins at the first downbeat) of `parent`,
/// whose stored audio is `parentAudio`, at its tempo (Take::tempo()) and beat grid, with the seamless wrap
/// AudioLoop::cut makes. Nothing, with `error` saying what to do, when the take has no tempo yet or none at all, its
/// audio cannot be decoded, or it does not hold those bars. Takes tens of milliseconds for a 30 s take: call it off the
/// UI thread.
std::optional<Loop> make(const Take& parent, const QByteArray& parentAudio, int bars, int startBar,
                         QString* error = nullptr);

} // namespace TakeLoops
