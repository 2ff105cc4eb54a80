#pragma once

#include "engine/compose/PartContext.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Writes the bass part in the arrangement's bass line: held roots, eighths, a house off-beat, a rolling 16th riff,
/// a line locked to the kick, a walking line, reggae and funk figures... over the chord of each bar.
class BassWriter
{
public:
    BassWriter(const PartContext& context, Rng& rng);

    /// `kickSteps` per bar, from DrumWriter: the hip-hop line plays with the kick.
    void write(const std::vector<std::vector<int>>& kickSteps);
    /// The root of the final chord.
    void writeEnding();

private:
    /// What a bar's line is built from.
    struct Bar
    {
        int index = 0;
        int root = 0;       ///< scale index of the chord's root, at or above the part's lowest note
        int rootMidi = 0;   ///< the same as a MIDI note
        int fifthIndex = 0; ///< the fifth above the root
        int nextRoot = 0;   ///< the next bar's root: lines lead into it
    };
    /// A figure as steps, lengths and scale steps above the root.
    struct FigureNote
    {
        int step;
        int length;
        int offset;
    };

    void writeBar(const Bar& bar, const std::vector<int>& kickSteps);
    void note(const Bar& bar, int step, int length, int midi, double velocity, double legato = 0.92);
    void held(const Bar& bar);
    void roots8(const Bar& bar);
    void offbeatHouse(const Bar& bar);
    void rolling16(const Bar& bar);
    void withKick(const Bar& bar, std::vector<int> steps);
    void walking(const Bar& bar);
    void reggae(const Bar& bar);
    void funkOctaves(const Bar& bar);
    void pulse8(const Bar& bar);

    const PartContext& m_context;
    const Key& m_key;
    const Timeline& m_timeline;
    BassLine m_line;
    Rng& m_rng;
    int m_low = 33; ///< MIDI note the line stays at or above
    bool m_pulseOctaves = false;
    std::vector<bool> m_rollingMask;
    int m_reggaeFigure = 0;
    int m_funkFigure = 0;
};

} // namespace engine
