#pragma once

#include <cstddef>
#include <string>
#include <string_view>

/// Tempo, key and loudness of a piece of audio: the measuring core of the analysis module, in standard C++ over
/// kissfft (the spectra), libebur128 (EBU R128 loudness) and the engine's true-peak meter, with no Qt, so the tests,
/// the benchmark and the fuzzer can feed it samples directly. TakeAnalysis.h wraps it for takes (decoding, the prompt's
/// hints, the engine's own plan).
///
/// Every function is re-entrant and keeps no state between calls: takes are analysed on several threads at once.
namespace analysis {

/// What the prompt asked for, used as a prior: a detector that finds two readings nearly equally likely (120 or 60
/// BPM; C major or A minor) takes the one nearer the prior. Never forces an answer the audio does not support.
struct Prior
{
    double bpm = 0;   ///< 0: none
    int keyRoot = -1; ///< pitch class 0..11 (0 = C), -1: none
    int keyMode = -1; ///< 0 major, 1 minor, -1: either
    /// The usual tempo of the genre the prompt names (the middle of its range), 0: none. Only centres the preference
    /// between octaves (87 or 174 for drum and bass), where 120 is assumed otherwise.
    double usualBpm = 0;
};

/// What a prompt says about tempo and key: its explicit BPM and key, and its genre's usual tempo.
Prior priorFromPrompt(std::string_view prompt);

struct Tempo
{
    /// Beats per minute, unrounded; 0 when there is not enough audio or no steady pulse (see `reason`).
    double bpm = 0;
    double confidence = 0;           ///< 0..1: how clearly the pulse stands out
    double beatPeriodSeconds = 0;    ///< 60 / bpm; 0 with bpm
    double firstDownbeatSeconds = 0; ///< where the first bar starts (0 <= offset < one bar of four beats)
    std::string reason;              ///< empty, or why there is no tempo: "not enough audio" (under 2.5 s or 4 beats),
                                     ///< "no steady pulse", "silent"
};

struct Key
{
    int root = -1;         ///< pitch class of the tonic 0..11 (0 = C); -1 when there is no key (see `reason`)
    bool minor = false;    ///< natural minor (true) or major (false)
    double confidence = 0; ///< 0..1: how far the best key stands above the next
    std::string reason;    ///< empty, or why there is no key: "not enough audio" (under 1 s), "no pitched content"
                           ///< (drums alone, noise), "silent"
};

struct Loudness
{
    bool valid = false;        ///< false for silence or under 400 ms of audio (no gating block)
    double integratedLufs = 0; ///< EBU R128 / ITU-R BS.1770-4 integrated loudness
    double truePeakDbtp = 0;   ///< highest true (inter-sample) peak of any channel, dBTP
};

struct Result
{
    Tempo tempo;
    Key key;
    Loudness loudness;
};

/// Analyses `frames` frames of `channels` interleaved float samples (-1..1) at `sampleRate` Hz.
Result analyse(const float* interleaved, std::size_t frames, int channels, int sampleRate, const Prior& prior = {});

/// The parts alone, for tests and the benchmark (analyse() shares one spectrum pass between tempo and key).
Tempo detectTempo(const float* mono, std::size_t frames, int sampleRate, const Prior& prior = {});
Key detectKey(const float* mono, std::size_t frames, int sampleRate, const Prior& prior = {});
/// Loudness of interleaved audio; mono is weighted as one channel (ffmpeg's `ebur128` convention, not dual mono).
Loudness measureLoudness(const float* interleaved, std::size_t frames, int channels, int sampleRate);

} // namespace analysis
