#include "net/SegmindApi.h"

#include "cli/ExitCode.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSegmindApi final : public QObject
{
    Q_OBJECT

private slots:
    void defaultApiBaseComesFromTheEnvironment();
    void urls_data();
    void urls();
    void bodyKeepsThePromptExactly_data();
    void bodyKeepsThePromptExactly();
    void statusMapping_data();
    void statusMapping();
    void errorMessages_data();
    void errorMessages();
    void retryAfter_data();
    void retryAfter();
    void creditsHeader_data();
    void creditsHeader();
    void creditsBody_data();
    void creditsBody();
    void v2Urls_data();
    void v2Urls();
    void requestIdsStayOneSegment_data();
    void requestIdsStayOneSegment();
    void submitReply_data();
    void submitReply();
    void statusReply_data();
    void statusReply();
    void resultAudio_data();
    void resultAudio();
    void resultFacts_data();
    void resultFacts();
    void classifiedErrors_data();
    void classifiedErrors();
    void rateLimitWait_data();
    void rateLimitWait();
    void replyHeaders_data();
    void replyHeaders();
};

namespace {

const QDateTime Noon(QDate(2026, 11, 24), QTime(12, 0, 0), Qt::UTC);

/// A table's number: NaN stands for "nothing".
void compareOptional(const std::optional<double>& actual, double expected)
{
    QCOMPARE(actual.has_value(), !qIsNaN(expected));
    if (actual)
        QCOMPARE(*actual, expected);
}

} // namespace

void TestSegmindApi::defaultApiBaseComesFromTheEnvironment()
{
    const QUrl segmind(u"https://api.segmind.com/v1"_s);
    qunsetenv("MUSICGEN_API_BASE");
    QCOMPARE(SegmindApi::defaultApiBase(), segmind);
    qputenv("MUSICGEN_API_BASE", "http://127.0.0.1:8765/v1");
    QCOMPARE(SegmindApi::defaultApiBase(), QUrl(u"http://127.0.0.1:8765/v1"_s));
    qputenv("MUSICGEN_API_BASE", ""); // set but empty counts as unset
    QCOMPARE(SegmindApi::defaultApiBase(), segmind);
    qputenv("MUSICGEN_API_BASE", "http://exa mple.com/v1"); // left for the caller to report, never "repaired"
    QVERIFY(!SegmindApi::defaultApiBase().isValid());
    qunsetenv("MUSICGEN_API_BASE");
}

void TestSegmindApi::urls_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("generate");
    QTest::addColumn<QString>("credits");
    QTest::newRow("default") << u"https://api.segmind.com/v1"_s << u"https://api.segmind.com/v1/meta-musicgen-medium"_s
                             << u"https://api.segmind.com/v1/get-user-credits"_s;
    QTest::newRow("trailing slash") << u"https://api.segmind.com/v1/"_s
                                    << u"https://api.segmind.com/v1/meta-musicgen-medium"_s
                                    << u"https://api.segmind.com/v1/get-user-credits"_s;
    QTest::newRow("loopback with port") << u"http://127.0.0.1:8080/v1"_s
                                        << u"http://127.0.0.1:8080/v1/meta-musicgen-medium"_s
                                        << u"http://127.0.0.1:8080/v1/get-user-credits"_s;
    QTest::newRow("no path") << u"http://localhost:9"_s << u"http://localhost:9/meta-musicgen-medium"_s
                             << u"http://localhost:9/get-user-credits"_s;
}

void TestSegmindApi::urls()
{
    QFETCH(QString, base);
    QFETCH(QString, generate);
    QFETCH(QString, credits);
    QCOMPARE(SegmindApi::generateUrl(QUrl(base)).toString(), generate);
    QCOMPARE(SegmindApi::creditsUrl(QUrl(base)).toString(), credits);
}

void TestSegmindApi::bodyKeepsThePromptExactly_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::newRow("plain") << u"lo-fi music with a soothing melody"_s;
    QTest::newRow("quotes and backslashes") << u"say \"hi\" \\ and {braces}"_s;
    QTest::newRow("emoji and RTL") << u"🎹 piano — موسيقى هادئة"_s;
    QTest::newRow("control characters and NUL") << QString(u"a\u0000b\u0007c\nd"_s);
    QTest::newRow("surrounding spaces kept") << u"  spaced  "_s;
}

void TestSegmindApi::bodyKeepsThePromptExactly()
{
    QFETCH(QString, prompt);
    const QByteArray body = SegmindApi::generateBody(GenerationRequest{prompt, 17, 4242});
    QJsonParseError error{};
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(object.size(), 3);
    QCOMPARE(object.value("prompt"_L1).toString(), prompt);
    QCOMPARE(object.value("duration"_L1).toInt(), 17);
    QCOMPARE(object.value("seed"_L1).toInt(), 4242);
}

