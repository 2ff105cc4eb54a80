#pragma once

#include <cstdint>
#include <string_view>

namespace engine {

/// The synthesizer's patches. Several patches can stand for one instrument word ("guitar" is an acoustic, clean or
/// overdriven guitar depending on the style).
enum class Voice : std::uint8_t
{
    None,
    Piano,
    EPiano,
    Organ,
    AcousticGuitar,
    CleanGuitar,
    OverdriveGuitar,
    Harp,
    Strings,
    Pad,
    DarkPad,
    Choir,
    SynthLead,
    SynthPluck,
    Bells,
    Marimba,
    Flute,
    Brass,
    Sax,
    SubBass,
    SynthBass,
    ReeseBass,
    PickBass,
    UprightBass,
};

/// Patch id shown in plans, e.g. "epiano", "sub-bass"; "" for None.
const char* voiceId(Voice voice);
/// Inverse of voiceId(); None when unknown.
Voice voiceFromId(std::string_view id);
/// The canonical instrument word the patch plays, e.g. "guitar" for OverdriveGuitar, "bass" for SubBass.
const char* voiceInstrument(Voice voice);
/// MIDI note a melody on this patch centres on.
int voiceMelodyCentre(Voice voice);
/// True for patches that hold a tone for as long as the key is down (pads, strings, organ, winds).
bool voiceSustains(Voice voice);

} // namespace engine
