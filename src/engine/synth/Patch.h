#pragma once

#include "engine/SketchTypes.h"
#include "engine/dsp/DetMath.h"

#include <algorithm>
#include <vector>

/// What the renderers of the synthesizer's patches share (ToneSynth, AdditiveTone, PluckedString, Ensemble).
namespace engine {

/// Samples between coefficient updates of a filter that moves: 1 ms is smooth for any sweep a patch makes, and far
/// cheaper than updating every sample.
inline constexpr int FilterBlock = 32;

/// Samples the note may write: from its start, for `wanted` samples, but never past the end of the clip.
inline int noteSpan(const NoteEvent& note, const std::vector<float>& out, double wanted)
{
    const double room = static_cast<double>(out.size()) - note.startSample;
    return static_cast<int>(std::max(0.0, std::min(wanted, room)));
}

/// What a patch reads from a note before it renders it, unpacked as `const auto [f0, v, length, target] = ...`;
/// the note must start inside `out` (ToneSynth::render checks).
struct NoteStart
{
    double f0;     ///< the fundamental, Hz
    double v;      ///< the velocity, 0..1
    int length;    ///< samples the key is held, at least one
    float* target; ///< the note's first sample in the clip
};

inline NoteStart startNote(const NoteEvent& note, std::vector<float>& out)
{
    return {dmath::midiToHz(note.midi), note.velocity, std::max(1, note.lengthSamples), out.data() + note.startSample};
}

/// The fade after the key is released: 1 while it is held, then an exponential decay with a time constant of
/// `seconds`.
class Release
{
public:
    Release(double seconds, int length)
        : m_factor(dmath::decayPerSample(seconds, static_cast<double>(SampleRate))), m_length(length)
    {
    }

    /// The level at sample `n` of the note; call for every sample in order.
    double next(int n)
    {
        if (n >= m_length)
            m_level *= m_factor;
        return m_level;
    }

private:
    double m_factor;
    int m_length;
    double m_level = 1.0;
};

} // namespace engine