void TestSegmindApi::statusMapping_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("200") << 200 << ErrorKind::None << false;
    QTest::newRow("400") << 400 << ErrorKind::InvalidRequest << false;
    QTest::newRow("401") << 401 << ErrorKind::Authentication << false;
    QTest::newRow("403") << 403 << ErrorKind::Authentication << false;
    QTest::newRow("404") << 404 << ErrorKind::NotFound << false;
    QTest::newRow("405") << 405 << ErrorKind::NotFound << false;
    QTest::newRow("406") << 406 << ErrorKind::InsufficientCredits << false;
    QTest::newRow("410") << 410 << ErrorKind::ModelRetired << false;
    QTest::newRow("422") << 422 << ErrorKind::InvalidRequest << false;
    QTest::newRow("429") << 429 << ErrorKind::RateLimited << true;
    QTest::newRow("500") << 500 << ErrorKind::Server << true;
    QTest::newRow("501") << 501 << ErrorKind::Server << false;
    QTest::newRow("502") << 502 << ErrorKind::Server << true;
    QTest::newRow("503") << 503 << ErrorKind::Server << true;
    QTest::newRow("504") << 504 << ErrorKind::Server << true;
    QTest::newRow("418") << 418 << ErrorKind::Server << false;
}

void TestSegmindApi::statusMapping()
{
    QFETCH(int, status);
    QFETCH(ErrorKind, kind);
    QFETCH(bool, retryable);
    QCOMPARE(SegmindApi::errorKindForStatus(status), kind);
    QCOMPARE(SegmindApi::isRetryableStatus(status), retryable);
}

void TestSegmindApi::errorMessages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("error string") << QByteArray(R"({"error":"Not enough credits"})") << u"Not enough credits"_s;
    QTest::newRow("message string") << QByteArray(R"({"message":"Invalid API key"})") << u"Invalid API key"_s;
    QTest::newRow("error object") << QByteArray(R"({"error":{"message":"seed out of range","code":7}})")
                                  << u"seed out of range"_s;
    QTest::newRow("error wins over message") << QByteArray(R"({"error":"first","message":"second"})") << u"first"_s;
    QTest::newRow("control characters cleaned")
        << QByteArray("{\"error\":\"bad\\u0007 \\u001b[31mred\\u001b[0m\\n\\tline\"}") << u"bad [31mred [0m line"_s;
    QTest::newRow("plain text") << QByteArray("  upstream   timed out \r\n") << u"upstream timed out"_s;
    QTest::newRow("html page") << QByteArray("<!DOCTYPE html><html><body>502</body></html>") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("json without message") << QByteArray(R"({"status":"fail"})") << QString();
    QTest::newRow("description over code")
        << QByteArray(R"({"error":"invalid_api_key","error_description":"API key is invalid."})")
        << u"API key is invalid."_s;
    QTest::newRow("detail") << QByteArray(R"({"detail":"Not Found"})") << u"Not Found"_s;
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe oops") << u"\uFFFD\uFFFD oops"_s;
    QTest::newRow("capped") << (QByteArray(R"({"error":")") + QByteArray(1000, 'x') + QByteArray(R"("})"))
                            << (QString(300, u'x') + u'…');
}

void TestSegmindApi::errorMessages()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QCOMPARE(SegmindApi::parseErrorMessage(body), message);
}

void TestSegmindApi::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: nothing
    QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray("  7 ") << qint64(7000);
    QTest::newRow("IMF-fixdate in 30 s") << QByteArray("Tue, 24 Nov 2026 12:00:30 GMT") << qint64(30000);
    QTest::newRow("date in the past") << QByteArray("Tue, 24 Nov 2026 11:59:00 GMT") << qint64(0);
    QTest::newRow("RFC 850 date") << QByteArray("Tuesday, 24-Nov-26 12:01:00 GMT") << qint64(60000);
    QTest::newRow("asctime date") << QByteArray("Tue Nov 24 12:00:10 2026") << qint64(10000);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-3") << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("huge number") << QByteArray("99999999999999999999999") << qint64(-1);
    QTest::newRow("capped at a day") << QByteArray("3333330000003333333") << qint64(86400000);
}

void TestSegmindApi::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    const QDateTime now(QDate(2026, 11, 24), QTime(12, 0, 0), Qt::UTC);
    const auto parsed = SegmindApi::parseRetryAfter(value, now);
    if (expectedMs < 0) {
        QVERIFY(!parsed.has_value());
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, expectedMs);
    }
}

void TestSegmindApi::creditsHeader_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<double>("credits"); // NaN: nothing
    QTest::newRow("integer") << QByteArray("12") << 12.0;
    QTest::newRow("decimal") << QByteArray(" 4.963 ") << 4.963;
    QTest::newRow("absent") << QByteArray() << qQNaN();
    QTest::newRow("garbage") << QByteArray("lots") << qQNaN();
    QTest::newRow("infinity") << QByteArray("inf") << qQNaN();
}

