// The v2 queue's replies come from the network, and so do the request ids that end up in URLs: whatever they hold,
// reading them must not crash, must never yield a non-web audio address or oversized audio, and an id must stay
// one path segment.
#include "net/SegmindApi.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>

using namespace Qt::StringLiterals;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

bool isWebUrl(const QUrl& url)
{
    return url.isEmpty() || (url.isValid() && (url.scheme() == "http"_L1 || url.scheme() == "https"_L1));
}

bool isAbsent(const std::optional<double>& figure)
{
    return !figure || (std::isfinite(*figure) && *figure >= 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char*>(data), qsizetype(size));

    if (const auto submit = SegmindApi::parseSubmitReply(body)) {
        check(SegmindApi::isUsableRequestId(submit->requestId));
        check(isWebUrl(submit->pollUrl) && isWebUrl(submit->statusUrl) && isWebUrl(submit->responseUrl));
    }
    SegmindApi::parseStatusReply(body);

    const SegmindApi::ResultReply result = SegmindApi::parseResultReply(body);
    check(result.audio.url.isEmpty() || result.audio.bytes.isEmpty());
    check(isWebUrl(result.audio.url) && result.audio.bytes.size() <= SegmindApi::MaxResponseBytes);
    check(result.audio.isEmpty() != result.whyNoAudio.isEmpty());
    check(result.error.size() <= SegmindApi::MaxServerMessageLength + 1);
    check(isAbsent(result.metrics.cost) && isAbsent(result.metrics.totalSeconds));

    static const int statuses[] = {401, 403, 404, 405, 406, 410, 422, 429, 500, 502};
    const int status = statuses[size % std::size(statuses)];
    const GenerationError error = SegmindApi::classifyError(status, body);
    check(error.isError() && error.httpStatus == status);
    check(error.serverMessage.size() <= SegmindApi::MaxServerMessageLength + 1);

    // Whatever an id holds, it is one segment of the path it is put in, or no URL is made at all.
    const QString id = QString::fromUtf8(body.left(2 * SegmindApi::MaxRequestIdLength));
    const QUrl url = SegmindApi::statusUrl(QUrl(u"https://api.segmind.com/v1"_s), id);
    check(url.isEmpty() != SegmindApi::isUsableRequestId(id));
    if (!url.isEmpty()) {
        const QStringList segments = url.path(QUrl::FullyEncoded).split(u'/');
        check(url.host() == "api.segmind.com"_L1 && !url.hasQuery() && !url.hasFragment());
        check(segments.size() == 5 && segments.at(2) == "requests"_L1 && segments.at(4) == "status"_L1);
        check(QUrl::fromPercentEncoding(segments.at(3).toLatin1()) == id);
    }
    return 0;
}
