#pragma once

#include "GenreStyle.h"
#include "Rng.h"
#include "SketchEngine.h"
#include "Voice.h"

#include <vector>

namespace engine {

/// Makes every musical decision of one sketch: style, tempo, key, chords, drum pattern, bass line, melody and the
/// shape over time (intro, phrases with fills, an ending on the tonic). It is a pure function of the parameters; the
/// synthesizer only performs what it writes down.
///
/// Time is counted in 16th-note steps from the start of the clip; swing and a little human looseness are applied
/// only when a step is turned into a sample position.
class Composer
{
public:
    explicit Composer(const SketchParams& params);

    SketchPlan compose();

private:
    struct Chord
    {
        int degree = 0;         ///< 0-based scale degree of the root
        std::vector<int> tones; ///< scale degrees (0..6) of root, third, fifth and, for sevenths, the seventh
    };
    struct MotifNote
    {
        int step = 0;   ///< from the start of the motif
        int length = 1; ///< in steps
        int offset = 0; ///< scale steps from the motif's anchor note
    };
    using Motif = std::vector<MotifNote>;

    void chooseStyle();
    void chooseTempoAndKey();
    void chooseVoices();
    void layOutTime();
    void chooseChords();
    void writeDrums();
    void writeBass();
    void writeHarmony(Part part, Voice voice, Comp comp, int fromBar, float level);
    void writeMelody();
    void writeEnding();
    void finish();

    void drumBar(int bar, const std::vector<std::string>& pattern, bool intro, bool fill, bool longFill);
    void addDrum(Drum drum, int step, double velocity, double extraMs = 0);
    void addNote(Part part, int step, int lengthSteps, int midi, double velocity, double extraMs = 0,
                 double legato = 0.96);
    Motif makeMotif(int lengthSteps);
    Motif varyMotif(const Motif& motif, int lengthSteps);
    Motif cadenceMotif(const Motif& motif, int lengthSteps);
    void placeMotif(const Motif& motif, int bar, int& anchor, double velocity);
    std::vector<int> voicing(const Chord& chord, int low, int high, int count, std::vector<int>& previous) const;

    int sampleAtStep(int step) const;
    int midiOf(int scaleIndex) const;
    int scaleIndexBelow(int midi) const;
    int nearestChordTone(int scaleIndex, const Chord& chord) const;
    int bassNote(const Chord& chord, int toneRank, int low) const;
    const Chord& chordAtStep(int step) const;
    const Chord& chordAtBar(int bar) const;
    std::string chordName(const Chord& chord) const;
    bool hasMood(const char* mood) const;
    bool isFillBar(int bar) const;

    SketchParams m_params;
    PromptTraits m_traits;
    const GenreStyle* m_style = nullptr;
    SketchPlan m_plan;
    Rng m_structureRng;
    Rng m_harmonyRng;
    Rng m_melodyRng;
    Rng m_drumRng;
    Rng m_bassRng;
    Rng m_humanRng;

    Groove m_groove = Groove::None;
    BassLine m_bassLine = BassLine::None;
    Voice m_lead = Voice::None;
    Voice m_harmony = Voice::None;
    Voice m_bass = Voice::None;
    Voice m_texture = Voice::None;
    Comp m_harmonyComp = Comp::Pad;
    Comp m_textureComp = Comp::Pad;
    int m_barsPerChord = 1;
    bool m_sevenths = false;
    double m_energy = 1.0;        ///< mood: below 1 calmer and sparser, above 1 busier and harder
    double m_timingLooseness = 0; ///< in ms: how far a player drifts from the grid

    int m_intervals[7] = {0, 2, 4, 5, 7, 9, 11};
    double m_stepSamples = 0;
    int m_totalSamples = 0;
    int m_totalSteps = 0; ///< steps that start inside the clip
    int m_endStep = 0;    ///< the final chord lands here; == m_totalSteps when the clip is too short for one
    bool m_hasEnding = false;
    int m_bodyBars = 0; ///< bars that start before m_endStep
    std::vector<int> m_progression;
    std::vector<Chord> m_barChords;
    Chord m_tonic;
    std::vector<std::vector<int>> m_kickSteps; ///< per bar, so the bass can lock to the kick
    std::vector<int> m_lastHarmonyVoicing;
    int m_lastMelodyIndex = -1;
};

} // namespace engine
