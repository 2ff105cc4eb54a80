#include "engine/dsp/WavWriter.h"

namespace engine {

std::vector<std::uint8_t> WavWriter::encode(const std::vector<std::int16_t>& samples, int sampleRate, int channels)
{
    const auto dataBytes = static_cast<std::uint32_t>(samples.size() * 2);
    std::vector<std::uint8_t> out;
    out.reserve(44 + dataBytes);
    auto text = [&](const char* fourCc) {
        for (int i = 0; i < 4; ++i)
            out.push_back(static_cast<std::uint8_t>(fourCc[i]));
    };
    auto u32 = [&](std::uint32_t value) {
        for (int i = 0; i < 4; ++i)
            out.push_back(static_cast<std::uint8_t>((value >> (8 * i)) & 0xFFU));
    };
    auto u16 = [&](std::uint16_t value) {
        out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
        out.push_back(static_cast<std::uint8_t>((value >> 8U) & 0xFFU));
    };
    const auto rate = static_cast<std::uint32_t>(sampleRate);
    const auto channelCount = static_cast<std::uint16_t>(channels);
    text("RIFF");
    u32(36 + dataBytes);
    text("WAVE");
    text("fmt ");
    u32(16);
    u16(1); // PCM
    u16(channelCount);
    u32(rate);
    u32(rate * channelCount * 2);
    u16(static_cast<std::uint16_t>(channelCount * 2));
    u16(16);
    text("data");
    u32(dataBytes);
    out.resize(44 + dataBytes);
    std::uint8_t* data = out.data() + 44;
    for (const std::int16_t sample : samples) {
        const auto bits = static_cast<std::uint16_t>(sample);
        *data++ = static_cast<std::uint8_t>(bits & 0xFFU);
        *data++ = static_cast<std::uint8_t>((bits >> 8U) & 0xFFU);
    }
    return out;
}

} // namespace engine
