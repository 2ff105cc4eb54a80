#include "net/SegmindApi.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace SegmindApi {

namespace {

QUrl withPath(const QUrl& apiBase, QLatin1StringView leaf)
{
    QUrl url = apiBase;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + leaf);
    return url;
}

QString cleanMessage(const QString& raw)
{
    QString text;
    text.reserve(raw.size());
    for (const QChar c : raw) {
        const bool control = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
        text += (control || c.isSpace()) ? QChar(u' ') : c;
    }
    text = text.simplified();
    if (text.size() > MaxServerMessageLength) {
        text.truncate(MaxServerMessageLength);
        if (text.back().isHighSurrogate())
            text.chop(1);
        text += u'…';
    }
    return text;
}

QString messageFromJson(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return value.toObject().value("message"_L1).toString();
    return {};
}

/// The uncleaned message of a JSON error body. "error_description" comes first: beside it "error" is a terse code.
QString messageFromObject(const QJsonObject& object)
{
    for (const auto key : {"error_description"_L1, "error"_L1, "message"_L1}) {
        const QString message = messageFromJson(object.value(key));
        if (!message.isEmpty())
            return message;
    }
    return object.value("detail"_L1).toString();
}

QJsonObject jsonObject(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object(); // empty unless the body is a JSON object
}

/// The v2 root's path, percent-encoded, without a trailing slash.
QString v2Path(const QUrl& apiBase)
{
    QString path = apiBase.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    const qsizetype slash = path.lastIndexOf(u'/');
    const QStringView last = QStringView(path).mid(slash + 1);
    if (last == "v1"_L1 || last == "v2"_L1)
        path.truncate(slash + 1);
    else
        path += u'/';
    return path + "v2"_L1;
}

QUrl withEncodedPath(const QUrl& apiBase, const QString& encodedPath)
{
    QUrl url = apiBase;
    url.setPath(encodedPath, QUrl::TolerantMode);
    return url;
}

QUrl requestUrl(const QUrl& apiBase, const QString& requestId, QLatin1StringView tail)
{
    if (!isUsableRequestId(requestId))
        return {};
    const QString id = QString::fromLatin1(QUrl::toPercentEncoding(requestId));
    return withEncodedPath(apiBase, v2Path(apiBase) + "/requests/"_L1 + id + tail);
}

/// An absolute http(s) URL with a host; nothing else is ever fetched.
std::optional<QUrl> webUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    const bool web = url.scheme() == "http"_L1 || url.scheme() == "https"_L1;
    if (!url.isValid() || !web || url.host().isEmpty())
        return std::nullopt;
    return url;
}

QUrl webUrlOrEmpty(const QJsonValue& value)
{
    return webUrl(value.toString()).value_or(QUrl());
}

std::optional<double> finiteNumber(const QJsonValue& value)
{
    if (value.isDouble())
        return std::isfinite(value.toDouble()) ? std::optional(value.toDouble()) : std::nullopt;
    bool ok = false;
    const double number = value.toString().trimmed().toDouble(&ok);
    return ok && std::isfinite(number) ? std::optional(number) : std::nullopt;
}

std::optional<double> nonNegative(const QJsonValue& value)
{
    const auto number = finiteNumber(value);
    return number && *number >= 0 ? number : std::nullopt;
}

/// Finds the audio in a result: the first usable source wins, and the first refusal is kept to explain an empty
/// result.
class AudioFinder
{
public:
    bool found() const { return !m_audio.isEmpty(); }
    ResultAudio audio() const { return m_audio; }
    QString whyNot() const
    {
        return m_whyNot.isEmpty() ? QCoreApplication::translate("Segmind", "the reply named no audio") : m_whyNot;
    }

    /// A string, or an object {"url", "content_type"}.
    void consider(const QJsonValue& value)
    {
        if (found())
            return;
        if (value.isString()) {
            considerText(value.toString(), {});
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            if (object.value("url"_L1).isString())
                considerText(object.value("url"_L1).toString(), object.value("content_type"_L1).toString());
        }
    }

