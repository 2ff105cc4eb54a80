#include "../e2e/ServeProcess.h"
#include "CliRun.h"
#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "generation/PendingTakes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

const QString Key = u"canary-key-7d41e9"_s;
const QString RequestId = u"7f3e2a91-0c4d-4b8e-a5f6-9d2c1b0e8a73"_s;
const QString Prompt = u"lo-fi music with a soothing melody"_s;

} // namespace

/// `musicgen-cli resume` as scripts use it: separate processes, killed and interrupted for real, against loopback
/// servers that play Segmind's queue (one for the API, one for the public output host), with a library of the test's
/// own.
class TestCliResume final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aKilledGenerateIsFinishedByResume();
    void ctrlCWhileQueuedKeepsTheTakeForResume();
    void nothingPendingPrintsNothing();
    void anExpiredRequestSaysSoAndEndsItsNote();
    void aNetworkFailureKeepsTheNote();
    void aTakeAnotherProcessFollowsIsSkipped();
    void aRequestAlreadyKeptIsKeptOnce();
    void theLocalServerFinishesAKilledTake();
    void theAudiosPlaceIsNotedAndOutlivesTheRecord();

private:
    /// Answers a request to the API server as Segmind's queue would, in the state the test has set.
    ScriptedResponse answer(const RecordedRequest& request) const;
    QProcessEnvironment environment(const QString& apiBase) const;
    /// Starts `generate` of a 2 s take through the queue of `apiBase`; it is left running.
    void startGenerate(QProcess& process, const QString& apiBase) const;
    CliRun runCli(const QStringList& arguments, int timeoutMs = 60000) const;
    QString dataDir() const { return m_home->filePath(u"data/musicgen-studio"_s); }
    /// The notes (each may have the ".lock" file beside it that a claim locks).
    QStringList pendingFiles() const
    {
        return QDir(dataDir() + u"/pending-takes"_s).entryList({u"*.json"_s}, QDir::Files);
    }
    /// Notes RequestId as `generate` does the moment the queue accepts it, submitted to `apiBase`.
    PendingTake notePending(const QUrl& apiBase) const;
    /// The takes `history --json` lists.
    QJsonArray history() const;
    int posts() const;
    void expectNoKeyIn(const CliRun& run) const;
    /// The one take in the library is at `path`, with the recipe and request id; its cost is Segmind's figure when
    /// `costFromServer`, else the estimate (the result that says it was never read).
    void expectKeptOnce(const QString& path, bool costFromServer = true) const;

    std::unique_ptr<QTemporaryDir> m_home; ///< the XDG folders: the library and settings of these runs only
    std::unique_ptr<ScriptedHttpServer> m_api;
    std::unique_ptr<ScriptedHttpServer> m_outputs; ///< the public host of the audio, which never needs the key
    QByteArray m_wav = TestAudio::sineWav(2.0);
    QString m_state = u"QUEUED"_s; ///< what the queue says of RequestId; "EXPIRED": its record is gone
};

void TestCliResume::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    m_state = u"QUEUED"_s;
    m_outputs = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_outputs->listen());
    m_outputs->setFallback(ScriptedResponse::audio(m_wav));
    m_api = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_api->listen());
    connect(m_api.get(), &ScriptedHttpServer::requestReceived, this,
            [this] { m_api->enqueue(answer(m_api->requests().constLast())); });
}

void TestCliResume::cleanup()
{
    m_api.reset();
    m_outputs.reset();
    m_home.reset();
}

ScriptedResponse TestCliResume::answer(const RecordedRequest& request) const
{
    const QByteArray id = RequestId.toLatin1();
    if (request.method == "POST" && request.path == "/v2/meta-musicgen-medium")
        return ScriptedResponse::json(200, R"({"request_id":")" + id + R"(","status":"QUEUED"})");
    if (request.method != "GET" || !request.path.startsWith("/v2/requests/" + id))
        return ScriptedResponse::json(404, R"({"error":"no such endpoint"})");
    if (m_state == "EXPIRED"_L1)
        return ScriptedResponse::json(404, R"({"error":"Request )" + id + R"( not found"})");
    if (request.path.endsWith("/status") || m_state != "COMPLETED"_L1)
        return ScriptedResponse::json(200, R"({"status":")" + m_state.toLatin1() + R"("})");
    const QByteArray output = m_outputs->baseUrl().toEncoded() + "/outputs/" + id + ".wav";
    return ScriptedResponse::json(200, R"({"status":"COMPLETED","output":")" + output +
                                           R"(","metrics":{"cost":0.0312,"remaining_credits":4.25}})");
}

QProcessEnvironment TestCliResume::environment(const QString& apiBase) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"MUSICGEN_API_BASE"_s, apiBase);
    environment.insert(u"SEGMIND_API_KEY"_s, Key);
    for (const auto folder : {"DATA"_L1, "CONFIG"_L1, "CACHE"_L1})
        environment.insert(u"XDG_%1_HOME"_s.arg(folder), m_home->filePath(QString(folder).toLower()));
    return environment;
}

