// Error bodies come from the network: whatever they hold, the message shown to a musician must stay short
// and free of control characters.
#include "net/SegmindApi.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString message = SegmindApi::parseErrorMessage(body);
    if (message.size() > SegmindApi::MaxServerMessageLength + 1)
        std::abort();
    for (const QChar c : message) {
        if (c.category() == QChar::Other_Control)
            std::abort();
    }
    SegmindApi::parseCreditsBody(body);
    SegmindApi::parseCreditsHeader(body);
    return 0;
}
