#pragma once

#include "Rng.h"
#include "SketchEngine.h"
#include "Voice.h"

#include <cstdint>
#include <vector>

namespace engine {

/// Plays one pitched note at a time into a buffer: additive piano and bells, FM electric piano, Karplus-Strong
/// plucked strings, band-limited subtractive pads, strings, leads, brass and basses.
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
    struct Partials
    {
        static constexpr int Max = 12;
        double ratio[Max] = {};
        double amplitude[Max] = {};
        double decaySeconds[Max] = {};
        int count = 0;

        void add(double r, double a, double d)
        {
            if (count < Max) {
                ratio[count] = r;
                amplitude[count] = a;
                decaySeconds[count] = d;
                ++count;
            }
        }
    };
    struct Pluck
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
    struct Ensemble
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

    void partials(const NoteEvent& note, std::vector<float>& out, const Partials& p, double releaseSeconds, double gain,
                  double noiseLevel, double noiseSeconds);
    void piano(const NoteEvent& note, std::vector<float>& out);
    void electricPiano(const NoteEvent& note, std::vector<float>& out);
    void organ(const NoteEvent& note, std::vector<float>& out);
    void pluck(const NoteEvent& note, std::vector<float>& out, const Pluck& p);
    void ensemble(const NoteEvent& note, std::vector<float>& out, const Ensemble& e);
    void synthLead(const NoteEvent& note, std::vector<float>& out);
    void synthPluck(const NoteEvent& note, std::vector<float>& out);
    void flute(const NoteEvent& note, std::vector<float>& out);
    void brass(const NoteEvent& note, std::vector<float>& out, bool reed);
    void subBass(const NoteEvent& note, std::vector<float>& out);
    void synthBass(const NoteEvent& note, std::vector<float>& out, bool reese);

    Rng m_noise;
};

} // namespace engine
