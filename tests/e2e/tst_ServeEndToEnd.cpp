#include "ServeProcess.h"
#include "audio/AudioCodec.h"
#include "cli/GuardedTcpServer.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MiB = 1024 * 1024;
/// The server's limits on a request's header section and body (README, `serve`).
constexpr qint64 HeaderLimit = 16 * 1024;
constexpr qint64 BodyLimit = 16 * 1024;

/// The start of a request to the generate endpoint, up to the blank line, with `extra` header lines.
QByteArray postHead(const QByteArray& extra)
{
    return "POST /v1/meta-musicgen-medium HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: local\r\n"
           "Content-Type: application/json\r\n" +
           extra + "\r\n";
}

/// The value of header `name` in an answer's header section; empty when absent.
QByteArray headerValue(const QByteArray& head, const QByteArray& name)
{
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().toLower() == name)
            return line.sliced(colon + 1).trimmed();
    }
    return {};
}

} // namespace

/// `musicgen-cli serve` as a real server: the service, the CLI, curl-like raw requests and the API
/// documentation's own Python example all reach the offline engine over loopback HTTP.
class TestServeEndToEnd final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void theServiceGetsATakeOverHttp();
    void theCliWritesTheSameBytesTwice();
    void theCliKeepsTheServersCostAndRequestId();
    void theContractMatchesSegmind_data();
    void theContractMatchesSegmind();
    void aTakeCarriesSegmindsHeaders();
    void theDocumentationPythonExampleWorksUnchanged();
    void otherMethodsGet405AndOtherPaths404_data();
    void otherMethodsGet405AndOtherPaths404();
    void aSmallChunkedBodyIsServed();
    void expectContinueIsAnsweredAtOnce();
    void anOversizedExpectIsRefusedBeforeTheBody();
    void aLargeContentLengthBodyIsRefused();
    void aLargeChunkedBodyIsRefused();
    void aLargeHeaderLineIsRefused();
    void aRequestThatNeverEndsIsCutOff();
    void requestsAreServedAfterTheHostileOnes();
    void peakMemoryStaysBounded();

private:
    /// An answer read from a raw connection.
    struct RawReply
    {
        QByteArray interim; ///< a "100 Continue" before the answer, when one came
        int status = 0;
        QByteArray head; ///< the answer's status line and headers
        QByteArray body;
        bool closed = false; ///< the server closed the connection after the answer
    };
    /// `path` under the server's /v1.
    QUrl v1(const QString& path) const { return QUrl(m_serve.base() + u"/v1"_s + path); }
    int runCli(const QStringList& arguments, QString* out = nullptr);
    RawReply exchange(const QByteArray& head, qint64 bodyBytes = 0, const std::function<QByteArray()>& piece = {});
    static RawReply finish(QTcpSocket& socket, QByteArray received);
    static void expectRefusal(const RawReply& reply, int status, const QString& says);

    ServeProcess m_serve;
    QTemporaryDir m_work;
};

void TestServeEndToEnd::initTestCase()
{
    QString error;
    QVERIFY2(m_serve.start({u"--idle-exit"_s, u"120"_s}, &error), qPrintable(error));
}

void TestServeEndToEnd::cleanupTestCase()
{
    QString error;
    QVERIFY2(m_serve.stop(&error), qPrintable(error)); // SIGTERM: the server exits cleanly
}

