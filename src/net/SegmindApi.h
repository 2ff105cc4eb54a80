#pragma once

#include "model/GenerationRequest.h"
#include "model/GenerationResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QUrl>

#include <optional>

/// The Segmind v1 wire contract as pure functions: building requests and reading replies.
namespace SegmindApi {

inline constexpr auto DefaultApiBase = "https://api.segmind.com/v1";
inline constexpr auto ModelSlug = "meta-musicgen-medium";
inline constexpr qint64 MaxResponseBytes = 64 * 1024 * 1024;
inline constexpr int MaxServerMessageLength = 300;

/// The API base when none is given: $MUSICGEN_API_BASE when it is set, else DefaultApiBase. The one place the
/// variable is read. Not checked here: callers that can report a bad URL ask Settings::isUsableApiBase().
QUrl defaultApiBase();

/// {api-base}/meta-musicgen-medium; a trailing slash on the base is tolerated.
QUrl generateUrl(const QUrl& apiBase);
/// {api-base}/get-user-credits
QUrl creditsUrl(const QUrl& apiBase);
/// The JSON body {"prompt","duration","seed"}; `request.seed` must already be resolved.
QByteArray generateBody(const GenerationRequest& request);

/// The error kind an HTTP status stands for; None for 200.
ErrorKind errorKindForStatus(int httpStatus);
/// True for statuses that cost nothing and may succeed later: 429, 500, 502, 503, 504.
bool isRetryableStatus(int httpStatus);

/// The server's message from an error body: JSON "error" or "message" (string, or an object with a
/// "message"), else plain text; control characters removed, white space folded, capped. Empty for HTML.
QString parseErrorMessage(const QByteArray& body);

/// Retry-After as delta-seconds or an HTTP-date, relative to `now`, in milliseconds (never negative).
/// Nothing when the value is absent or malformed.
std::optional<qint64> parseRetryAfter(const QByteArray& value, const QDateTime& now);

/// A credit count from the `x-remaining-credits` header.
std::optional<double> parseCreditsHeader(const QByteArray& value);

struct Credits
{
    double credits = 0;
    double freeCredits = 0;
};
/// {"credits": n, "free-credits": n} from GET /get-user-credits.
std::optional<Credits> parseCreditsBody(const QByteArray& body);

} // namespace SegmindApi
