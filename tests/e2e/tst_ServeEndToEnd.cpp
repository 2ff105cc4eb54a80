#include "audio/AudioCodec.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

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
    void theContractMatchesSegmind_data();
    void theContractMatchesSegmind();
    void theDocumentationPythonExampleWorksUnchanged();

private:
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QByteArray contentType;
    };
    Reply send(const QByteArray& method, const QString& path, const QByteArray& body, bool withKey);
    int runCli(const QStringList& arguments, QString* out = nullptr);

    QProcess m_serve;
    QString m_base; // http://127.0.0.1:PORT/v1
    QTemporaryDir m_work;
};

void TestServeEndToEnd::initTestCase()
{
    m_serve.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    m_serve.setArguments({u"serve"_s, u"--port"_s, u"0"_s, u"--idle-exit"_s, u"120"_s});
    m_serve.start();
    QVERIFY(m_serve.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_serve.canReadLine(), 10000);
    const QString line = QString::fromUtf8(m_serve.readLine()).trimmed();
    const auto match = QRegularExpression(u"(http://127\\.0\\.0\\.1:\\d+/v1)$"_s).match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    m_base = match.captured(1);
}

void TestServeEndToEnd::cleanupTestCase()
{
    m_serve.terminate(); // SIGTERM: the server exits cleanly
    QVERIFY(m_serve.waitForFinished(5000));
    QCOMPARE(m_serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_serve.exitCode(), 0);
}

TestServeEndToEnd::Reply TestServeEndToEnd::send(const QByteArray& method, const QString& path, const QByteArray& body,
                                                 bool withKey)
{
    NetworkGateway gateway;
    HttpRequest request;
    request.method = method;
    request.url = QUrl(m_base + path);
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}};
    if (withKey)
        request.headers.append({QByteArrayLiteral("x-api-key"), QByteArrayLiteral("local")});
    HttpCall* call = gateway.send(request);
    QSignalSpy finished(call, &HttpCall::finished);
    Reply reply;
    if (!finished.wait(20000))
        return reply;
    const auto response = finished.constFirst().constFirst().value<HttpResponse>();
    reply.status = response.status;
    reply.body = response.body;
    reply.contentType = response.header("content-type");
    return reply;
}

int TestServeEndToEnd::runCli(const QStringList& arguments, QString* out)
{
    QProcess process;
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments(arguments);
    process.setWorkingDirectory(m_work.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SEGMIND_API_KEY"_s, u"local"_s);
    environment.insert(u"MUSICGEN_API_BASE"_s, m_base);
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
    config.apiBase = QUrl(m_base);
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
    const Reply reply = send(method, path, body, withKey);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.contentType, contentType);
    if (status == 200 && contentType == "audio/wav") {
        QVERIFY(AudioCodec::probe(reply.body).has_value());
    } else if (status != 200) {
        const QJsonObject error = QJsonDocument::fromJson(reply.body).object();
        QVERIFY2(!error.value("error"_L1).toString().isEmpty(), reply.body.constData());
    } else {
        QVERIFY(QJsonDocument::fromJson(reply.body).object().value("credits"_L1).isDouble());
    }
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
)"_s.arg(m_base, m_work.filePath(u"python.wav"_s));
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

QTEST_GUILESS_MAIN(TestServeEndToEnd)
#include "tst_ServeEndToEnd.moc"