    /// "output" may also be a list: its first usable entry.
    void considerOutput(const QJsonValue& value)
    {
        if (!value.isArray()) {
            consider(value);
            return;
        }
        const QJsonArray list = value.toArray();
        for (qsizetype i = 0; i < list.size() && !found(); ++i)
            consider(list.at(i));
    }

private:
    void considerText(const QString& raw, const QString& contentType)
    {
        const QString text = raw.trimmed();
        if (text.startsWith("data:"_L1, Qt::CaseInsensitive)) {
            considerDataUrl(text);
        } else if (text.contains(u':')) {
            if (const auto url = webUrl(text)) {
                m_audio.url = *url;
                m_audio.contentType = contentType.trimmed().left(MaxServerMessageLength);
            } else {
                refuse(QCoreApplication::translate("Segmind", "the audio's address is not a web address"));
            }
        } else if (!text.isEmpty()) {
            considerInline(decode(text.toUtf8(), true), contentType,
                           QCoreApplication::translate(
                               "Segmind", "the audio in the reply is neither a web address nor audio data"));
        }
    }

    /// data:[<media type>][;base64],<data>
    void considerDataUrl(const QString& text)
    {
        const qsizetype comma = text.indexOf(u',');
        const QString meta = text.mid(5, comma - 5);
        const bool base64 = meta.endsWith(";base64"_L1, Qt::CaseInsensitive);
        const auto bytes = comma < 0 ? std::nullopt : decode(text.mid(comma + 1).toUtf8(), base64);
        considerInline(bytes, meta.section(u';', 0, 0),
                       QCoreApplication::translate("Segmind", "the audio in the reply could not be decoded"));
    }

