#include "engine/synth/Voice.h"

namespace engine {

namespace {

struct VoiceRow
{
    Voice voice;
    const char* id;
    const char* instrument;
    int melodyCentre;
    bool sustains;
};

constexpr VoiceRow Voices[] = {
    {Voice::None, "", "", 72, false},
    {Voice::Piano, "piano", "piano", 72, false},
    {Voice::EPiano, "epiano", "epiano", 72, false},
    {Voice::Organ, "organ", "organ", 72, true},
    {Voice::AcousticGuitar, "acoustic-guitar", "guitar", 69, false},
    {Voice::CleanGuitar, "clean-guitar", "guitar", 67, false},
    {Voice::OverdriveGuitar, "overdrive-guitar", "guitar", 67, false},
    {Voice::Harp, "harp", "harp", 74, false},
    {Voice::Strings, "strings", "strings", 74, true},
    {Voice::Pad, "pad", "pad", 69, true},
    {Voice::DarkPad, "dark-pad", "pad", 62, true},
    {Voice::Choir, "choir", "choir", 67, true},
    {Voice::SynthLead, "synth-lead", "synth", 72, true},
    {Voice::SynthPluck, "synth-pluck", "synth", 69, false},
    {Voice::Bells, "bells", "bells", 79, false},
    {Voice::Marimba, "marimba", "marimba", 74, false},
    {Voice::Flute, "flute", "flute", 77, true},
    {Voice::Brass, "brass", "brass", 67, true},
    {Voice::Sax, "sax", "sax", 67, true},
    {Voice::SubBass, "sub-bass", "bass", 36, true},
    {Voice::SynthBass, "synth-bass", "bass", 36, false},
    {Voice::ReeseBass, "reese-bass", "bass", 36, true},
    {Voice::PickBass, "pick-bass", "bass", 40, false},
    {Voice::UprightBass, "upright-bass", "bass", 40, false},
};

const VoiceRow& row(Voice voice)
{
    for (const VoiceRow& r : Voices) {
        if (r.voice == voice)
            return r;
    }
    return Voices[0];
}

} // namespace

const char* voiceId(Voice voice)
{
    return row(voice).id;
}

const char* voiceInstrument(Voice voice)
{
    return row(voice).instrument;
}

int voiceMelodyCentre(Voice voice)
{
    return row(voice).melodyCentre;
}

bool voiceSustains(Voice voice)
{
    return row(voice).sustains;
}

} // namespace engine
