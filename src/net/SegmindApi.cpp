#include "net/SegmindApi.h"

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
    case 404: return ErrorKind::NotFound;
    case 406: return ErrorKind::InsufficientCredits;
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
    if (parseError.error == QJsonParseError::NoError && document.isObject()) {
        const QJsonObject object = document.object();
        QString message = messageFromJson(object.value("error"_L1));
        if (message.isEmpty())
            message = messageFromJson(object.value("message"_L1));
        if (message.isEmpty())
            message = object.value("detail"_L1).toString();
        return cleanMessage(message);
    }
    const QString text = QString::fromUtf8(body.left(4 * MaxServerMessageLength));
    // An HTML error page says nothing a musician can use; the status already tells the story.
    static const QRegularExpression html(u"^\\s*<"_s);
    if (html.match(text).hasMatch())
        return {};
    return cleanMessage(text);
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

std::optional<double> parseCreditsHeader(const QByteArray& value)
{
    bool ok = false;
    const double credits = value.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(credits))
        return std::nullopt;
    return credits;
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

} // namespace SegmindApi
