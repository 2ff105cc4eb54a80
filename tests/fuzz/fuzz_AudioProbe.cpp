// Any bytes a server sends must be sniffed and probed without a crash, a leak or undefined behaviour, and a
// "valid" verdict must be self-consistent.
#include "audio/AudioCodec.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const AudioFormat sniffed = sniffAudioFormat(bytes);
    QString whyNot;
    const auto info = AudioCodec::probe(bytes, &whyNot);
    if (info && (info->format != sniffed || !info->isValid()))
        std::abort();
    if (!info && whyNot.isEmpty())
        std::abort();
    return 0;
}