int TestServeEndToEnd::runCli(const QStringList& arguments, QString* out)
{
    QProcess process;
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments(arguments);
    process.setWorkingDirectory(m_work.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SEGMIND_API_KEY"_s, u"local"_s);
    environment.insert(u"MUSICGEN_API_BASE"_s, m_serve.base() + u"/v1"_s);
    // A library and settings of its own, never the user's.
    for (const auto folder : {"DATA"_L1, "CONFIG"_L1, "CACHE"_L1})
        environment.insert(u"XDG_%1_HOME"_s.arg(folder), m_work.filePath(u"home/"_s + QString(folder).toLower()));
    process.setProcessEnvironment(environment);
    process.start();
    if (!process.waitForFinished(60000))
        return -1;
    if (out)
        *out = QString::fromUtf8(process.readAllStandardOutput());
    return process.exitCode();
}

void TestServeEndToEnd::theServiceGetsATakeOverHttp()
{
    NetworkGateway gateway;
    SegmindConfig config;
    config.apiBase = v1({});
    config.apiKey = "local";
    SegmindProvider provider(&gateway, config);
    std::unique_ptr<GenerationJob> job(provider.createJob({u"techno at 128 bpm"_s, 4, 11}, nullptr));
    QSignalSpy finished(job.get(), &GenerationJob::finished);
    job->start();
    QVERIFY(finished.wait(30000));
    const auto result = finished.constFirst().constFirst().value<GenerationResult>();
    QVERIFY2(result.ok(), qPrintable(result.error.toUserText()));
    QCOMPARE(result.audioInfo.format, AudioFormat::Wav);
    QCOMPARE(result.audioInfo.sampleRate, 32000);
    QCOMPARE(result.audioInfo.channels, 1);
    QCOMPARE(result.audioInfo.frames, qint64(4 * 32000));
}

void TestServeEndToEnd::theCliWritesTheSameBytesTwice()
{
    const QStringList arguments{
        u"generate"_s,   u"--provider"_s, u"segmind"_s, u"--prompt"_s, u"lo-fi hip hop with a soothing piano, 80 bpm"_s,
        u"--duration"_s, u"5"_s,          u"--seed"_s,  u"7"_s,        u"--output"_s};
    QCOMPARE(runCli(arguments + QStringList{u"a.wav"_s}), 0);
    QCOMPARE(runCli(arguments + QStringList{u"b.wav"_s}), 0);
    QFile a(m_work.filePath(u"a.wav"_s)), b(m_work.filePath(u"b.wav"_s));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray bytes = a.readAll();
    QCOMPARE(bytes.size(), 44 + 5 * 32000 * 2);
    QCOMPARE(b.readAll(), bytes); // deterministic over HTTP too
}

void TestServeEndToEnd::theCliKeepsTheServersCostAndRequestId()
{
    // Through the v2 queue (auto) and the v1 call: each take keeps what the server said it cost, and its request id.
    for (const QString& api : {u"auto"_s, u"v1"_s}) {
        QCOMPARE(runCli({u"generate"_s, u"--provider"_s, u"segmind"_s, u"--api"_s, api, u"--prompt"_s,
                         u"dub techno, "_s + api, u"--duration"_s, u"2"_s, u"--output"_s, api + u".wav"_s}),
                 0);
    }
    QString out;
    QCOMPARE(runCli({u"history"_s, u"--json"_s, u"--search"_s, u"dub techno"_s}, &out), 0);
    const QJsonArray takes = QJsonDocument::fromJson(out.toUtf8()).array();
    QCOMPARE(takes.size(), 2);
    QStringList ids;
    for (const QJsonValue& value : takes) {
        const QJsonObject take = value.toObject();
        QCOMPARE(take.value("cost_source"_L1).toString(), u"server"_s);
        QCOMPARE(take.value("cost"_L1).toDouble(-1), 0.0);
        QVERIFY(!take.value("request_id"_L1).toString().isEmpty());
        ids << take.value("request_id"_L1).toString();
    }
    QVERIFY(ids[0] != ids[1]);
}

void TestServeEndToEnd::theContractMatchesSegmind_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    const QString generate = u"/meta-musicgen-medium"_s;
    QTest::newRow("documented request")
        << QByteArray("POST") << generate
        << QByteArray(R"({"prompt":"lo-fi music with a soothing melody","duration":2,"seed":42})") << true << 200
        << QByteArray("audio/wav");
    QTest::newRow("defaults for duration and seed")
        << QByteArray("POST") << generate << QByteArray(R"({"prompt":"jazz"})") << true << 200
        << QByteArray("audio/wav");
    QTest::newRow("missing key") << QByteArray("POST") << generate << QByteArray(R"({"prompt":"jazz"})") << false << 401
                                 << QByteArray("application/json");
    QTest::newRow("duration 31") << QByteArray("POST") << generate << QByteArray(R"({"prompt":"x","duration":31})")
                                 << true << 400 << QByteArray("application/json");
    QTest::newRow("seed 10000") << QByteArray("POST") << generate << QByteArray(R"({"prompt":"x","seed":10000})")
                                << true << 400 << QByteArray("application/json");
    QTest::newRow("no prompt") << QByteArray("POST") << generate << QByteArray(R"({"duration":3})") << true << 400
                               << QByteArray("application/json");
    QTest::newRow("not json") << QByteArray("POST") << generate << QByteArray("prompt=x") << true << 400
                              << QByteArray("application/json");
    QTest::newRow("credits") << QByteArray("GET") << u"/get-user-credits"_s << QByteArray() << true << 200
                             << QByteArray("application/json");
    QTest::newRow("credits without key") << QByteArray("GET") << u"/get-user-credits"_s << QByteArray() << false << 401
                                         << QByteArray("application/json");
    QTest::newRow("unknown model") << QByteArray("POST") << u"/stable-diffusion"_s << QByteArray("{}") << true << 404
                                   << QByteArray("application/json");
}