    /// Nothing when `encoded` is not valid base64, or decodes to nothing. Never larger than `encoded`.
    static std::optional<QByteArray> decode(QByteArray encoded, bool base64)
    {
        QByteArray bytes;
        if (base64) {
            encoded.removeIf([](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
            const bool urlAlphabet = encoded.contains('-') || encoded.contains('_');
            const auto decoded = QByteArray::fromBase64Encoding(
                encoded, (urlAlphabet ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding) |
                             QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                bytes = *decoded;
        } else {
            bytes = QByteArray::fromPercentEncoding(encoded);
        }
        return bytes.isEmpty() ? std::nullopt : std::optional(bytes);
    }

    void considerInline(const std::optional<QByteArray>& bytes, const QString& contentType, const QString& whyNot)
    {
        if (!bytes) {
            refuse(whyNot);
        } else if (bytes->size() > MaxResponseBytes) {
            refuse(QCoreApplication::translate("Segmind", "the audio in the reply is larger than %1 MB")
                       .arg(MaxResponseBytes / (1024 * 1024)));
        } else {
            m_audio.bytes = *bytes;
            m_audio.contentType = contentType.trimmed().left(MaxServerMessageLength);
        }
    }

    void refuse(const QString& why)
    {
        if (m_whyNot.isEmpty())
            m_whyNot = why;
    }

    ResultAudio m_audio;
    QString m_whyNot;
};

} // namespace

QUrl defaultApiBase()
{
    const QString fromEnvironment = qEnvironmentVariable("MUSICGEN_API_BASE");
    return QUrl(fromEnvironment.isEmpty() ? QString::fromLatin1(DefaultApiBase) : fromEnvironment, QUrl::StrictMode);
}

QUrl generateUrl(const QUrl& apiBase)
{
    return withPath(apiBase, QLatin1StringView(ModelSlug));
}

QUrl creditsUrl(const QUrl& apiBase)
{
    return withPath(apiBase, "get-user-credits"_L1);
}

QUrl submitUrl(const QUrl& apiBase)
{
    return withEncodedPath(apiBase, v2Path(apiBase) + u'/' + QLatin1StringView(ModelSlug));
}

bool isUsableRequestId(const QString& requestId)
{
    if (requestId.isEmpty() || requestId.size() > MaxRequestIdLength || requestId == "."_L1 || requestId == ".."_L1)
        return false;
    return std::all_of(requestId.begin(), requestId.end(), [](QChar c) { return c > u' ' && c < u'\x7f'; });
}

QUrl statusUrl(const QUrl& apiBase, const QString& requestId)
{
    return requestUrl(apiBase, requestId, "/status"_L1);
}

QUrl resultUrl(const QUrl& apiBase, const QString& requestId)
{
    return requestUrl(apiBase, requestId, {});
}

QByteArray generateBody(const GenerationRequest& request)
{
    const QJsonObject body{
        {"prompt"_L1, request.prompt},
        {"duration"_L1, request.durationSeconds},
        {"seed"_L1, request.seed},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

ErrorKind errorKindForStatus(int httpStatus)
{
    switch (httpStatus) {
    case 200: return ErrorKind::None;
    case 400: return ErrorKind::InvalidRequest;
    case 401:
    case 403: return ErrorKind::Authentication;
    case 404:
    case 405: return ErrorKind::NotFound;
    case 406: return ErrorKind::InsufficientCredits;
    case 410: return ErrorKind::ModelRetired;
    case 422: return ErrorKind::InvalidRequest;
    case 429: return ErrorKind::RateLimited;
    default: return ErrorKind::Server;
    }
}

bool isRetryableStatus(int httpStatus)
{
    return httpStatus == 429 || httpStatus == 500 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
}

QString parseErrorMessage(const QByteArray& body)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        return cleanMessage(messageFromObject(document.object()));
    const QString text = QString::fromUtf8(body.left(4 * MaxServerMessageLength));
    // An HTML error page says nothing a musician can use; the status already tells the story.
    static const QRegularExpression html(u"^\\s*<"_s);
    if (html.match(text).hasMatch())
        return {};
    return cleanMessage(text);
}

GenerationError classifyError(int httpStatus, const QByteArray& body)
{
    GenerationError error;
    error.kind = errorKindForStatus(httpStatus);
    error.httpStatus = httpStatus;
    error.serverMessage = parseErrorMessage(body);
    const QJsonObject object = jsonObject(body);
    // The terse "error" code counts as well as the description shown.
    const QString said = (error.serverMessage + u' ' + object.value("error"_L1).toString()).toLower();
    switch (httpStatus) {
    case 401:
        if (said.contains("missing"_L1) && (said.contains("x-api-key"_L1) || said.contains("authorization"_L1)))
            error.advice = QCoreApplication::translate(
                "Errors", "your key never reached Segmind (a proxy or a redirect dropped it), so a new key will not "
                          "help: check the API base URL and any proxy in between");
        break;
    case 406:
        if (said.contains("content type"_L1) || said.contains("content-type"_L1)) {
            error.kind = ErrorKind::InvalidRequest;
            error.advice = QCoreApplication::translate(
                "Errors", "this is a fault in MusicGen Studio, not in your request: please report it");
        } else if (said.contains("spend"_L1)) {
            error.advice = QCoreApplication::translate(
                "Errors", "raise your team's spend limit in the Segmind console, or ask the team's owner to");
        }
        break;
    case 422:
        if (parseQueueStatus(object.value("status"_L1).toString()) == QueueStatus::Failed)
            error.kind = ErrorKind::GenerationFailed;
        break;
    default: break;
    }
    return error;
}

std::optional<qint64> parseRetryAfter(const QByteArray& value, const QDateTime& now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 seconds = trimmed.toLongLong(&isNumber);
    if (isNumber) {
        // Any wait beyond a day is as good as "not today"; capping keeps the arithmetic from overflowing.
        constexpr qint64 oneDay = 24 * 3600;
        return seconds >= 0 ? std::optional<qint64>(std::min(seconds, oneDay) * 1000) : std::nullopt;
    }
    const bool allDigits = std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (allDigits) // a number too large for qint64
        return std::nullopt;

    // HTTP-date (RFC 9110): IMF-fixdate, or the obsolete RFC 850 and asctime forms. The weekday is dropped
    // before parsing: it adds nothing, and Qt rejects two-digit years whose weekday belongs to another century.
    QString text = QString::fromLatin1(trimmed).simplified();
    text = text.mid(text.indexOf(u' ') + 1);
    const QLocale c = QLocale::c();
    const QString formats[] = {u"dd MMM yyyy HH:mm:ss 'GMT'"_s, u"dd-MMM-yy HH:mm:ss 'GMT'"_s,
                               u"MMM d HH:mm:ss yyyy"_s};
    for (const QString& format : formats) {
        QDateTime when = c.toDateTime(text, format);
        if (!when.isValid())
            continue;
        when.setTimeSpec(Qt::UTC);
        if (when.date().year() < 1970) // two-digit RFC 850 years mean this century
            when = when.addYears(100);
        return std::max<qint64>(0, now.msecsTo(when));
    }
    return std::nullopt;
}

std::optional<qint64> parseRateLimitReset(const QByteArray& value, const QDateTime& now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64) // no ISO 8601 time is longer; refusing keeps parsing cheap
        return std::nullopt;
    QDateTime when = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::ISODateWithMs);
    if (!when.isValid())
        return std::nullopt;
    if (when.timeSpec() == Qt::LocalTime) // no offset given: the header's name says UTC
        when.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, now.msecsTo(when));
}

