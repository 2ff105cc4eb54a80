#pragma once

#include "engine/SketchTypes.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The offline sketch engine: a small procedural composer and synthesizer that turns a text prompt, a duration and a
/// seed into a short mono clip in the shape MusicGen Medium delivers (32 kHz, 16-bit PCM WAV). This is the engine's
/// one public header.
///
/// It is not MusicGen and never claims to be: it reads a few hundred musical words (genres, moods, instruments,
/// tempo, key) from the prompt, ignores the rest, and writes a deterministic sketch in that style. Pure standard C++
/// with no Qt, so the app, the CLI, the tests, the fuzzer and the benchmark can all link it alone.
///
/// Determinism: the same prompt bytes, duration and seed give byte-identical output on every run and machine. All
/// random choices come from PCG32 seeded with the seed and an FNV-1a hash of the prompt; the synthesis uses only
/// IEEE-exact arithmetic (see dsp/DetMath.h).
namespace engine {

inline constexpr const char* EngineName = "Offline sketch engine (built in, not MusicGen)";
inline constexpr const char* ModelId = "offline-sketch-1";

/// Reads the musical words of a prompt in any case and word order. Any bytes are accepted (non-ASCII is treated as a
/// separator, except the sharp and flat signs); what is not understood is ignored.
PromptTraits readPrompt(std::string_view utf8Prompt);

/// The middle of a genre's usual tempo range (a PromptTraits::genre id), the tempo the engine's takes in that genre
/// centre on.
double usualBpm(std::string_view genre);

/// Composes without synthesizing: cheap, and what renderPcm() performs.
SketchPlan plan(const SketchParams& params);

/// Synthesizes a plan: 32000 Hz mono, exactly plan.durationSamples samples, normalised to -14 LUFS with true peak at
/// or below -1 dBTP, ending in silence on the last sample.
std::vector<std::int16_t> renderPcm(const SketchPlan& sketch);

/// plan() then renderPcm(): exactly durationSeconds * SampleRate samples.
std::vector<std::int16_t> renderPcm(const SketchParams& params);

/// The same as a canonical RIFF/WAVE file: 44-byte header, PCM 16-bit, mono, 32 kHz.
std::vector<std::uint8_t> renderWav(const SketchParams& params);

/// Wraps 32 kHz mono samples in a canonical 44-byte-header WAV file.
std::vector<std::uint8_t> encodeWav(const std::vector<std::int16_t>& pcm);

/// "A minor", "F# major", "Bb minor".
std::string keyName(int keyRoot, bool minor);

} // namespace engine