void TestServeEndToEnd::theContractMatchesSegmind()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, withKey);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    const HttpReply reply = sendRequest(method, v1(path), body, withKey);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("content-type"), contentType);
    if (status == 200 && contentType == "audio/wav") {
        QVERIFY(AudioCodec::probe(reply.body).has_value());
    } else if (status == 401) {
        // Segmind's own words for a request whose key did not arrive.
        QCOMPARE(reply.json().value("error"_L1).toString(), u"Missing Authorization or x-api-key in header"_s);
    } else if (status != 200) {
        QVERIFY2(!reply.json().value("error"_L1).toString().isEmpty(), reply.body.constData());
    } else {
        QVERIFY(QJsonDocument::fromJson(reply.body).object().value("credits"_L1).isDouble());
    }
}

void TestServeEndToEnd::aTakeCarriesSegmindsHeaders()
{
    const HttpReply reply =
        sendRequest("POST", v1(u"/meta-musicgen-medium"_s), R"({"prompt":"funk with brass","duration":1,"seed":-1})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("x-cost"), QByteArray("0"));
    QVERIFY(reply.header("x-remaining-credits").toLongLong() > 0);
    QVERIFY(reply.header("x-generation-time").toDouble() >= 0.0);
    QVERIFY2(!QUuid::fromString(QString::fromLatin1(reply.header("x-request-id"))).isNull(),
             reply.header("x-request-id").constData());
    // The seed the server drew for -1, so the take can be made again.
    bool isNumber = false;
    const int seed = reply.header("x-seed-value").toInt(&isNumber);
    QVERIFY(isNumber && seed >= 0 && seed <= 9999);
    QCOMPARE(reply.header("x-seed"), reply.header("x-seed-value"));
    const HttpReply again =
        sendRequest("POST", v1(u"/meta-musicgen-medium"_s),
                    u"{\"prompt\":\"funk with brass\",\"duration\":1,\"seed\":%1}"_s.arg(seed).toUtf8());
    QCOMPARE(again.body, reply.body);
    QVERIFY(again.header("x-request-id") != reply.header("x-request-id"));
}

void TestServeEndToEnd::theDocumentationPythonExampleWorksUnchanged()
{
    const QString python = QStandardPaths::findExecutable(u"python3"_s, {u"/usr/bin"_s, u"/usr/local/bin"_s});
    if (python.isEmpty())
        QSKIP("python3 is not installed; scripts/setup --tests installs it");
    if (QProcess::execute(python, {u"-c"_s, u"import requests"_s}) != 0)
        QSKIP("Python's requests is not installed (Debian: python3-requests; scripts/setup --tests installs it)");

    // The request from the API's documentation, with only the URL pointed at the local server and the response
    // body written to a file instead of parsed as JSON (the model answers audio, as its page says).
    const QString script = uR"(import requests
import json

url = "%1/meta-musicgen-medium"
headers = {
  "x-api-key": "YOUR_API_KEY",
  "Content-Type": "application/json"
}

data = {
  "prompt": "lo-fi music with a soothing melody",
  "duration": 10,
  "seed": 42
}

response = requests.post(url, headers=headers, json=data)

if response.status_code == 200:
    open("%2", "wb").write(response.content)
    print(response.headers["Content-Type"])
else:
    print(f"Error: {response.status_code}")
    print(response.text)
)"_s.arg(m_serve.base() + u"/v1"_s, m_work.filePath(u"python.wav"_s));
    QProcess process;
    process.start(python, {u"-c"_s, script});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()).trimmed(), u"audio/wav"_s);
    QFile file(m_work.filePath(u"python.wav"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto info = AudioCodec::probe(file.readAll());
    QVERIFY(info.has_value());
    QCOMPARE(info->frames, qint64(10 * 32000));
}

TestServeEndToEnd::RawReply TestServeEndToEnd::exchange(const QByteArray& head, qint64 bodyBytes,
                                                        const std::function<QByteArray()>& piece)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_serve.port());
    if (!socket.waitForConnected(10000))
        return {};
    socket.write(head);
    // A piece at a time, as a client streams a body, and no further once the server has answered or closed: curl
    // stops like this too. So only a few pieces of a body that is refused are ever made or sent.
    for (qint64 sent = 0;
         sent < bodyBytes && socket.state() == QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0;) {
        const QByteArray next = piece();
        socket.write(next);
        sent += next.size();
        while (socket.bytesToWrite() > 0 && socket.waitForBytesWritten(10000)) {
        }
    }
    return finish(socket, socket.readAll());
}

