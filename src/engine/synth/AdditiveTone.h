#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/Rng.h"

#include <span>
#include <vector>

namespace engine {

/// Piano, bells and marimba: a sum of exponentially decaying sine partials, plus a short burst of noise for the
/// strike. Each partial is a damped recursive oscillator, two multiplies a sample.
class AdditiveTone
{
public:
    static AdditiveTone piano(const NoteEvent& note);
    static AdditiveTone bells(const NoteEvent& note);
    static AdditiveTone marimba(const NoteEvent& note);

    /// Adds `note` into `out`; the strike's noise comes from `noise`.
    void render(const NoteEvent& note, std::vector<float>& out, Rng& noise) const;

private:
    static constexpr int MaxPartials = 12;

    struct Partial
    {
        double ratio;
        double amplitude;
        double decaySeconds; ///< at the reference pitch
    };
    /// How a struck bar's partials ring longer below its reference pitch and shorter above it.
    struct Ring
    {
        double referenceHz;
        double exponent;
        double minScale;
        double maxScale;
    };
    /// The tone as a whole: its release, its level per unit of velocity and its strike noise.
    struct Strike
    {
        double releaseSeconds;
        double gain;
        double noiseLevel;
        double noiseSeconds;
    };

    /// A struck instrument with fixed partial ratios (bells, marimba), their decays scaled by pitch.
    static AdditiveTone struck(const NoteEvent& note, const Ring& ring, std::span<const Partial> partials,
                               const Strike& strike);

    /// `ratio` to the fundamental; `decaySeconds` is the time constant (to 1/e) of the partial while the key is held.
    void add(double ratio, double amplitude, double decaySeconds);

    double m_ratio[MaxPartials] = {};
    double m_amplitude[MaxPartials] = {};
    double m_decaySeconds[MaxPartials] = {};
    int m_count = 0;
    double m_releaseSeconds = 0.1; ///< after the key is released
    double m_gain = 0.2;
    double m_noiseLevel = 0;
    double m_noiseSeconds = 0.002;
};

} // namespace engine