void TestSegmindApi::creditsHeader()
{
    QFETCH(QByteArray, value);
    QFETCH(double, credits);
    const auto parsed = SegmindApi::parseCreditsHeader(value);
    QCOMPARE(parsed.has_value(), !qIsNaN(credits));
    if (parsed)
        QCOMPARE(*parsed, credits);
}

void TestSegmindApi::creditsBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("credits");
    QTest::addColumn<double>("freeCredits");
    QTest::newRow("documented") << QByteArray(R"({"credits": 9.5, "free-credits": 1})") << true << 9.5 << 1.0;
    QTest::newRow("no free credits") << QByteArray(R"({"credits": 3})") << true << 3.0 << 0.0;
    QTest::newRow("string credits") << QByteArray(R"({"credits": "3"})") << false << 0.0 << 0.0;
    QTest::newRow("html") << QByteArray("<html></html>") << false << 0.0 << 0.0;
}

void TestSegmindApi::creditsBody()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QFETCH(double, credits);
    QFETCH(double, freeCredits);
    const auto parsed = SegmindApi::parseCreditsBody(body);
    QCOMPARE(parsed.has_value(), valid);
    if (parsed) {
        QCOMPARE(parsed->credits, credits);
        QCOMPARE(parsed->freeCredits, freeCredits);
    }
}

void TestSegmindApi::v2Urls_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("v2"); // the root every v2 URL starts with
    QTest::newRow("segmind") << u"https://api.segmind.com/v1"_s << u"https://api.segmind.com/v2"_s;
    QTest::newRow("trailing slashes") << u"https://api.segmind.com/v1//"_s << u"https://api.segmind.com/v2"_s;
    QTest::newRow("already v2") << u"https://api.segmind.com/v2/"_s << u"https://api.segmind.com/v2"_s;
    QTest::newRow("loopback") << u"http://127.0.0.1:8765/v1"_s << u"http://127.0.0.1:8765/v2"_s;
    QTest::newRow("no path") << u"http://localhost:9"_s << u"http://localhost:9/v2"_s;
    QTest::newRow("root") << u"http://localhost:9/"_s << u"http://localhost:9/v2"_s;
    QTest::newRow("proxy prefix") << u"https://proxy.example/segmind/"_s << u"https://proxy.example/segmind/v2"_s;
    QTest::newRow("v1 inside") << u"https://proxy.example/v1/segmind"_s << u"https://proxy.example/v1/segmind/v2"_s;
    QTest::newRow("v10 is not v1") << u"https://proxy.example/v10"_s << u"https://proxy.example/v10/v2"_s;
    QTest::newRow("encoded prefix") << u"http://h/my%20proxy/v1"_s << u"http://h/my%20proxy/v2"_s;
}

void TestSegmindApi::v2Urls()
{
    QFETCH(QString, base);
    QFETCH(QString, v2);
    const QUrl apiBase(base);
    const auto encoded = [](const QUrl& url) { return url.toString(QUrl::FullyEncoded); };
    QCOMPARE(encoded(SegmindApi::submitUrl(apiBase)), v2 + u"/meta-musicgen-medium"_s);
    const QString id = u"7c2e4a10-9b1d-4f7e-8a55-3e0c6d1f2b9a"_s;
    QCOMPARE(encoded(SegmindApi::statusUrl(apiBase, id)), v2 + u"/requests/"_s + id + u"/status"_s);
    QCOMPARE(encoded(SegmindApi::resultUrl(apiBase, id)), v2 + u"/requests/"_s + id);
    // The v1 URLs stay as they were.
    QCOMPARE(SegmindApi::generateUrl(QUrl(u"https://api.segmind.com/v1"_s)).path(), u"/v1/meta-musicgen-medium"_s);
}

void TestSegmindApi::requestIdsStayOneSegment_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("segment"); // as it appears in the URL; empty: refused, no URL at all
    QTest::newRow("uuid") << u"7c2e4a10-9b1d-4f7e-8a55-3e0c6d1f2b9a"_s << u"7c2e4a10-9b1d-4f7e-8a55-3e0c6d1f2b9a"_s;
    QTest::newRow("slash") << u"a/b"_s << u"a%2Fb"_s;
    QTest::newRow("climbing") << u"../../v1/meta-musicgen-medium"_s << u"..%2F..%2Fv1%2Fmeta-musicgen-medium"_s;
    QTest::newRow("query and fragment") << u"a?x=1#f"_s << u"a%3Fx%3D1%23f"_s;
    QTest::newRow("percent") << u"50%2F"_s << u"50%252F"_s;
    QTest::newRow("backslash") << u"a\\b"_s << u"a%5Cb"_s;
    QTest::newRow("longest") << QString(128, u'x') << QString(128, u'x');
    QTest::newRow("too long") << QString(129, u'x') << QString();
    QTest::newRow("dot") << u"."_s << QString();
    QTest::newRow("dot dot") << u".."_s << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("space") << u"a b"_s << QString();
    QTest::newRow("newline") << u"a\r\nHost: evil"_s << QString();
    QTest::newRow("not ASCII") << u"ré"_s << QString();
}