/// Reads the rest of an answer of which `received` has arrived, then waits for the server to close.
TestServeEndToEnd::RawReply TestServeEndToEnd::finish(QTcpSocket& socket, QByteArray received)
{
    RawReply reply;
    for (;;) {
        qsizetype start = 0;
        if (received.startsWith("HTTP/1.1 100 ") && received.contains("\r\n\r\n")) {
            start = received.indexOf("\r\n\r\n") + 4;
            reply.interim = received.first(start);
        }
        const qsizetype end = received.indexOf("\r\n\r\n", start);
        if (end >= 0) {
            reply.head = received.sliced(start, end + 4 - start);
            reply.body = received.sliced(end + 4);
            if (reply.body.size() >= headerValue(reply.head, "content-length").toLongLong())
                break;
        }
        if (!socket.waitForReadyRead(10000) && socket.bytesAvailable() == 0)
            break;
        received += socket.readAll();
    }
    reply.status = reply.head.mid(9, 3).toInt();
    reply.closed = socket.state() == QAbstractSocket::UnconnectedState || socket.waitForDisconnected(10000);
    return reply;
}

void TestServeEndToEnd::expectRefusal(const RawReply& reply, int status, const QString& says)
{
    QCOMPARE(reply.status, status);
    QCOMPARE(headerValue(reply.head, "content-type"), QByteArray("application/json"));
    const QString error = QJsonDocument::fromJson(reply.body).object().value("error"_L1).toString();
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY(reply.closed);
}

void TestServeEndToEnd::otherMethodsGet405AndOtherPaths404_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    QTest::newRow("GET generate") << QByteArray("GET /v1/meta-musicgen-medium HTTP/1.1") << 405 << QByteArray("POST");
    QTest::newRow("PUT generate") << QByteArray("PUT /v1/meta-musicgen-medium HTTP/1.1") << 405 << QByteArray("POST");
    QTest::newRow("POST credits") << QByteArray("POST /v1/get-user-credits HTTP/1.1") << 405 << QByteArray("GET");
    QTest::newRow("GET v2 submit") << QByteArray("GET /v2/meta-musicgen-medium HTTP/1.1") << 405 << QByteArray("POST");
    QTest::newRow("POST v2 status") << QByteArray("POST /v2/requests/abc/status HTTP/1.1") << 405 << QByteArray("GET");
    QTest::newRow("DELETE v2 result") << QByteArray("DELETE /v2/requests/abc HTTP/1.1") << 405 << QByteArray("GET");
    QTest::newRow("PUT v2 output") << QByteArray("PUT /v2/outputs/abc.wav HTTP/1.1") << 405 << QByteArray("GET");
    QTest::newRow("unknown path") << QByteArray("GET /v1/stable-diffusion HTTP/1.1") << 404 << QByteArray();
    QTest::newRow("unknown v2 path") << QByteArray("GET /v2/requests HTTP/1.1") << 404 << QByteArray();
}

void TestServeEndToEnd::otherMethodsGet405AndOtherPaths404()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    const RawReply reply = exchange(request + "\r\nHost: 127.0.0.1\r\nx-api-key: local\r\n\r\n");
    QCOMPARE(reply.status, status);
    QCOMPARE(headerValue(reply.head, "allow"), allow);
    QVERIFY(!QJsonDocument::fromJson(reply.body).object().value("error"_L1).toString().isEmpty());
    QVERIFY(reply.closed); // one request per connection
}

void TestServeEndToEnd::aSmallChunkedBodyIsServed()
{
    const QByteArray json = R"({"prompt":"house at 124 bpm","duration":2,"seed":3})";
    const QByteArray chunked = QByteArray::number(10, 16) + "\r\n" + json.first(10) + "\r\n" +
                               QByteArray::number(json.size() - 10, 16) + ";note=x\r\n" + json.sliced(10) +
                               "\r\n0\r\n\r\n";
    const RawReply reply = exchange(postHead("Transfer-Encoding: chunked\r\n") + chunked);
    QCOMPARE(reply.status, 200);
    const auto info = AudioCodec::probe(reply.body);
    QVERIFY(info.has_value());
    QCOMPARE(info->frames, qint64(2 * 32000));
    QCOMPARE(headerValue(reply.head, "connection"), QByteArray("close"));
    QVERIFY(reply.closed);
}

