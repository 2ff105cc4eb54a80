#pragma once

#include "engine/SketchTypes.h"
#include "engine/compose/GenreStyle.h"

#include <string>
#include <vector>

namespace engine {

/// Who plays what, and how: the patch of each part, the drum groove, the bass line and how harmony and texture
/// play the chords.
struct Arrangement
{
    PartVoices voices;
    Groove groove = Groove::None;
    BassLine bassLine = BassLine::None;
    Comp harmonyComp = Comp::Pad;
    Comp textureComp = Comp::Pad;
    double timingLooseness = 0; ///< in ms: how far a player drifts from the grid
};

/// Starts from the style's arrangement and fits it to the prompt: instruments it names take the lead, harmony or
/// texture, instruments after "no" leave, and moods colour a sound (a dark pad, an overdriven guitar).
class Arranger
{
public:
    Arranger(const GenreStyle& style, const PromptTraits& traits);

    Arrangement arrange();

private:
    Voice voiceForWord(const std::string& id, bool asLead) const;
    void castNamedInstruments();
    void castSeveral(const std::vector<std::string>& melodic);
    void fitHarmonyComp();
    void fitDrumsAndBass();
    void replaceExcluded();
    void chooseTimingLooseness();

    const GenreStyle& m_style;
    const PromptTraits& m_traits;
    bool m_dark = false;
    Arrangement m_arrangement;
};

} // namespace engine