std::optional<qint64> rateLimitWaitMs(const QByteArray& retryAfter, const QByteArray& resetAt, const QDateTime& now)
{
    const auto afterMs = parseRetryAfter(retryAfter, now);
    const auto resetMs = parseRateLimitReset(resetAt, now);
    if (afterMs && resetMs)
        return std::max(*afterMs, *resetMs);
    return afterMs ? afterMs : resetMs;
}

std::optional<double> parseCreditsHeader(const QByteArray& value)
{
    bool ok = false;
    const double credits = value.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(credits))
        return std::nullopt;
    return credits;
}

std::optional<double> parseCostHeader(const QByteArray& value)
{
    QByteArray text = value.trimmed();
    if (text.startsWith('$'))
        text.remove(0, 1);
    bool ok = false;
    const double cost = text.toDouble(&ok);
    if (!ok || !std::isfinite(cost) || cost < 0)
        return std::nullopt;
    return cost;
}

QString parseRequestIdHeader(const QByteArray& value)
{
    QString id;
    for (const char c : value.trimmed()) {
        if (id.size() == MaxRequestIdLength)
            break;
        if (c > ' ' && c < '\x7f')
            id += QLatin1Char(c);
    }
    return id;
}

std::optional<int> parseSeedHeader(const QByteArray& value)
{
    bool ok = false;
    const int seed = value.trimmed().toInt(&ok);
    if (!ok || seed < 0 || seed > GenerationRequest::MaxSeed)
        return std::nullopt;
    return seed;
}

std::optional<Credits> parseCreditsBody(const QByteArray& body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue credits = object.value("credits"_L1);
    if (!credits.isDouble())
        return std::nullopt;
    return Credits{credits.toDouble(), object.value("free-credits"_L1).toDouble()};
}

QueueStatus parseQueueStatus(const QString& word)
{
    const QString status = word.trimmed().toUpper();
    if (status == "QUEUED"_L1)
        return QueueStatus::Queued;
    if (status == "PROCESSING"_L1)
        return QueueStatus::Processing;
    if (status == "COMPLETED"_L1)
        return QueueStatus::Completed;
    if (status == "FAILED"_L1)
        return QueueStatus::Failed;
    return QueueStatus::Unknown;
}

std::optional<SubmitReply> parseSubmitReply(const QByteArray& body)
{
    const QJsonObject object = jsonObject(body);
    const QString requestId = object.value("request_id"_L1).toString();
    if (!isUsableRequestId(requestId))
        return std::nullopt;
    SubmitReply reply;
    reply.requestId = requestId;
    reply.status = parseQueueStatus(object.value("status"_L1).toString());
    reply.pollUrl = webUrlOrEmpty(object.value("poll_url"_L1));
    reply.statusUrl = webUrlOrEmpty(object.value("status_url"_L1));
    reply.responseUrl = webUrlOrEmpty(object.value("response_url"_L1));
    return reply;
}

QueueStatus parseStatusReply(const QByteArray& body)
{
    return parseQueueStatus(jsonObject(body).value("status"_L1).toString());
}

ResultReply parseResultReply(const QByteArray& body)
{
    const QJsonObject object = jsonObject(body);
    ResultReply reply;
    reply.status = parseQueueStatus(object.value("status"_L1).toString());

    AudioFinder finder;
    finder.considerOutput(object.value("output"_L1));
    finder.consider(object.value("audio"_L1));
    reply.audio = finder.audio();
    if (!finder.found())
        reply.whyNoAudio = finder.whyNot();

    const QJsonObject metrics = object.value("metrics"_L1).toObject();
    reply.metrics.cost = nonNegative(metrics.value("cost"_L1));
    reply.metrics.remainingCredits = finiteNumber(metrics.value("remaining_credits"_L1));
    reply.metrics.inferenceSeconds = nonNegative(metrics.value("inference_time"_L1));
    reply.metrics.queueSeconds = nonNegative(metrics.value("queue_time"_L1));
    reply.metrics.totalSeconds = nonNegative(metrics.value("total_time"_L1));

    reply.error = cleanMessage(messageFromJson(object.value("error"_L1)));
    return reply;
}

} // namespace SegmindApi