void TestCliResume::startGenerate(QProcess& process, const QString& apiBase) const
{
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments({u"generate"_s, u"--provider"_s, u"segmind"_s, u"--api"_s, u"v2"_s, u"--prompt"_s, Prompt,
                          u"--duration"_s, u"2"_s, u"--seed"_s, u"417"_s, u"--output"_s,
                          m_home->filePath(u"take.wav"_s)});
    process.setProcessEnvironment(environment(apiBase));
    process.start();
}

CliRun TestCliResume::runCli(const QStringList& arguments, int timeoutMs) const
{
    QProcess process;
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments(arguments);
    // resume follows each take where it was submitted: the API base of the environment answers nothing.
    process.setProcessEnvironment(environment(u"http://127.0.0.1:9/v1"_s));
    return CliRun::of(process, timeoutMs);
}

PendingTake TestCliResume::notePending(const QUrl& apiBase) const
{
    PendingTake take;
    take.requestId = RequestId;
    take.request = {Prompt, 2, 417};
    take.apiBase = apiBase;
    take.submitted = QDateTime::currentDateTimeUtc();
    QString error;
    if (!PendingTakes(dataDir()).add(take, &error))
        qWarning("the take could not be noted: %s", qUtf8Printable(error));
    return take;
}

QJsonArray TestCliResume::history() const
{
    const CliRun run = runCli({u"history"_s, u"--json"_s});
    if (run.exitCode != 0)
        qWarning("history failed: %s", qUtf8Printable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

int TestCliResume::posts() const
{
    const QList<RecordedRequest> requests = m_api->requests();
    return int(std::count_if(requests.cbegin(), requests.cend(),
                             [](const RecordedRequest& request) { return request.method == "POST"; }));
}

void TestCliResume::expectNoKeyIn(const CliRun& run) const
{
    QVERIFY(!run.out.contains(Key));
    QVERIFY(!run.err.contains(Key));
}

void TestCliResume::expectKeptOnce(const QString& path, bool costFromServer) const
{
    QFile kept(path);
    QVERIFY2(kept.open(QIODevice::ReadOnly), qPrintable(path));
    QCOMPARE(kept.readAll(), m_wav); // exactly the bytes the output host sent
    QVERIFY2(path.startsWith(dataDir() + u"/clips/"_s), qPrintable(path));
    const QJsonArray takes = history();
    QCOMPARE(takes.size(), 1);
    const QJsonObject take = takes.first().toObject();
    QVERIFY2(path.contains(take.value("id"_L1).toString()), qPrintable(path));
    QCOMPARE(take.value("request_id"_L1).toString(), RequestId);
    QCOMPARE(take.value("prompt"_L1).toString(), Prompt);
    QCOMPARE(take.value("seed"_L1).toInt(), 417);
    QCOMPARE(take.value("cost"_L1).toDouble(), costFromServer ? 0.0312 : 0.037);
    QCOMPARE(take.value("cost_source"_L1).toString(), costFromServer ? u"server"_s : u"estimate"_s);
    QVERIFY(take.value("analysed"_L1).toBool()); // measured before it was kept, as every take is
}

void TestCliResume::aKilledGenerateIsFinishedByResume()
{
    QProcess generate;
    QSignalSpy ended(&generate, &QProcess::finished);
    startGenerate(generate, m_api->baseUrl().toString() + u"/v1"_s);
    QVERIFY(generate.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(pendingFiles().size(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_api->requestCount() >= 2, 20000); // polled at least once: it really was waiting
    generate.kill();
    QVERIFY(ended.wait(10000));
    QCOMPARE(generate.exitStatus(), QProcess::CrashExit);
    QCOMPARE(pendingFiles().size(), 1);

    m_state = u"COMPLETED"_s;
    const CliRun run = runCli({u"resume"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.err, QString());
    const QStringList paths = run.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(paths.size(), 1);
    expectKeptOnce(paths.constFirst());
    QCOMPARE(pendingFiles(), QStringList());
    QCOMPARE(posts(), 1); // the kill and the resume together: one submit, one bill
    QVERIFY(m_outputs->requestCount() >= 1);
    for (const RecordedRequest& request : m_outputs->requests())
        QVERIFY(request.header("x-api-key").isEmpty());
    expectNoKeyIn(run);
}

void TestCliResume::ctrlCWhileQueuedKeepsTheTakeForResume()
{
    QProcess generate;
    QSignalSpy ended(&generate, &QProcess::finished);
    startGenerate(generate, m_api->baseUrl().toString() + u"/v1"_s);
    QVERIFY(generate.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(pendingFiles().size(), 1, 20000);
    ::kill(pid_t(generate.processId()), SIGINT);
    QVERIFY(ended.wait(10000));
    QCOMPARE(generate.exitStatus(), QProcess::NormalExit);
    QCOMPARE(generate.exitCode(), 130);
    const QString err = QString::fromUtf8(generate.readAllStandardError());
    QVERIFY2(err.contains(u"may still make it"_s) && err.contains(u"musicgen-cli resume"_s) && err.contains(RequestId),
             qPrintable(err));
    QVERIFY(!err.contains(Key));
    QVERIFY(!QFile::exists(m_home->filePath(u"take.wav"_s)));

    // The note holds the request as it was sent, ready for resume.
    const QList<PendingTake> waiting = PendingTakes(dataDir()).all();
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(waiting.constFirst().requestId, RequestId);
    QCOMPARE(waiting.constFirst().request, (GenerationRequest{Prompt, 2, 417}));
    QCOMPARE(waiting.constFirst().apiBase, QUrl(m_api->baseUrl().toString() + u"/v1"_s));
    QCOMPARE(history(), QJsonArray());
    QCOMPARE(posts(), 1);
}

void TestCliResume::nothingPendingPrintsNothing()
{
    const CliRun run = runCli({u"resume"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QString());
    QCOMPARE(run.err, QString());
    const CliRun json = runCli({u"resume"_s, u"--json"_s});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.out, QString());
    QCOMPARE(json.err, QString());
    QCOMPARE(m_api->requestCount(), 0);
}

void TestCliResume::anExpiredRequestSaysSoAndEndsItsNote()
{
    notePending(QUrl(m_api->baseUrl().toString() + u"/v1"_s));
    m_state = u"EXPIRED"_s;
    const CliRun run = runCli({u"resume"_s});
    QCOMPARE(run.exitCode, 6);
    QCOMPARE(run.out, QString());
    QVERIFY2(run.err.startsWith(u"error: "_s) && run.err.contains(RequestId) && run.err.contains(u"expired"_s),
             qPrintable(run.err));
    QCOMPARE(pendingFiles(), QStringList()); // it can never be fetched: asking again would only say the same
    QCOMPARE(posts(), 0);
    QCOMPARE(m_outputs->requestCount(), 0);
    expectNoKeyIn(run);
}

void TestCliResume::aNetworkFailureKeepsTheNote()
{
    QUrl gone;
    {
        ScriptedHttpServer server; // a port where nothing listens once it goes
        QVERIFY(server.listen());
        gone = QUrl(server.baseUrl().toString() + u"/v1"_s);
    }
    notePending(gone);
    const CliRun invalid = runCli({u"resume"_s, u"--timeout"_s, u"0"_s});
    QCOMPARE(invalid.exitCode, 2);
    QVERIFY2(invalid.err.contains(u"--timeout"_s), qPrintable(invalid.err));

    // Every GET is retried within the take's deadline; a short one ends the wait for a server that is gone.
    const CliRun run = runCli({u"resume"_s, u"--timeout"_s, u"2"_s});
    QCOMPARE(run.exitCode, 6);
    QCOMPARE(run.out, QString());
    QVERIFY2(run.err.startsWith(u"error: request "_s + RequestId), qPrintable(run.err));
    QCOMPARE(pendingFiles().size(), 1); // Segmind may still have it: the next resume asks again
    QCOMPARE(history(), QJsonArray());
    expectNoKeyIn(run);
}

void TestCliResume::aTakeAnotherProcessFollowsIsSkipped()
{
    notePending(QUrl(m_api->baseUrl().toString() + u"/v1"_s));
    m_state = u"COMPLETED"_s;
    const QString record =
        dataDir() + u"/pending-takes/"_s + QString(pendingFiles().constFirst()).replace(u".json"_s, u".lock"_s);
    // Another process holds the record's lock, as a running generate or resume does, until its input ends.
    QProcess holder;
    QSignalSpy held(&holder, &QProcess::readyReadStandardOutput);
    QSignalSpy released(&holder, &QProcess::finished);
    holder.start(u"flock"_s, {record, u"sh"_s, u"-c"_s, u"echo held; exec cat"_s});
    QVERIFY(held.wait(10000));

    const CliRun skipped = runCli({u"resume"_s});
    QCOMPARE(skipped.exitCode, 0);
    QCOMPARE(skipped.out, QString());
    QVERIFY2(skipped.err.contains(RequestId) && skipped.err.contains(u"another MusicGen Studio"_s),
             qPrintable(skipped.err));
    QCOMPARE(m_api->requestCount(), 0); // not even asked
    QCOMPARE(pendingFiles().size(), 1);

    holder.closeWriteChannel();
    QVERIFY(released.wait(10000));
    const CliRun resumed = runCli({u"resume"_s});
    QCOMPARE(resumed.exitCode, 0);
    expectKeptOnce(resumed.out.trimmed());
    QCOMPARE(pendingFiles(), QStringList());
}

void TestCliResume::aRequestAlreadyKeptIsKeptOnce()
{
    const PendingTake take = notePending(QUrl(m_api->baseUrl().toString() + u"/v1"_s));
    m_state = u"COMPLETED"_s;
    const CliRun first = runCli({u"resume"_s, u"--json"_s});
    QCOMPARE(first.exitCode, 0);
    const QJsonObject kept = QJsonDocument::fromJson(first.out.toUtf8()).object();
    QCOMPARE(kept.value("request_id"_L1).toString(), RequestId);
    QCOMPARE(kept.value("cost_source"_L1).toString(), u"server"_s);
    QCOMPARE(pendingFiles(), QStringList());

    // A process killed after keeping the take and before forgetting its note leaves the note behind.
    QVERIFY(PendingTakes(dataDir()).add(take));
    const CliRun second = runCli({u"resume"_s, u"--json"_s});
    QCOMPARE(second.exitCode, 0);
    const QJsonObject again = QJsonDocument::fromJson(second.out.toUtf8()).object();
    QCOMPARE(again.value("id"_L1).toString(), kept.value("id"_L1).toString());
    QCOMPARE(again.value("path"_L1).toString(), kept.value("path"_L1).toString());
    QCOMPARE(m_outputs->requestCount(), 2); // the server served it twice
    expectKeptOnce(kept.value("path"_L1).toString());
    QCOMPARE(pendingFiles(), QStringList());
    QCOMPARE(posts(), 0);
}

void TestCliResume::theLocalServerFinishesAKilledTake()
{
    ServeProcess serve;
    QString error;
    QVERIFY2(serve.start({u"--queue-delay"_s, u"3000"_s, u"--idle-exit"_s, u"120"_s}, &error), qPrintable(error));
    QProcess generate;
    QSignalSpy ended(&generate, &QProcess::finished);
    startGenerate(generate, serve.base() + u"/v1"_s);
    QVERIFY(generate.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(pendingFiles().size(), 1, 20000);
    generate.kill();
    QVERIFY(ended.wait(10000));
    QCOMPARE(generate.exitStatus(), QProcess::CrashExit);

    const CliRun run = runCli({u"resume"_s, u"--json"_s});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject kept = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const QString requestId = kept.value("request_id"_L1).toString();
    QVERIFY(!requestId.isEmpty());
    QVERIFY(QFile::exists(kept.value("path"_L1).toString()));
    const QJsonArray takes = history();
    QCOMPARE(takes.size(), 1);
    QCOMPARE(takes.first().toObject().value("request_id"_L1).toString(), requestId);
    QCOMPARE(takes.first().toObject().value("prompt"_L1).toString(), Prompt);
    // Measured as a take kept at once is: the sketch's loudness, and the analysis done.
    QVERIFY(takes.first().toObject().value("analysed"_L1).toBool());
    QVERIFY(std::abs(takes.first().toObject().value("lufs"_L1).toDouble() + 14.0) < 0.5);
    QCOMPARE(pendingFiles(), QStringList());
    QVERIFY2(serve.stop(&error), qPrintable(error));
}

void TestCliResume::theAudiosPlaceIsNotedAndOutlivesTheRecord()
{
    // Killed while downloading the audio (its host never answers): the note already says where the audio is.
    m_state = u"COMPLETED"_s;
    m_outputs->setFallback(ScriptedResponse::audio(m_wav).withBehaviour(ScriptedResponse::Behaviour::NoReply));
    QProcess generate;
    QSignalSpy ended(&generate, &QProcess::finished);
    startGenerate(generate, m_api->baseUrl().toString() + u"/v1"_s);
    QVERIFY(generate.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_outputs->requestCount() >= 1, 20000);
    generate.kill();
    QVERIFY(ended.wait(10000));
    const QList<PendingTake> noted = PendingTakes(dataDir()).all();
    QCOMPARE(noted.size(), 1);
    QCOMPARE(noted.first().outputUrl.path(), u"/outputs/"_s + RequestId + u".wav"_s);

    // Days later the request's record is gone, but its audio is still there: resume fetches it from there.
    m_state = u"EXPIRED"_s;
    m_outputs->setFallback(ScriptedResponse::audio(m_wav));
    const int apiRequests = m_api->requestCount();
    const CliRun run = runCli({u"resume"_s});
    QCOMPARE(run.exitCode, 0);
    expectKeptOnce(run.out.trimmed(), false);
    QCOMPARE(m_api->requestCount(), apiRequests); // the expired record was not even asked about
    QCOMPARE(posts(), 1);
    QCOMPARE(pendingFiles(), QStringList());
}

QTEST_GUILESS_MAIN(TestCliResume)
#include "tst_CliResume.moc"
