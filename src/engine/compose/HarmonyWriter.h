#pragma once

#include "engine/compose/PartContext.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Writes a part that plays the chords, harmony or texture: voices each chord close to the last one within the
/// patch's range, then plays it in the part's comp (held pads, block chords, stabs, skanks, strums, arpeggios...).
class HarmonyWriter
{
public:
    /// `part` is Part::Harmony or Part::Texture.
    HarmonyWriter(const PartContext& context, Rng& rng, Part part, Voice voice, Comp comp);

    /// Plays from bar `fromBar` on, at `level` relative to the comp's own dynamics.
    void write(int fromBar, float level);
    /// The final chord, held to the end: sustained textures only, a harmony part always.
    void writeEnding();

private:
    struct Hit
    {
        int step;
        int length;
        double velocity;
    };
    /// One bar being played: its index, its chord and whether the chord was voiced anew for it.
    struct Bar
    {
        int index = 0;
        const Chord* chord = nullptr;
        bool change = false;
    };

    std::vector<int> voicing(const Chord& chord, int low, int high, int count, std::vector<int>& previous) const;
    void chooseFigures();
    void playBar(const Bar& bar);
    void play(const Bar& bar, int step, int length, const std::vector<int>& notes, double velocity, double spreadMs = 0,
              double legato = 0.95);
    void held(const Bar& bar);
    void strum(const Bar& bar);
    void arpeggio(const Bar& bar);
    void power8(const Bar& bar);

    const PartContext& m_context;
    const Key& m_key;
    const Timeline& m_timeline;
    Rng& m_rng;
    Part m_part;
    Voice m_voice;
    Comp m_comp;
    float m_level = 1.0F;
    int m_low = 52;  ///< lowest MIDI note of a voicing
    int m_high = 72; ///< highest
    int m_count = 3; ///< notes per voicing
    bool m_laidBack = false;
    std::vector<Hit> m_block;
    std::vector<Hit> m_stabs;
    std::vector<int> m_chordNotes; ///< the current voicing
    std::vector<int> m_voicing;    ///< the last voicing, to lead smoothly from
};

} // namespace engine