void TestServeEndToEnd::expectContinueIsAnsweredAtOnce()
{
    const QByteArray json = R"({"prompt":"jazz trio","duration":2,"seed":5})";
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_serve.port());
    QVERIFY(socket.waitForConnected(10000));
    socket.write(postHead("Expect: 100-continue\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n"));
    QByteArray received;
    while (!received.contains("\r\n\r\n") && socket.waitForReadyRead(10000))
        received += socket.readAll();
    QCOMPARE(received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n")); // before a byte of the body was sent
    socket.write(json);
    const RawReply reply = finish(socket, received);
    QCOMPARE(reply.status, 200);
    QCOMPARE(headerValue(reply.head, "content-type"), QByteArray("audio/wav"));
    const auto info = AudioCodec::probe(reply.body);
    QVERIFY(info.has_value());
    QCOMPARE(info->frames, qint64(2 * 32000));
    QVERIFY(reply.closed);
}

void TestServeEndToEnd::anOversizedExpectIsRefusedBeforeTheBody()
{
    // The body is never sent: the client waits for 100 Continue, and the refusal comes instead.
    const RawReply reply = exchange(postHead("Expect: 100-continue\r\nContent-Length: 52428800\r\n"));
    QVERIFY(reply.interim.isEmpty());
    expectRefusal(reply, 413, QString::number(BodyLimit));
}

void TestServeEndToEnd::aLargeContentLengthBodyIsRefused()
{
    const QByteArray piece(64 * 1024, ' ');
    const RawReply reply = exchange(postHead("Content-Length: " + QByteArray::number(50 * MiB) + "\r\n"), 50 * MiB,
                                    [&piece] { return piece; });
    expectRefusal(reply, 413, QString::number(BodyLimit));
}

void TestServeEndToEnd::aLargeChunkedBodyIsRefused()
{
    // Chunks under the limit each, so it is their sum that is refused.
    const QByteArray data(8 * 1024, 'x');
    const QByteArray chunk = QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    const RawReply reply = exchange(postHead("Transfer-Encoding: chunked\r\n"), 200 * MiB, [&chunk] { return chunk; });
    expectRefusal(reply, 413, QString::number(BodyLimit));
}

void TestServeEndToEnd::aLargeHeaderLineIsRefused()
{
    const QByteArray piece(64 * 1024, 'a');
    const RawReply reply =
        exchange("POST /v1/meta-musicgen-medium HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ", 200 * MiB,
                 [&piece] { return piece; });
    expectRefusal(reply, 431, QString::number(HeaderLimit));
}

void TestServeEndToEnd::aRequestThatNeverEndsIsCutOff()
{
    // Half a request, then silence: the server answers 408 once its wait is over and closes the connection.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_serve.port());
    QVERIFY(socket.waitForConnected(10000));
    socket.write(postHead("Content-Length: 40\r\n") + R"({"prompt":)");
    QVERIFY(socket.waitForReadyRead(GuardedTcpServer::RequestTimeoutMs + 20000));
    expectRefusal(finish(socket, socket.readAll()), 408, u"10 seconds"_s);
}

void TestServeEndToEnd::requestsAreServedAfterTheHostileOnes()
{
    const HttpReply reply =
        sendRequest("POST", v1(u"/meta-musicgen-medium"_s), R"({"prompt":"calm piano","duration":3,"seed":8})");
    QCOMPARE(reply.status, 200);
    QVERIFY(AudioCodec::probe(reply.body).has_value());
    QString out;
    QCOMPARE(runCli({u"generate"_s, u"--provider"_s, u"segmind"_s, u"--prompt"_s, u"calm piano"_s, u"--duration"_s,
                     u"3"_s, u"--output"_s, u"after.wav"_s, u"--no-history"_s},
                    &out),
             0);
    QVERIFY(QFileInfo::exists(m_work.filePath(u"after.wav"_s)));
}

void TestServeEndToEnd::peakMemoryStaysBounded()
{
    // Everything above, the hostile requests among them, went to this one server process.
    const double peakMiB = m_serve.peakMemoryMiB();
    QVERIFY(peakMiB > 0);
    qInfo("musicgen-cli serve: peak RSS %.1f MiB after the tests above, hostile requests included", peakMiB);
    QVERIFY2(peakMiB < ServeProcess::MaxPeakMemoryMiB, qPrintable(u"peak RSS %1 MiB"_s.arg(peakMiB)));
}

QTEST_GUILESS_MAIN(TestServeEndToEnd)
#include "tst_ServeEndToEnd.moc"