void TestSegmindApi::requestIdsStayOneSegment()
{
    QFETCH(QString, id);
    QFETCH(QString, segment);
    const QUrl base(u"https://api.segmind.com/v1"_s);
    QCOMPARE(SegmindApi::isUsableRequestId(id), !segment.isEmpty());
    const QUrl status = SegmindApi::statusUrl(base, id);
    const QUrl result = SegmindApi::resultUrl(base, id);
    if (segment.isEmpty()) {
        QVERIFY(status.isEmpty());
        QVERIFY(result.isEmpty());
        return;
    }
    QCOMPARE(status.toString(QUrl::FullyEncoded), u"https://api.segmind.com/v2/requests/"_s + segment + u"/status"_s);
    QCOMPARE(result.toString(QUrl::FullyEncoded), u"https://api.segmind.com/v2/requests/"_s + segment);
    QCOMPARE(status.host(), u"api.segmind.com"_s);
    QVERIFY(!status.hasQuery() && !status.hasFragment());
    // What the server reads back is the id itself, as one segment.
    QCOMPARE(result.path(QUrl::FullyEncoded).section(u'/', -1), segment);
    QCOMPARE(QUrl::fromPercentEncoding(segment.toLatin1()), id);
}

void TestSegmindApi::submitReply_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("id"); // empty: nothing
    QTest::addColumn<SegmindApi::QueueStatus>("status");
    QTest::addColumn<QString>("statusUrl");
    using S = SegmindApi::QueueStatus;
    QTest::newRow("documented") << QByteArray(R"({"request_id": "7c2e4a10", "status": "QUEUED",
        "poll_url": "https://api.segmind.com/v2/requests/7c2e4a10/status",
        "status_url": "https://api.segmind.com/v2/requests/7c2e4a10/status",
        "response_url": "https://api.segmind.com/v2/requests/7c2e4a10"})")
                                << u"7c2e4a10"_s << S::Queued
                                << u"https://api.segmind.com/v2/requests/7c2e4a10/status"_s;
    QTest::newRow("id only") << QByteArray(R"({"request_id":"r1"})") << u"r1"_s << S::Unknown << QString();
    QTest::newRow("lower-case status") << QByteArray(R"({"request_id":"r1","status":" queued "})") << u"r1"_s
                                       << S::Queued << QString();
    QTest::newRow("script URL dropped") << QByteArray(R"({"request_id":"r1","status_url":"javascript:play"})")
                                        << u"r1"_s << S::Unknown << QString();
    QTest::newRow("relative URL dropped")
        << QByteArray(R"({"request_id":"r1","status_url":"/v2/requests/r1"})") << u"r1"_s << S::Unknown << QString();
    QTest::newRow("file URL dropped") << QByteArray(R"({"request_id":"r1","status_url":"file:///etc/passwd"})")
                                      << u"r1"_s << S::Unknown << QString();
    QTest::newRow("no id") << QByteArray(R"({"status":"QUEUED"})") << QString() << S::Unknown << QString();
    QTest::newRow("numeric id") << QByteArray(R"({"request_id":42})") << QString() << S::Unknown << QString();
    QTest::newRow("empty id") << QByteArray(R"({"request_id":""})") << QString() << S::Unknown << QString();
    QTest::newRow("id climbing") << QByteArray(R"({"request_id":".."})") << QString() << S::Unknown << QString();
    QTest::newRow("id with a space") << QByteArray(R"({"request_id":"a b"})") << QString() << S::Unknown << QString();
    QTest::newRow("list") << QByteArray(R"([{"request_id":"r1"}])") << QString() << S::Unknown << QString();
    QTest::newRow("html") << QByteArray("<html>queued</html>") << QString() << S::Unknown << QString();
    QTest::newRow("empty") << QByteArray() << QString() << S::Unknown << QString();
}

void TestSegmindApi::submitReply()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, id);
    QFETCH(SegmindApi::QueueStatus, status);
    QFETCH(QString, statusUrl);
    const auto reply = SegmindApi::parseSubmitReply(body);
    QCOMPARE(reply.has_value(), !id.isEmpty());
    if (!reply)
        return;
    QCOMPARE(reply->requestId, id);
    QCOMPARE(reply->status, status);
    QCOMPARE(reply->statusUrl.toString(), statusUrl);
    QCOMPARE(reply->pollUrl.toString(), statusUrl);
    QCOMPARE(reply->responseUrl.isEmpty(), statusUrl.isEmpty());
}

