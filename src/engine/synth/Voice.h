#pragma once

#include "engine/SketchTypes.h"

namespace engine {

/// Patch id shown in plans, e.g. "epiano", "sub-bass"; "" for None.
const char* voiceId(Voice voice);
/// The canonical instrument word the patch plays, e.g. "guitar" for OverdriveGuitar, "bass" for SubBass.
const char* voiceInstrument(Voice voice);
/// MIDI note a melody on this patch centres on.
int voiceMelodyCentre(Voice voice);
/// True for patches that hold a tone for as long as the key is down (pads, strings, organ, winds).
bool voiceSustains(Voice voice);

} // namespace engine
