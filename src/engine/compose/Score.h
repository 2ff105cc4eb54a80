#pragma once

#include "engine/SketchTypes.h"
#include "engine/compose/Timeline.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Where the part writers put their notes and drum hits: turns steps on the timeline into sample positions, with a
/// player's small looseness in timing and touch, and drops what would start after the end of the clip.
class Score
{
public:
    /// `timingLooseness` in ms: how far a player drifts from the grid.
    Score(const Timeline& timeline, Rng human, double timingLooseness);

    void addDrum(Drum drum, int step, double velocity);
    /// `extraMs` delays the note on purpose (a strum, a laid-back chord); `legato` is the fraction of the steps the
    /// key is held for.
    void addNote(Part part, int step, int lengthSteps, int midi, double velocity, double extraMs = 0,
                 double legato = 0.96);

    /// The notes sorted by start; notes that start together keep the order they were written in.
    std::vector<NoteEvent> takeNotes();
    /// The drum hits sorted by start, in the same way.
    std::vector<DrumHit> takeDrumHits();

private:
    const Timeline& m_timeline;
    Rng m_human;
    double m_timingLooseness;
    std::vector<NoteEvent> m_notes;
    std::vector<DrumHit> m_drumHits;
};

} // namespace engine