void TestSegmindApi::statusReply_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<SegmindApi::QueueStatus>("status");
    using S = SegmindApi::QueueStatus;
    QTest::newRow("queued") << QByteArray(R"({"status":"QUEUED"})") << S::Queued;
    QTest::newRow("processing") << QByteArray(R"({"status":"PROCESSING"})") << S::Processing;
    QTest::newRow("completed") << QByteArray(R"({"status":"COMPLETED"})") << S::Completed;
    QTest::newRow("failed") << QByteArray(R"({"status":"FAILED","error":"x"})") << S::Failed;
    QTest::newRow("mixed case") << QByteArray(R"({"status":"Processing"})") << S::Processing;
    QTest::newRow("undocumented word") << QByteArray(R"({"status":"IN_PROGRESS"})") << S::Unknown;
    QTest::newRow("number") << QByteArray(R"({"status":2})") << S::Unknown;
    QTest::newRow("no status") << QByteArray(R"({"error":"Request r1 not found"})") << S::Unknown;
    QTest::newRow("plain text") << QByteArray("COMPLETED") << S::Unknown;
}

void TestSegmindApi::statusReply()
{
    QFETCH(QByteArray, body);
    QFETCH(SegmindApi::QueueStatus, status);
    QCOMPARE(SegmindApi::parseStatusReply(body), status);
}

