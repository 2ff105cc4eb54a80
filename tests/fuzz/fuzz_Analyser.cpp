// Any samples a file can decode to, NaN, infinities and denormals included, must be measured without a crash,
// undefined behaviour or an answer outside its documented range.
#include "analysis/Analyser.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    static constexpr int Rates[] = {8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000};
    const int sampleRate = Rates[data[0] % 8];
    const int channels = 1 + data[1] % 2;
    std::vector<float> samples((size - 2) / sizeof(float));
    std::memcpy(samples.data(), data + 2, samples.size() * sizeof(float));
    // Short inputs say little: repeat them into seconds of audio so the detectors run their whole path.
    const std::size_t wanted = std::size_t(sampleRate) * channels * (1 + data[0] % 3);
    for (std::size_t i = samples.size(); !samples.empty() && i < wanted; ++i)
        samples.push_back(samples[i % ((size - 2) / sizeof(float))]);
    const std::size_t frames = samples.size() / std::size_t(channels);

    const analysis::Result result = analysis::analyse(samples.data(), frames, channels, sampleRate, {});
    const analysis::Tempo& tempo = result.tempo;
    if (!std::isfinite(tempo.bpm) || tempo.bpm < 0 || (tempo.bpm > 0 && (tempo.bpm < 20 || tempo.bpm > 400)))
        std::abort();
    if (!(tempo.confidence >= 0 && tempo.confidence <= 1) || (tempo.bpm == 0 && tempo.reason.empty()))
        std::abort();
    if (tempo.bpm > 0 &&
        !(tempo.firstDownbeatSeconds >= 0 && tempo.firstDownbeatSeconds < 4 * tempo.beatPeriodSeconds + 1e-6))
        std::abort();
    const analysis::Key& key = result.key;
    if (key.root < -1 || key.root > 11 || !(key.confidence >= 0 && key.confidence <= 1) ||
        (key.root < 0 && key.reason.empty()))
        std::abort();
    if (result.loudness.valid &&
        (!std::isfinite(result.loudness.integratedLufs) || std::isnan(result.loudness.truePeakDbtp)))
        std::abort();
    return 0;
}
