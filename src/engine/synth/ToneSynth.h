#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/Rng.h"

#include <cstdint>
#include <vector>

namespace engine {

/// Plays one pitched note at a time into a buffer: additive piano and bells (AdditiveTone), FM electric piano,
/// drawbar organ, Karplus-Strong plucked strings (PluckedString), detuned-saw strings, pads and choirs (Ensemble),
/// and subtractive leads, winds, brass and basses.
///
/// Each note is rendered on its own from its start to the end of its release tail and added into the buffer, so
/// there is no voice allocation and rendering order cannot change the result.
class ToneSynth
{
public:
    explicit ToneSynth(std::uint64_t seed);

    /// Adds `note` played on `voice` into `out` (the whole clip); nothing past the end of `out` is written.
    void render(Voice voice, const NoteEvent& note, std::vector<float>& out);

    /// Applies what a voice does to a whole part rather than per note (the filter of pads, strings and choirs).
    /// Call once per part after rendering all of its notes.
    void finishPart(Voice voice, std::vector<float>& stem);

private:
    void electricPiano(const NoteEvent& note, std::vector<float>& out);
    void organ(const NoteEvent& note, std::vector<float>& out);
    void synthLead(const NoteEvent& note, std::vector<float>& out);
    void synthPluck(const NoteEvent& note, std::vector<float>& out);
    void flute(const NoteEvent& note, std::vector<float>& out);
    void brass(const NoteEvent& note, std::vector<float>& out, bool reed);
    void subBass(const NoteEvent& note, std::vector<float>& out);
    void synthBass(const NoteEvent& note, std::vector<float>& out, bool reese);

    /// One stream for the whole part, drawn in note order: noise bursts, breath and random start phases.
    Rng m_noise;
};

} // namespace engine