void TestSegmindApi::resultAudio_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<QString>("whyNot"); // a word of whyNoAudio when there is no audio
    const QString wav = u"https://cdn.segmind.com/out/a.wav"_s;
    const QByteArray riff("RIFF$\0\0\0WAVE", 12);
    QTest::newRow("output URL") << QByteArray(R"({"status":"COMPLETED","output":"https://cdn.segmind.com/out/a.wav"})")
                                << wav << QByteArray() << QString() << QString();
    QTest::newRow("output list, first usable")
        << QByteArray(
               R"({"output":["", 7, "ftp://cdn/x.wav", "https://cdn.segmind.com/out/a.wav", "https://b/b.wav"]})")
        << wav << QByteArray() << QString() << QString();
    QTest::newRow("output list of objects")
        << QByteArray(R"({"output":[{"url":"https://cdn.segmind.com/out/a.wav","content_type":"audio/wav"}]})") << wav
        << QByteArray() << u"audio/wav"_s << QString();
    QTest::newRow("output object") << QByteArray(R"({"output":{"url":" https://cdn.segmind.com/out/a.wav "}})") << wav
                                   << QByteArray() << QString() << QString();
    QTest::newRow("audio object")
        << QByteArray(R"({"audio":{"url":"https://cdn.segmind.com/out/a.wav","content_type":"audio/mpeg"}})") << wav
        << QByteArray() << u"audio/mpeg"_s << QString();
    QTest::newRow("audio string") << QByteArray(R"({"audio":"https://cdn.segmind.com/out/a.wav"})") << wav
                                  << QByteArray() << QString() << QString();
    QTest::newRow("output before audio")
        << QByteArray(R"({"audio":{"url":"https://b/b.wav"},"output":"https://cdn.segmind.com/out/a.wav"})") << wav
        << QByteArray() << QString() << QString();
    QTest::newRow("data URL, base64") << QByteArray(R"({"output":"data:audio/wav;base64,UklGRiQAAABXQVZF"})")
                                      << QString() << riff << u"audio/wav"_s << QString();
    QTest::newRow("data URL, percent-encoded") << QByteArray(R"({"output":"data:audio/wav,RIFF%24%00%00%00WAVE"})")
                                               << QString() << riff << u"audio/wav"_s << QString();
    QTest::newRow("data URL in audio.url")
        << QByteArray(R"({"audio":{"url":"DATA:audio/wav;charset=x;BASE64,UklGRiQAAABXQVZF"}})") << QString() << riff
        << u"audio/wav"_s << QString();
    QTest::newRow("bare base64") << QByteArray(R"({"output":"UklGRiQAAABXQVZF"})") << QString() << riff << QString()
                                 << QString();
    QTest::newRow("base64 with line breaks")
        << QByteArray(R"({"output":"UklGRiQA\r\nAABXQVZF\n"})") << QString() << riff << QString() << QString();
    QTest::newRow("base64url") << QByteArray(R"({"output":"-_-_"})") << QString() << QByteArray("\xfb\xff\xbf", 3)
                               << QString() << QString();
    QTest::newRow("file URL") << QByteArray(R"({"output":"file:///etc/passwd"})") << QString() << QByteArray()
                              << QString() << u"web address"_s;
    QTest::newRow("script URL") << QByteArray(R"({"output":{"url":"javascript:play"}})") << QString() << QByteArray()
                                << QString() << u"web address"_s;
    QTest::newRow("no host") << QByteArray(R"({"output":"http:///a.wav"})") << QString() << QByteArray() << QString()
                             << u"web address"_s;
    QTest::newRow("relative URL") << QByteArray(R"({"output":"/files/a.wav"})") << QString() << QByteArray()
                                  << QString() << u"neither"_s;
    QTest::newRow("bad base64 data URL") << QByteArray(R"({"output":"data:audio/wav;base64,@@@@"})") << QString()
                                         << QByteArray() << QString() << u"decoded"_s;
    QTest::newRow("data URL without data") << QByteArray(R"({"output":"data:audio/wav;base64"})") << QString()
                                           << QByteArray() << QString() << u"decoded"_s;
    QTest::newRow("empty data URL") << QByteArray(R"({"output":"data:audio/wav;base64,"})") << QString() << QByteArray()
                                    << QString() << u"decoded"_s;
    QTest::newRow("output a number") << QByteArray(R"({"status":"COMPLETED","output":5})") << QString() << QByteArray()
                                     << QString() << u"no audio"_s;
    QTest::newRow("no output") << QByteArray(R"({"status":"COMPLETED"})") << QString() << QByteArray() << QString()
                               << u"no audio"_s;
    QTest::newRow("not JSON") << QByteArray("https://cdn.segmind.com/out/a.wav") << QString() << QByteArray()
                              << QString() << u"no audio"_s;
}

void TestSegmindApi::resultAudio()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, url);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, contentType);
    QFETCH(QString, whyNot);
    const SegmindApi::ResultReply reply = SegmindApi::parseResultReply(body);
    QCOMPARE(reply.audio.url.toString(), url);
    QCOMPARE(reply.audio.bytes, bytes);
    QCOMPARE(reply.audio.contentType, contentType);
    QCOMPARE(reply.audio.isEmpty(), !whyNot.isEmpty());
    if (whyNot.isEmpty())
        QVERIFY(reply.whyNoAudio.isEmpty());
    else
        QVERIFY2(reply.whyNoAudio.contains(whyNot), qPrintable(reply.whyNoAudio));
}

void TestSegmindApi::resultFacts_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<SegmindApi::QueueStatus>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<double>("cost"); // NaN: nothing, as for the other figures
    QTest::addColumn<double>("credits");
    QTest::addColumn<double>("inference");
    QTest::addColumn<double>("queue");
    QTest::addColumn<double>("total");
    using S = SegmindApi::QueueStatus;
    const double none = qQNaN();
    QTest::newRow("documented") << QByteArray(R"({"status":"COMPLETED","output":"https://c/a.wav","metrics":
        {"cost":0.037,"remaining_credits":12.5,"inference_time":21.4,"queue_time":0.8,"total_time":22.2}})")
                                << S::Completed << QString() << 0.037 << 12.5 << 21.4 << 0.8 << 22.2;
    QTest::newRow("failed") << QByteArray(R"({"status":"FAILED","error":"CUDA out\nof memory","metrics":{"cost":0}})")
                            << S::Failed << u"CUDA out of memory"_s << 0.0 << none << none << none << none;
    QTest::newRow("error object") << QByteArray(R"({"status":"FAILED","error":{"message":"bad prompt"}})") << S::Failed
                                  << u"bad prompt"_s << none << none << none << none << none;
    QTest::newRow("numeric strings") << QByteArray(R"({"metrics":{"cost":" 0.04","remaining_credits":"-1.5"}})")
                                     << S::Unknown << QString() << 0.04 << -1.5 << none << none << none;
    QTest::newRow("refused figures")
        << QByteArray(R"({"metrics":{"cost":-1,"remaining_credits":"inf","inference_time":"soon","queue_time":null,
                      "total_time":[1]}})")
        << S::Unknown << QString() << none << none << none << none << none;
    QTest::newRow("metrics not an object")
        << QByteArray(R"({"metrics":[0.037]})") << S::Unknown << QString() << none << none << none << none << none;
    QTest::newRow("not JSON") << QByteArray("\xff\x00{") << S::Unknown << QString() << none << none << none << none
                              << none;
}

void TestSegmindApi::resultFacts()
{
    QFETCH(QByteArray, body);
    QFETCH(SegmindApi::QueueStatus, status);
    QFETCH(QString, error);
    QFETCH(double, cost);
    QFETCH(double, credits);
    QFETCH(double, inference);
    QFETCH(double, queue);
    QFETCH(double, total);
    const SegmindApi::ResultReply reply = SegmindApi::parseResultReply(body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.error, error);
    compareOptional(reply.metrics.cost, cost);
    compareOptional(reply.metrics.remainingCredits, credits);
    compareOptional(reply.metrics.inferenceSeconds, inference);
    compareOptional(reply.metrics.queueSeconds, queue);
    compareOptional(reply.metrics.totalSeconds, total);
}

void TestSegmindApi::classifiedErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("advice"); // a phrase of the advice shown; empty: the kind's usual advice
    QTest::addColumn<int>("exitCode");
    QTest::newRow("401 no key arrived") << 401
                                        << QByteArray(R"({"error": "Missing Authorization or x-api-key in header"})")
                                        << ErrorKind::Authentication
                                        << u"Missing Authorization or x-api-key in header"_s
                                        << u"a new key will not help"_s << 3;
    QTest::newRow("401 invalid key")
        << 401
        << QByteArray(R"({"error":"invalid_api_key","error_description":"API key is invalid.","status_code":401})")
        << ErrorKind::Authentication << u"API key is invalid."_s << QString() << 3;
    QTest::newRow("401 expired key") << 401 << QByteArray(R"({"error":"API key expired"})") << ErrorKind::Authentication
                                     << u"API key expired"_s << QString() << 3;
    QTest::newRow("403") << 403 << QByteArray(R"({"error":"Forbidden"})") << ErrorKind::Authentication << u"Forbidden"_s
                         << QString() << 3;
    QTest::newRow("406 content type") << 406 << QByteArray(R"({"error":"Invalid content type"})")
                                      << ErrorKind::InvalidRequest << u"Invalid content type"_s
                                      << u"fault in MusicGen Studio"_s << 6;
    QTest::newRow("406 insufficient credits")
        << 406 << QByteArray(R"({"error":"Insufficient credits: balance $0.01, this request needs $0.037"})")
        << ErrorKind::InsufficientCredits << u"Insufficient credits: balance $0.01, this request needs $0.037"_s
        << QString() << 4;
    QTest::newRow("406 spend limit") << 406 << QByteArray(R"({"error":"Team spend limit reached"})")
                                     << ErrorKind::InsufficientCredits << u"Team spend limit reached"_s
                                     << u"spend limit in the Segmind console"_s << 4;
    QTest::newRow("406 other") << 406 << QByteArray("Not Acceptable") << ErrorKind::InsufficientCredits
                               << u"Not Acceptable"_s << QString() << 4;
    QTest::newRow("410 retired") << 410 << QByteArray(R"({"error":"This model has been deprecated"})")
                                 << ErrorKind::ModelRetired << u"This model has been deprecated"_s << QString() << 6;
    QTest::newRow("422 failed") << 422
                                << QByteArray(R"({"status":"FAILED","error":"Generation failed","metrics":{"cost":0}})")
                                << ErrorKind::GenerationFailed << u"Generation failed"_s << QString() << 6;
    QTest::newRow("422 validation") << 422 << QByteArray(R"({"detail":[{"msg":"field required"}]})")
                                    << ErrorKind::InvalidRequest << QString() << QString() << 6;
    QTest::newRow("405 page") << 405 << QByteArray("<html><body><h1>405 Not Allowed</h1></body></html>")
                              << ErrorKind::NotFound << QString() << QString() << 6;
    QTest::newRow("410 page") << 410 << QByteArray("\n <!DOCTYPE html><title>Gone</title>") << ErrorKind::ModelRetired
                              << QString() << QString() << 6;
    QTest::newRow("502 page") << 502 << QByteArray("<html>Bad Gateway</html>") << ErrorKind::Server << QString()
                              << QString() << 6;
    QTest::newRow("429") << 429 << QByteArray("rate_limit_exceeded") << ErrorKind::RateLimited
                         << u"rate_limit_exceeded"_s << QString() << 5;
    QTest::newRow("404 expired record") << 404 << QByteArray(R"({"error":"Request 7c2e not found"})")
                                        << ErrorKind::NotFound << u"Request 7c2e not found"_s << QString() << 6;
}

