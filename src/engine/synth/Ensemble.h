#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Strings, pads and choirs: a few detuned band-limited saws per note, with slow attack, vibrato and an optional
/// sub-octave, and one shared filter per part.
class Ensemble
{
public:
    struct Params
    {
        double detuneCents[4] = {};
        int oscillators = 3;
        double attackSeconds = 0.2;
        double releaseSeconds = 0.4;
        double vibratoDepth = 0.0; ///< fraction of the frequency
        double vibratoRate = 5.0;
        double vibratoDelay = 0.3;
        double subLevel = 0.0; ///< sine an octave below
        double gain = 0.1;
    };

    /// True for the patches this model plays.
    static bool plays(Voice voice);
    /// The ensemble of a patch for one note: long notes are bowed in more slowly.
    static Params forNote(Voice voice, const NoteEvent& note);
    /// Adds `note` into `out`; oscillator and vibrato phases come from `noise`.
    static void render(const NoteEvent& note, std::vector<float>& out, const Params& e, Rng& noise);
    /// The filter of a whole part (formants for a choir; a slowly moving low-pass for pads and strings). The filter
    /// is linear, so one per part sounds the same as one per note with a common cutoff, as in a paraphonic synth,
    /// for a fraction of the cost.
    static void filterPart(Voice voice, std::vector<float>& stem, Rng& noise);

private:
    static void sing(std::vector<float>& stem);
};

} // namespace engine
