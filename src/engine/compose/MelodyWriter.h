#pragma once

#include "engine/compose/PartContext.h"
#include "engine/dsp/Rng.h"

#include <vector>

namespace engine {

/// Writes the lead melody from two short motifs: each four-bar phrase states a motif, repeats or varies it, may
/// answer it with the other, and closes on a cadence; the third phrase contrasts. Motifs keep their shape but move
/// to the chord tones of the bar they land on.
class MelodyWriter
{
public:
    MelodyWriter(const PartContext& context, Rng& rng);

    void write();
    /// The tonic nearest to where the melody left off, held to the end.
    void writeEnding();

private:
    struct MotifNote
    {
        int step = 0;   ///< from the start of the motif
        int length = 1; ///< in steps
        int offset = 0; ///< scale steps from the motif's anchor note
    };
    using Motif = std::vector<MotifNote>;
    /// What a slot of a phrase plays.
    enum Slot
    {
        A,
        AVaried,
        B,
        BVaried,
        Cadence
    };
    /// Everything the phrases are built from.
    struct Material
    {
        Motif a;
        Motif aVaried;
        Motif b;
        Motif bVaried;
        Motif cadence;         ///< closes a phrase on A
        Motif contrastCadence; ///< closes the contrasting phrase, on B
        Motif finalCadence;    ///< closes the last phrase
        std::vector<Slot> form;
        int motifBars = 1;
    };
    /// Scale indices the motifs hang from; NoAnchor until the first motif of each kind is placed.
    struct Anchors
    {
        int a;
        int b;
    };

    Material makeMaterial();
    Motif makeMotif(int lengthSteps);
    std::vector<int> onsets(int lengthSteps, int grid);
    int nextInterval(int offset, int lastInterval);
    Motif varyMotif(const Motif& motif, int lengthSteps);
    static Motif cadenceMotif(const Motif& motif, int lengthSteps);
    void writePhrase(const Material& material, int phrase, int phrases, Anchors& anchors);
    void placeMotif(const Motif& motif, int bar, int& anchor, double velocity);

    const PartContext& m_context;
    const Key& m_key;
    const Timeline& m_timeline;
    Rng& m_rng;
    Voice m_lead;
    int m_centre = 0;     ///< scale index the melody centres on, for the lead's patch
    int m_lastIndex = -1; ///< scale index of the last note written
};

} // namespace engine