void TestSegmindApi::classifiedErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, message);
    QFETCH(QString, advice);
    QFETCH(int, exitCode);
    const GenerationError error = SegmindApi::classifyError(status, body);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.serverMessage, message);
    QCOMPARE(exitCodeFor(error.kind), exitCode);
    const QString text = error.toUserText();
    QVERIFY2(text.startsWith(errorKindSummary(kind) + u" (HTTP %1)"_s.arg(status)), qPrintable(text));
    QVERIFY2(!text.contains(u'<'), qPrintable(text));
    if (advice.isEmpty()) {
        QVERIFY(error.advice.isEmpty());
        QVERIFY2(text.endsWith(u" — "_s + errorKindAdvice(kind)), qPrintable(text));
    } else {
        QVERIFY2(error.advice.contains(advice), qPrintable(error.advice));
        QVERIFY2(text.endsWith(u" — "_s + error.advice), qPrintable(text)); // instead of the kind's advice
    }
}

void TestSegmindApi::rateLimitWait_data()
{
    QTest::addColumn<QByteArray>("resetAt");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<qint64>("resetMs"); // -1: nothing
    QTest::addColumn<qint64>("waitMs");
    QTest::newRow("Z") << QByteArray("2026-11-24T12:01:00Z") << QByteArray() << qint64(60000) << qint64(60000);
    QTest::newRow("milliseconds") << QByteArray("2026-11-24T12:00:05.250Z") << QByteArray() << qint64(5250)
                                  << qint64(5250);
    QTest::newRow("microseconds") << QByteArray("2026-11-24T12:00:05.250400Z") << QByteArray() << qint64(5250)
                                  << qint64(5250);
    QTest::newRow("no zone means UTC") << QByteArray(" 2026-11-24T12:00:30 ") << QByteArray() << qint64(30000)
                                       << qint64(30000);
    QTest::newRow("offset") << QByteArray("2026-11-24T13:00:10+01:00") << QByteArray() << qint64(10000)
                            << qint64(10000);
    QTest::newRow("past") << QByteArray("2026-11-24T11:59:00Z") << QByteArray() << qint64(0) << qint64(0);
    QTest::newRow("Retry-After later") << QByteArray("2026-11-24T12:00:10Z") << QByteArray("90") << qint64(10000)
                                       << qint64(90000);
    QTest::newRow("reset later") << QByteArray("2026-11-24T12:01:00Z") << QByteArray("2") << qint64(60000)
                                 << qint64(60000);
    QTest::newRow("only Retry-After") << QByteArray() << QByteArray("7") << qint64(-1) << qint64(7000);
    QTest::newRow("garbage reset") << QByteArray("in a minute") << QByteArray("7") << qint64(-1) << qint64(7000);
    QTest::newRow("garbage both") << QByteArray("soon") << QByteArray("later") << qint64(-1) << qint64(-1);
    QTest::newRow("neither") << QByteArray() << QByteArray() << qint64(-1) << qint64(-1);
    QTest::newRow("epoch seconds") << QByteArray("1795521660") << QByteArray() << qint64(-1) << qint64(-1);
    QTest::newRow("invalid date") << QByteArray("2026-02-30T12:00:00Z") << QByteArray() << qint64(-1) << qint64(-1);
    QTest::newRow("overlong") << (QByteArray("2026-11-24T12:01:00") + QByteArray(100, '0') + 'Z') << QByteArray()
                              << qint64(-1) << qint64(-1);
}

