#pragma once

#include "model/GenerationRequest.h"
#include "model/GenerationResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QUrl>

#include <optional>

/// Segmind's wire contract as pure functions: building requests and reading replies, for the blocking v1 call and
/// the v2 queue (submit, poll the status, fetch the result).
namespace SegmindApi {

inline constexpr auto DefaultApiBase = "https://api.segmind.com/v1";
inline constexpr auto ModelSlug = "meta-musicgen-medium";
inline constexpr qint64 MaxResponseBytes = 64 * 1024 * 1024;
inline constexpr int MaxServerMessageLength = 300;
/// Longest request id kept (x-request-id) or accepted (a v2 submit's request_id); Segmind's are 36-character UUIDs.
inline constexpr int MaxRequestIdLength = 128;

/// The API base when none is given: $MUSICGEN_API_BASE when it is set, else DefaultApiBase. The one place the
/// variable is read. Not checked here: callers that can report a bad URL ask Settings::isUsableApiBase().
QUrl defaultApiBase();

/// {api-base}/meta-musicgen-medium; a trailing slash on the base is tolerated.
QUrl generateUrl(const QUrl& apiBase);
/// {api-base}/get-user-credits
QUrl creditsUrl(const QUrl& apiBase);

/// The v2 queue's root, derived from the v1-style API base: a last path segment "v1" (or already "v2") becomes "v2",
/// any other base gets "/v2" appended; trailing slashes are ignored, scheme, host, port and query are kept.
/// `https://api.segmind.com/v1` → `https://api.segmind.com/v2`, `http://127.0.0.1:8765` → `http://127.0.0.1:8765/v2`,
/// `https://proxy.example/segmind/` → `https://proxy.example/segmind/v2`.
/// POST {v2-root}/meta-musicgen-medium submits a job.
QUrl submitUrl(const QUrl& apiBase);
/// True for a request id the app can store and poll: 1 to MaxRequestIdLength printable ASCII characters without
/// spaces, and not "." or ".." (which a server would read as a path step, whatever the encoding).
bool isUsableRequestId(const QString& requestId);
/// GET {v2-root}/requests/{id}/status: the cheap poll. The id is percent-encoded as one path segment ("/", "?", "#"
/// and "%" included), so it can never reach another path; an empty URL when the id is not usable.
QUrl statusUrl(const QUrl& apiBase, const QString& requestId);
/// GET {v2-root}/requests/{id}: the result. Encoded as statusUrl(); an empty URL when the id is not usable.
QUrl resultUrl(const QUrl& apiBase, const QString& requestId);
/// The JSON body {"prompt","duration","seed"}; `request.seed` must already be resolved.
QByteArray generateBody(const GenerationRequest& request);

/// The error kind an HTTP status stands for on its own; None for 200. classifyError() also reads the body.
ErrorKind errorKindForStatus(int httpStatus);
/// True for statuses that cost nothing and may succeed later: 429, 500, 502, 503, 504.
bool isRetryableStatus(int httpStatus);

/// The server's message from an error body: JSON "error_description", "error" or "message" (each a string, or an
/// object with a "message"), or "detail", the first that is set; else plain text. Control characters removed, white
/// space folded, capped at MaxServerMessageLength. Empty for HTML.
QString parseErrorMessage(const QByteArray& body);

/// What a non-200 answer means for the musician, from its status and body:
/// - 401 "Missing Authorization or x-api-key in header": Authentication, advising that the key never arrived (a proxy
///   or a redirect dropped it, so a new key will not help); any other 401 or 403: Authentication.
/// - 406 "Invalid content type": InvalidRequest, a fault in this app; a team spend limit: InsufficientCredits with
///   advice about the limit; any other 406 (insufficient credits): InsufficientCredits.
/// - 405 (answered as a web page): NotFound; 410: ModelRetired; 422 {"status": "FAILED", "error"}: GenerationFailed,
///   any other 422: InvalidRequest; otherwise errorKindForStatus().
/// serverMessage is parseErrorMessage(body), not yet redacted: callers remove the API key from it.
GenerationError classifyError(int httpStatus, const QByteArray& body);

/// Retry-After as delta-seconds or an HTTP-date, relative to `now`, in milliseconds (never negative).
/// Nothing when the value is absent or malformed.
std::optional<qint64> parseRetryAfter(const QByteArray& value, const QDateTime& now);

/// `x-rate-limit-reset-at-utc` (ISO 8601, e.g. "2026-11-24T12:01:00.250Z"; UTC when no offset is given) as
/// milliseconds from `now`, never negative. Nothing when the value is absent or malformed.
std::optional<qint64> parseRateLimitReset(const QByteArray& value, const QDateTime& now);
/// How long a 429 asks to wait: the later of Retry-After and x-rate-limit-reset-at-utc, in milliseconds from `now`.
/// Nothing when neither header is usable.
std::optional<qint64> rateLimitWaitMs(const QByteArray& retryAfter, const QByteArray& resetAt, const QDateTime& now);

/// A credit count from the `x-remaining-credits` header.
std::optional<double> parseCreditsHeader(const QByteArray& value);
/// What a take cost in dollars, from the `x-cost` header ("0.037", "$0.037"); nothing when absent, negative or
/// not a number.
std::optional<double> parseCostHeader(const QByteArray& value);
/// The server's id for a request from `x-request-id`, for showing and storing: surrounding space trimmed, only
/// printable ASCII kept, capped at MaxRequestIdLength. Empty when nothing is left.
QString parseRequestIdHeader(const QByteArray& value);
/// The seed the server used, from `x-seed-value`: a whole number from 0 to GenerationRequest::MaxSeed; nothing
/// otherwise.
std::optional<int> parseSeedHeader(const QByteArray& value);

struct Credits
{
    double credits = 0;
    double freeCredits = 0;
};
/// {"credits": n, "free-credits": n} from GET /get-user-credits.
std::optional<Credits> parseCreditsBody(const QByteArray& body);

/// Where a v2 job is.
enum class QueueStatus
{
    Queued,
    Processing,
    Completed,
    Failed,
    Unknown, ///< absent, not a string, or a word Segmind does not document
};
/// "QUEUED", "PROCESSING", "COMPLETED" or "FAILED", in any case and with surrounding space; Unknown otherwise.
QueueStatus parseQueueStatus(const QString& word);

/// A v2 submit's answer: {"request_id", "status", "poll_url", "status_url", "response_url"}.
struct SubmitReply
{
    QString requestId; ///< always usable (isUsableRequestId)
    QueueStatus status = QueueStatus::Unknown;
    /// The server's own URLs, kept only when absolute http(s); else empty. They are the server's word: send the API
    /// key only to the API base's origin.
    QUrl pollUrl;
    QUrl statusUrl;
    QUrl responseUrl;
};
/// Nothing when the body is not a JSON object or its request_id is missing, not a string or not usable.
std::optional<SubmitReply> parseSubmitReply(const QByteArray& body);

/// The "status" of GET /v2/requests/{id}/status's answer; Unknown when the body says none.
QueueStatus parseStatusReply(const QByteArray& body);

/// The figures a v2 result reports under "metrics"; each nothing when absent or not a finite number (a numeric
/// string counts), the cost and the times also when negative.
struct ResultMetrics
{
    std::optional<double> cost; ///< dollars
    std::optional<double> remainingCredits;
    std::optional<double> inferenceSeconds;
    std::optional<double> queueSeconds;
    std::optional<double> totalSeconds;
};

/// Where a result's audio is: a URL to fetch (without the API key: it is another origin) or the bytes themselves.
/// At most one of `url` and `bytes` is set.
struct ResultAudio
{
    QUrl url;            ///< http or https only
    QByteArray bytes;    ///< decoded from a data: URL or base64, at most MaxResponseBytes
    QString contentType; ///< as the server named it ("audio.content_type", a data: URL's type); may be empty

    bool isEmpty() const { return url.isEmpty() && bytes.isEmpty(); }
};

/// The answer of GET /v2/requests/{id}: {"status", "output" | "audio", "metrics", "error"}.
struct ResultReply
{
    QueueStatus status = QueueStatus::Unknown;
    ResultAudio audio;  ///< read whatever the status says; empty when none was usable
    QString whyNoAudio; ///< for a person, when `audio` is empty: what the reply held instead
    ResultMetrics metrics;
    QString error; ///< the server's "error", cleaned and capped like parseErrorMessage(); not redacted
};
/// Reads a result. The audio is the first usable of: "output" as a string, the first usable entry of a list (strings
/// or objects with "url"), or an object with "url"; then "audio" as an object {"url", "content_type"} or a string.
/// A string is an http(s) URL, a data: URL (base64 or percent-encoded) or bare base64; any other scheme, a relative
/// URL, or inline audio over MaxResponseBytes is refused. Never fails: a body that is not JSON gives an empty reply.
ResultReply parseResultReply(const QByteArray& body);

} // namespace SegmindApi
