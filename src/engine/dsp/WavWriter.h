#pragma once

#include <cstdint>
#include <vector>

namespace engine {

/// Writes the canonical 44-byte RIFF/WAVE header and little-endian 16-bit PCM, byte by byte, so the file is the same
/// on any host byte order.
class WavWriter
{
public:
    static std::vector<std::uint8_t> encode(const std::vector<std::int16_t>& samples, int sampleRate, int channels);
};

} // namespace engine