void TestSegmindApi::rateLimitWait()
{
    QFETCH(QByteArray, resetAt);
    QFETCH(QByteArray, retryAfter);
    QFETCH(qint64, resetMs);
    QFETCH(qint64, waitMs);
    const auto reset = SegmindApi::parseRateLimitReset(resetAt, Noon);
    QCOMPARE(reset.value_or(-1), resetMs);
    QCOMPARE(SegmindApi::rateLimitWaitMs(retryAfter, resetAt, Noon).value_or(-1), waitMs);
}

void TestSegmindApi::replyHeaders_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<double>("cost"); // NaN: nothing
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<int>("seed"); // -1: nothing
    QTest::newRow("typical cost") << QByteArray("0.037") << 0.037 << u"0.037"_s << -1;
    QTest::newRow("whole number") << QByteArray(" 4242 ") << 4242.0 << u"4242"_s << 4242;
    QTest::newRow("zero") << QByteArray("0") << 0.0 << u"0"_s << 0;
    QTest::newRow("largest seed") << QByteArray("9999") << 9999.0 << u"9999"_s << 9999;
    QTest::newRow("seed out of range") << QByteArray("10000") << 10000.0 << u"10000"_s << -1;
    QTest::newRow("negative") << QByteArray("-1") << qQNaN() << u"-1"_s << -1;
    QTest::newRow("dollar sign") << QByteArray("$0.037") << 0.037 << u"$0.037"_s << -1;
    QTest::newRow("fraction") << QByteArray("1.5") << 1.5 << u"1.5"_s << -1;
    QTest::newRow("uuid") << QByteArray("7c2e4a10-9b1d-4f7e") << qQNaN() << u"7c2e4a10-9b1d-4f7e"_s << -1;
    QTest::newRow("control and spaces dropped") << QByteArray("ab\x01 c\x7f\xc3\xa9"
                                                              "d")
                                                << qQNaN() << u"abcd"_s << -1;
    QTest::newRow("capped") << QByteArray(500, 'r') << qQNaN() << QString(128, u'r') << -1;
    QTest::newRow("infinity") << QByteArray("inf") << qQNaN() << u"inf"_s << -1;
    QTest::newRow("empty") << QByteArray() << qQNaN() << QString() << -1;
}

void TestSegmindApi::replyHeaders()
{
    QFETCH(QByteArray, value);
    QFETCH(double, cost);
    QFETCH(QString, requestId);
    QFETCH(int, seed);
    compareOptional(SegmindApi::parseCostHeader(value), cost);
    QCOMPARE(SegmindApi::parseRequestIdHeader(value), requestId);
    QCOMPARE(SegmindApi::parseSeedHeader(value).value_or(-1), seed);
}

QTEST_GUILESS_MAIN(TestSegmindApi)
#include "tst_SegmindApi.moc"
