#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Karplus-Strong plucked strings: the guitars, the harp and the plucked basses. A burst of filtered noise circulates
/// in a delay line one period long, losing its highs on each pass as a real string does.
class PluckedString
{
public:
    struct Params
    {
        double brightness = 0.5;  ///< loop filter weight 0.5 (dark) .. 0.95 (bright)
        double hardness = 0.6;    ///< how bright the initial noise burst is, 0..1
        double ringSeconds = 2.0; ///< T60 while the string is held
        double muteSeconds = 0.1; ///< T60 after release
        double bodyLevel = 0.0;   ///< a sine at the fundamental under the string, for basses
        double bodySeconds = 0.8;
        double drive = 0.0; ///< overdrive amount; 0 for clean
        double gain = 0.3;
    };

    /// True for the patches this model plays.
    static bool plays(Voice voice);
    /// The string of a plucked patch for one note: harder notes are plucked harder.
    static Params forNote(Voice voice, const NoteEvent& note);
    /// Adds `note` into `out`; the pluck's noise comes from `noise`.
    static void render(const NoteEvent& note, std::vector<float>& out, const Params& p, Rng& noise);
};

} // namespace engine
