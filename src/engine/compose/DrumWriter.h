#pragma once

#include "engine/compose/PartContext.h"
#include "engine/dsp/Rng.h"

#include <span>
#include <string>
#include <vector>

namespace engine {

/// Writes the drum part: two bars of the groove alternating by phrase, small changes from bar to bar, fills into
/// each new phrase and the ending, crashes on phrase starts; a sparse intro when there is one.
class DrumWriter
{
public:
    DrumWriter(const PartContext& context, Rng& rng);

    void write();
    /// The crash and the kick (or low tom) under the final chord.
    void writeEnding();

    /// For each bar, the steps the kick plays on, sorted: the bass locks to them.
    const std::vector<std::vector<int>>& kickSteps() const { return m_kickSteps; }

    /// One hit of a fill that is written out rather than generated (the tables in DrumWriter.cpp).
    struct FillHit
    {
        int step;
        Drum drum;
        double velocity;
    };

private:
    /// The part of a bar that a fill replaces.
    struct Fill
    {
        int bar = 0;
        int from = StepsPerBar; ///< first step of the fill
        bool longFill = false;  ///< half a bar, into the ending
    };

    void writeBar(int bar, const std::vector<std::string>& lanes);
    void playPattern(int bar, const std::vector<std::string>& lanes, bool intro, int fillFrom);
    void varyBar(int bar);
    void playFill(const Fill& fill);
    void playBackbeatFill(const Fill& fill);
    void hit(const Fill& fill, int step, Drum drum, double velocity);
    /// Plays `written` into `fill`, each velocity times `scale`.
    void hits(const Fill& fill, std::span<const FillHit> written, double scale = 1.0);
    void sortKicks(int bar);

    const PartContext& m_context;
    const Timeline& m_timeline;
    Groove m_groove;
    Rng& m_rng;
    std::vector<std::vector<int>> m_kickSteps;
};

} // namespace engine
