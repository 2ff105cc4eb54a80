#pragma once

#include "engine/compose/Key.h"

#include <vector>

namespace engine {

inline constexpr int StepsPerBar = 16;

/// The time every part is written against: 16th-note steps from the start of the clip, grouped in bars of 16, with
/// an intro, phrases of four bars, an ending on the tonic when the clip has room for one, and the chord of each bar.
///
/// Swing moves the off-beats of the swing unit late only when a step becomes a sample position, so parts are
/// written on the straight grid.
class Timeline
{
public:
    Timeline() = default;
    Timeline(int durationSeconds, double bpm, double swing, int swingUnitSteps, bool twoBarIntro);

    int sampleAtStep(int step) const;

    double bpm() const { return m_bpm; }
    double barSeconds() const { return 240.0 / m_bpm; }
    int totalSamples() const { return m_totalSamples; }
    /// Steps that start inside the clip.
    int totalSteps() const { return m_totalSteps; }
    /// Where the final chord lands; totalSteps() when the clip is too short for one.
    int endStep() const { return m_endStep; }
    bool hasEnding() const { return m_hasEnding; }
    /// How long the final chord is held, in steps: to the end of the clip.
    int endingSteps() const { return m_totalSteps - m_endStep + 1; }
    /// Sample where the final chord lands; totalSamples() when there is none.
    int endingStartSample() const { return m_hasEnding ? sampleAtStep(m_endStep) : m_totalSamples; }
    /// Bars that start before endStep().
    int bodyBars() const { return m_bodyBars; }
    int introBars() const { return m_introBars; }
    /// The bar the final chord lands in or after: it leads into the ending.
    bool isLastBodyBar(int bar) const { return m_hasEnding && bar == (m_endStep - 1) / StepsPerBar; }
    /// The last bar of the intro and of each four-bar phrase, and the bar before the ending.
    bool isFillBar(int bar) const;

    /// `barChords` has one chord per bar from the first bar to past the end; `tonic` sounds from endStep() on.
    void setChords(std::vector<Chord> barChords, Chord tonic);
    const Chord& chordAtBar(int bar) const;
    /// The bar's chord, or the tonic once the ending has started (which may be halfway through a bar).
    const Chord& chordAtStep(int step) const;

private:
    double m_bpm = 120;
    double m_swing = 0;
    int m_swingUnitSteps = 1;
    double m_stepSamples = 0;
    int m_totalSamples = 0;
    int m_totalSteps = 0;
    int m_endStep = 0;
    bool m_hasEnding = false;
    int m_bodyBars = 0;
    int m_introBars = 0;
    std::vector<Chord> m_barChords;
    Chord m_tonic;
};

} // namespace engine
