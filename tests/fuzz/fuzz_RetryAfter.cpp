// A Retry-After header can hold anything; the parsed wait is never negative.
#include "net/SegmindApi.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const QDateTime now(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
    const QByteArray value(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto waitMs = SegmindApi::parseRetryAfter(value, now);
    if (waitMs && *waitMs < 0)
        std::abort();
    return 0;
}
