#pragma once

#include "engine/compose/Arranger.h"
#include "engine/compose/GenreStyle.h"
#include "engine/compose/Key.h"
#include "engine/compose/Score.h"
#include "engine/compose/Timeline.h"

namespace engine {

/// What every part writer works from: the decisions made before the first note is written, and the score the notes
/// go into. Each writer draws its random choices from its own stream besides, so parts do not shift one another.
struct PartContext
{
    const GenreStyle& style;
    const Arrangement& arrangement;
    const Key& key;
    const Timeline& timeline;
    double energy; ///< mood: below 1 calmer and sparser, above 1 busier and harder
    Score& score;
};

} // namespace engine
