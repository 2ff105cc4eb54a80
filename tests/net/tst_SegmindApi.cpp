#include "net/SegmindApi.h"

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
};

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
    QTest::newRow("406") << 406 << ErrorKind::InsufficientCredits << false;
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

QTEST_GUILESS_MAIN(TestSegmindApi)
#include "tst_SegmindApi.moc"
