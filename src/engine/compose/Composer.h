#pragma once

#include "engine/SketchTypes.h"
#include "engine/compose/Arranger.h"
#include "engine/compose/GenreStyle.h"
#include "engine/compose/Key.h"
#include "engine/compose/Timeline.h"
#include "engine/dsp/Rng.h"

#include <string_view>

namespace engine {

/// Makes every musical decision of one sketch: style, tempo, key, arrangement, chords and the shape over time
/// (intro, phrases with fills, an ending on the tonic), then has the part writers write drums, bass, harmony,
/// texture and melody over that timeline. It is a pure function of the parameters; the synthesizer only performs
/// what it writes down.
class Composer
{
public:
    explicit Composer(const SketchParams& params);

    SketchPlan compose();

private:
    bool hasMood(std::string_view mood) const;
    void chooseStyle();
    void chooseTempo();
    void chooseKey();
    void arrange();
    void chooseChords();
    void writeParts();
    int textureFromBar() const;
    void describe();

    SketchParams m_params;
    PromptTraits m_traits;
    std::uint64_t m_seed = 0;
    const GenreStyle* m_style = nullptr;
    SketchPlan m_plan;
    // One random stream per concern, so that a change in how one part is written does not change the others.
    Rng m_structureRng;
    Rng m_harmonyRng;
    Rng m_melodyRng;
    Rng m_drumRng;
    Rng m_bassRng;

    double m_energy = 1.0; ///< mood: below 1 calmer and sparser, above 1 busier and harder
    Key m_key;
    Arrangement m_arrangement;
    Timeline m_timeline;
};

} // namespace engine
