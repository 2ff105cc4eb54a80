#include "CliRun.h"
#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "TestFormats.h"
#include "audio/AudioCodec.h"
#include "platform/Settings.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using Behaviour = ScriptedResponse::Behaviour;

namespace {

const QString Key = u"canary-key-5ce1b0"_s;

} // namespace

/// musicgen-cli as scripts use it: a separate process against a real loopback server.
class TestCliGenerate final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void writesTheClipAndPrintsItsPath();
    void outputExtensionChoosesTheFormat_data();
    void outputExtensionChoosesTheFormat();
    void jsonDescribesTheTake();
    void invalidInputSendsNothing_data();
    void invalidInputSendsNothing();
    void anOutputThatIsNotAFileSendsNothing();
    void anExistingOutputIsRefusedBeforeSending();
    void forceReplacesAnExistingOutput();
    void anOutputThatAppearsMeanwhileIsKeptAndSoIsTheTake();
    void theDefaultNameIsNumberedRatherThanReplaced();
    void aBadApiBaseInTheEnvironmentSendsNothing();
    void exitCodesFollowTheContract_data();
    void exitCodesFollowTheContract();
    void retriesAreAnnouncedOncePerRetry();
    void aTakeThatCannotBeWrittenWhereAskedIsKept();
    void withoutHistoryItIsRescuedUnderTheDataFolder();
    void idleTimeoutExitsWithSeven();
    void ctrlCCancelsCleanly();
    void segmindWithoutAKeyExitsWithThree();
    void withoutAKeyTheOfflineEngineAnswers();
    void credits();
    void versionAndHelp();

private:
    CliRun runCli(const QStringList& arguments, bool withKey = true, int timeoutMs = 30000);
    QStringList files() const { return QDir(m_work.path()).entryList(QDir::Files); }
    void expectNoKeyIn(const CliRun& run) const;

    QTemporaryDir m_work;
    QTemporaryDir m_home; ///< the XDG folders: the library and settings of these runs, never the user's
    std::unique_ptr<ScriptedHttpServer> m_server;
    QHash<QString, QString> m_environment; ///< set for the next runs of this test, over the defaults
};

void TestCliGenerate::init()
{
    for (const QString& name : files())
        QFile::remove(m_work.filePath(name));
    m_server = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_server->listen());
    m_environment.clear();
}

void TestCliGenerate::cleanup()
{
    m_server.reset();
}

CliRun TestCliGenerate::runCli(const QStringList& arguments, bool withKey, int timeoutMs)
{
    QProcess process;
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments(arguments);
    process.setWorkingDirectory(m_work.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"MUSICGEN_API_BASE"_s, m_server->baseUrl().toString() + u"/v1"_s);
    for (const auto folder : {"DATA"_L1, "CONFIG"_L1, "CACHE"_L1})
        environment.insert(u"XDG_%1_HOME"_s.arg(folder), m_home.filePath(QString(folder).toLower()));
    // The scripted server answers in order, as Segmind's blocking v1 call does; tst_SegmindQueue covers v2.
    QDir().mkpath(m_home.filePath(u"config/musicgen-studio"_s));
    Settings(m_home.filePath(u"config/musicgen-studio/settings.ini"_s)).setApiTransport(Settings::ApiTransport::V1);
    if (withKey)
        environment.insert(u"SEGMIND_API_KEY"_s, Key);
    for (auto it = m_environment.cbegin(); it != m_environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);
    return CliRun::of(process, timeoutMs);
}

void TestCliGenerate::expectNoKeyIn(const CliRun& run) const
{
    QVERIFY(!run.out.contains(Key));
    QVERIFY(!run.err.contains(Key));
}

void TestCliGenerate::writesTheClipAndPrintsItsPath()
{
    const QByteArray wav = TestAudio::sineWav(10.0);
    m_server->enqueue(ScriptedResponse::audio(wav));
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"Lo-fi: soothing melody!"_s, u"--seed"_s, u"7"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), u"lo-fi-soothing-melody_7.wav"_s);
    QFile file(m_work.filePath(u"lo-fi-soothing-melody_7.wav"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), wav); // byte for byte what the server sent
    QCOMPARE(m_server->requests().constFirst().header("x-api-key"), Key.toLatin1());
    const QJsonObject body = QJsonDocument::fromJson(m_server->requests().constFirst().body).object();
    QCOMPARE(body.value("duration"_L1).toInt(), 10);
    QCOMPARE(body.value("seed"_L1).toInt(), 7);
    expectNoKeyIn(run);
}

void TestCliGenerate::outputExtensionChoosesTheFormat_data()
{
    TestFormats::fileNameRows(u"out"_s);
}

void TestCliGenerate::outputExtensionChoosesTheFormat()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, format);
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(2.0)));
    const CliRun run =
        runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"2"_s, u"--output"_s, m_work.filePath(name)});
    QCOMPARE(run.exitCode, 0);
    QFile file(m_work.filePath(name));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto info = AudioCodec::probe(file.readAll());
    QVERIFY(info.has_value());
    QCOMPARE(info->format, format);
    QVERIFY(std::abs(info->durationSeconds() - 2.0) < 0.1);
}

void TestCliGenerate::jsonDescribesTheTake()
{
    m_server->enqueue(ScriptedResponse::json(503, R"({"error":"busy"})").withHeader("Retry-After", "0"));
    // The server answers a little short of what was asked, so the two lengths differ.
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(2.5)).withHeader("x-remaining-credits", "7.5"));
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"jazz"_s, u"--duration"_s, u"3"_s, u"--seed"_s, u"-1"_s,
                               u"--output"_s, u"take.wav"_s, u"--json"_s});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(object.value("path"_L1).toString(), u"take.wav"_s);
    QCOMPARE(object.value("format"_L1).toString(), u"wav"_s);
    QCOMPARE(object.value("sample_rate"_L1).toInt(), 32000);
    QCOMPARE(object.value("channels"_L1).toInt(), 1);
    QCOMPARE(object.value("duration_s"_L1).toInt(), 3);             // asked for
    QCOMPARE(object.value("actual_duration_s"_L1).toDouble(), 2.5); // in the audio
    QCOMPARE(object.value("attempts"_L1).toInt(), 2);
    QCOMPARE(object.value("remaining_credits"_L1).toDouble(), 7.5);
    QVERIFY(object.value("elapsed_ms"_L1).toInt() >= 0);
    const int seed = object.value("seed"_L1).toInt(-1);
    QVERIFY(seed >= 0 && seed <= 9999);
    const QJsonObject sent = QJsonDocument::fromJson(m_server->requests().constLast().body).object();
    QCOMPARE(sent.value("seed"_L1).toInt(), seed);
    QVERIFY(run.err.contains(u"retrying in 0 s (attempt 2 of 3)"_s));
}

void TestCliGenerate::invalidInputSendsNothing_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("errorMentions");
    const QString g = u"generate"_s;
    QTest::newRow("no prompt") << QStringList{g} << u"--prompt"_s;
    QTest::newRow("blank prompt") << QStringList{g, u"--prompt"_s, u"  "_s} << u"prompt"_s;
    QTest::newRow("long prompt") << QStringList{g, u"--prompt"_s, u"a"_s.repeated(2001)} << u"2000"_s;
    // Each range is said as it is, whatever was wrong with the value.
    const QString durationRange = u"--duration takes a whole number from 1 to 30"_s;
    const QString seedRange = u"--seed takes a whole number from -1 to 9999"_s;
    QTest::newRow("duration 31") << QStringList{g, u"--prompt"_s, u"x"_s, u"--duration"_s, u"31"_s} << durationRange;
    QTest::newRow("duration 1.5") << QStringList{g, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1.5"_s} << durationRange;
    QTest::newRow("seed -2") << QStringList{g, u"--prompt"_s, u"x"_s, u"--seed"_s, u"-2"_s} << seedRange;
    QTest::newRow("seed text") << QStringList{g, u"--prompt"_s, u"x"_s, u"--seed"_s, u"abc"_s} << seedRange;
    QTest::newRow("unknown format") << QStringList{g, u"--prompt"_s, u"x"_s, u"--output"_s, u"a.aiff"_s} << u".wav"_s;
    QTest::newRow("missing folder") << QStringList{g, u"--prompt"_s, u"x"_s, u"--output"_s, u"no/such/a.wav"_s}
                                    << u"does not exist"_s;
    QTest::newRow("bad api base") << QStringList{g, u"--prompt"_s, u"x"_s, u"--api-base"_s, u"ftp://x"_s} << u"http"_s;
    QTest::newRow("bad provider") << QStringList{g, u"--prompt"_s, u"x"_s, u"--provider"_s, u"suno"_s}
                                  << u"--provider"_s;
    QTest::newRow("unknown option") << QStringList{g, u"--prompt"_s, u"x"_s, u"--colour"_s} << u"colour"_s;
    QTest::newRow("unknown command") << QStringList{u"compose"_s} << u"compose"_s;
}

void TestCliGenerate::invalidInputSendsNothing()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, errorMentions);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(u"error: "_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(errorMentions), qPrintable(run.err));
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(files(), QStringList());
}

void TestCliGenerate::anOutputThatIsNotAFileSendsNothing()
{
    QTemporaryDir elsewhere;
    const QString fifo = elsewhere.filePath(u"pipe.wav"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString toDevice = elsewhere.filePath(u"null.wav"_s);
    QVERIFY(QFile::link(u"/dev/null"_s, toDevice));
    for (const QString& output : {fifo, toDevice}) {
        const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--output"_s, output});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"not a regular file"_s), qPrintable(run.err));
    }
    QCOMPARE(m_server->requestCount(), 0);
    QVERIFY(QFileInfo(toDevice).isSymLink());
    struct stat info;
    QCOMPARE(::stat(QFile::encodeName(fifo).constData(), &info), 0);
    QVERIFY(S_ISFIFO(info.st_mode));
}

/// `path` holding `bytes`, as another program left it.
static void putFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

static QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestCliGenerate::anExistingOutputIsRefusedBeforeSending()
{
    const QString mine = m_work.filePath(u"take.wav"_s);
    putFile(mine, "my own recording");
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1"_s, u"--output"_s, mine});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(u"error: "_s + mine + u" already exists"_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"--force"_s), qPrintable(run.err));
    QCOMPARE(m_server->requestCount(), 0); // nothing was sent, so nothing was paid for
    QCOMPARE(contents(mine), QByteArray("my own recording"));
}

void TestCliGenerate::forceReplacesAnExistingOutput()
{
    const QString old = m_work.filePath(u"take.wav"_s);
    putFile(old, "an older take");
    const QByteArray wav = TestAudio::sineWav(1.0);
    m_server->enqueue(ScriptedResponse::audio(wav));
    const CliRun run =
        runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1"_s, u"--output"_s, old, u"--force"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), old);
    QCOMPARE(contents(old), wav);
}

void TestCliGenerate::anOutputThatAppearsMeanwhileIsKeptAndSoIsTheTake()
{
    QTemporaryDir data;
    m_environment.insert(u"XDG_DATA_HOME"_s, data.path());
    const QString output = m_work.filePath(u"take.wav"_s);
    const QByteArray wav = TestAudio::sineWav(1.0);
    // Another program creates the file after the check and before the take arrives.
    connect(m_server.get(), &ScriptedHttpServer::requestReceived, this, [&] {
        putFile(output, "written meanwhile");
        m_server->enqueue(ScriptedResponse::audio(wav));
    });
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1"_s, u"--output"_s, output});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QString());
    static const QRegularExpression keptAs(u"^error: .*take\\.wav already exists.*\\. The take is kept in the "
                                           u"library as (\\w{10})$"_s,
                                           QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = keptAs.match(run.err);
    QVERIFY2(match.hasMatch(), qPrintable(run.err));
    QCOMPARE(contents(output), QByteArray("written meanwhile"));
    QDirIterator clips(data.filePath(u"musicgen-studio/clips"_s), {match.captured(1) + u".wav"_s}, QDir::Files,
                       QDirIterator::Subdirectories);
    QVERIFY(clips.hasNext());
    QCOMPARE(contents(clips.next()), wav);
}

void TestCliGenerate::theDefaultNameIsNumberedRatherThanReplaced()
{
    const QByteArray first = TestAudio::sineWav(1.0), second = TestAudio::sineWav(2.0), third = TestAudio::sineWav(3.0);
    m_server->enqueue(ScriptedResponse::audio(first));
    m_server->enqueue(ScriptedResponse::audio(second));
    m_server->enqueue(ScriptedResponse::audio(third));
    const QStringList arguments{u"generate"_s, u"--prompt"_s, u"jazz"_s, u"--no-history"_s};
    const CliRun one = runCli(arguments);
    const CliRun two = runCli(arguments);
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(two.exitCode, 0);
    QCOMPARE(one.out.trimmed(), u"jazz_42.wav"_s);
    QCOMPARE(two.out.trimmed(), u"jazz_42 (2).wav"_s);
    QCOMPARE(contents(m_work.filePath(u"jazz_42.wav"_s)), first);
    QCOMPARE(contents(m_work.filePath(u"jazz_42 (2).wav"_s)), second);

    const CliRun forced = runCli(arguments + QStringList{u"--force"_s});
    QCOMPARE(forced.exitCode, 0);
    QCOMPARE(forced.out.trimmed(), u"jazz_42.wav"_s);
    QCOMPARE(contents(m_work.filePath(u"jazz_42.wav"_s)), third);
    QCOMPARE(files().size(), 2);
}

void TestCliGenerate::aBadApiBaseInTheEnvironmentSendsNothing()
{
    m_environment.insert(u"MUSICGEN_API_BASE"_s, u"ftp://x"_s);
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(u"error: MUSICGEN_API_BASE must be an http or https URL"_s), qPrintable(run.err));
    QCOMPARE(files(), QStringList());

    // The option wins over the environment.
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const CliRun overridden = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1"_s, u"--api-base"_s,
                                      m_server->baseUrl().toString() + u"/v1"_s, u"--no-history"_s});
    QCOMPARE(overridden.exitCode, 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestCliGenerate::exitCodesFollowTheContract_data()
{
    QTest::addColumn<ScriptedResponse>("response");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("errorLine");
    QTest::newRow("401") << ScriptedResponse::json(401, R"({"error":"Invalid API key"})") << 3
                         << u"error: authentication failed (HTTP 401): Invalid API key"_s;
    QTest::newRow("403") << ScriptedResponse::json(403, R"({"error":"Forbidden"})") << 3
                         << u"error: authentication failed (HTTP 403): Forbidden"_s;
    QTest::newRow("406") << ScriptedResponse::json(406, R"({"error":"Not enough credits"})") << 4
                         << u"error: insufficient credits (HTTP 406): Not enough credits"_s;
    QTest::newRow("429")
        << ScriptedResponse::json(429, R"({"error":"Too many requests"})").withHeader("Retry-After", "0") << 5
        << u"error: rate limited (HTTP 429): Too many requests"_s;
    QTest::newRow("500") << ScriptedResponse::html(500, "<html>oops</html>") << 6
                         << u"error: server error (HTTP 500)"_s;
    QTest::newRow("400") << ScriptedResponse::json(400, R"({"error":"bad seed"})") << 6
                         << u"error: the server rejected the request (HTTP 400): bad seed"_s;
    QTest::newRow("html 200") << ScriptedResponse::html(200, "<html>hi</html>") << 6
                              << u"error: the server did not send playable audio (HTTP 200)"_s;
    QTest::newRow("truncated")
        << ScriptedResponse::audio(TestAudio::sineWav(1.0)).withBehaviour(Behaviour::TruncateBody) << 6
        << u"error: network error"_s;
}

void TestCliGenerate::exitCodesFollowTheContract()
{
    QFETCH(ScriptedResponse, response);
    QFETCH(int, exitCode);
    QFETCH(QString, errorLine);
    m_server->setFallback(response);
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--output"_s, u"out.wav"_s});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(errorLine), qPrintable(run.err));
    QVERIFY2(run.err.contains(u" — "_s), "every error says what to do next");
    QCOMPARE(run.out, QString());
    QCOMPARE(files(), QStringList()); // a failed run leaves no file
    expectNoKeyIn(run);
}

void TestCliGenerate::retriesAreAnnouncedOncePerRetry()
{
    // No Retry-After: the backoff (about 1 s, then 2 s) is long enough for the provider's countdown to tick.
    m_server->setFallback(ScriptedResponse::json(503, R"({"error":"warming up"})"));
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--retries"_s, u"2"_s, u"--no-history"_s});
    QCOMPARE(run.exitCode, 6);
    QCOMPARE(m_server->requestCount(), 3);
    const QStringList lines = run.err.split(u'\n', Qt::SkipEmptyParts);
    QStringList retrying;
    for (const QString& line : lines)
        if (line.contains(u"retrying"_s))
            retrying.append(line);
    QCOMPARE(retrying.size(), 2);
    QVERIFY2(retrying.at(0).contains(u"(attempt 2 of 3)"_s), qPrintable(retrying.at(0)));
    QVERIFY2(retrying.at(1).contains(u"(attempt 3 of 3)"_s), qPrintable(retrying.at(1)));
    QVERIFY2(lines.constLast().startsWith(u"error: server error (HTTP 503): warming up"_s), qPrintable(run.err));
}

/// A folder that exists but where nobody, root included, can create a file.
static QString unwritableOutput()
{
    return u"/proc/self/take.wav"_s;
}

void TestCliGenerate::aTakeThatCannotBeWrittenWhereAskedIsKept()
{
    QTemporaryDir data;
    m_environment.insert(u"XDG_DATA_HOME"_s, data.path());
    const QByteArray wav = TestAudio::sineWav(2.0);
    m_server->enqueue(ScriptedResponse::audio(wav));
    const CliRun run =
        runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"2"_s, u"--output"_s, unwritableOutput()});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QString());
    static const QRegularExpression keptAs(u"^error: .*take\\.wav.*\\. The take is kept in the library as (\\w{10})$"_s,
                                           QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = keptAs.match(run.err);
    QVERIFY2(match.hasMatch(), qPrintable(run.err));
    QDirIterator clips(data.filePath(u"musicgen-studio/clips"_s), {match.captured(1) + u".wav"_s}, QDir::Files,
                       QDirIterator::Subdirectories);
    QVERIFY(clips.hasNext());
    QFile kept(clips.next());
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), wav);
}

void TestCliGenerate::withoutHistoryItIsRescuedUnderTheDataFolder()
{
    QTemporaryDir data;
    m_environment.insert(u"XDG_DATA_HOME"_s, data.path());
    const QByteArray wav = TestAudio::sineWav(2.0);
    m_server->enqueue(ScriptedResponse::audio(wav));
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"2"_s, u"--output"_s,
                               unwritableOutput(), u"--no-history"_s});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QString());
    const QDir rescued(data.filePath(u"musicgen-studio/rescued"_s));
    const QStringList names = rescued.entryList(QDir::Files);
    QCOMPARE(names.size(), 1);
    const QString path = rescued.filePath(names.constFirst());
    QVERIFY2(run.err.startsWith(u"error: "_s) && run.err.contains(u". The take is kept at "_s + path + u'\n'),
             qPrintable(run.err));
    QFile kept(path);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), wav);
    QVERIFY(!QFile::exists(data.filePath(u"musicgen-studio/library.sqlite3"_s)));
}

void TestCliGenerate::idleTimeoutExitsWithSeven()
{
    ScriptedResponse stalled = ScriptedResponse::audio(TestAudio::sineWav(1.0)).withBehaviour(Behaviour::StallBody);
    stalled.stallAfterBytes = 10;
    m_server->enqueue(stalled);
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--idle-timeout"_s, u"1"_s});
    QCOMPARE(run.exitCode, 7);
    QVERIFY(run.err.contains(u"timed out"_s));
    QCOMPARE(files(), QStringList());
}

void TestCliGenerate::ctrlCCancelsCleanly()
{
    ScriptedResponse stalled = ScriptedResponse::audio(TestAudio::sineWav(1.0)).withBehaviour(Behaviour::StallBody);
    stalled.stallAfterBytes = 10;
    m_server->enqueue(stalled);
    QProcess process;
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments({u"generate"_s, u"--prompt"_s, u"x"_s, u"--output"_s, u"out.wav"_s});
    process.setWorkingDirectory(m_work.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"MUSICGEN_API_BASE"_s, m_server->baseUrl().toString());
    environment.insert(u"SEGMIND_API_KEY"_s, Key);
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 10000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(u"interrupted"_s));
    QCOMPARE(files(), QStringList());
    QTRY_COMPARE(m_server->openConnectionCount(), 0); // the request was really aborted
}

void TestCliGenerate::segmindWithoutAKeyExitsWithThree()
{
    const CliRun run = runCli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--provider"_s, u"segmind"_s}, false);
    QCOMPARE(run.exitCode, 3);
    QVERIFY(run.err.contains(u"SEGMIND_API_KEY"_s));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestCliGenerate::withoutAKeyTheOfflineEngineAnswers()
{
    const CliRun run = runCli(
        {u"generate"_s, u"--prompt"_s, u"techno at 128 bpm"_s, u"--duration"_s, u"2"_s, u"--seed"_s, u"3"_s}, false);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.contains(u"offline sketch engine (built in, not MusicGen)"_s), qPrintable(run.err));
    QCOMPARE(run.out.trimmed(), u"techno-at-128-bpm_3.wav"_s);
    QCOMPARE(m_server->requestCount(), 0);
    QFile file(m_work.filePath(u"techno-at-128-bpm_3.wav"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto info = AudioCodec::probe(file.readAll());
    QVERIFY(info.has_value());
    QCOMPARE(info->frames, qint64(64000));
}

void TestCliGenerate::credits()
{
    m_server->enqueue(ScriptedResponse::json(200, R"({"credits": 3.25, "free-credits": 1})"));
    const CliRun run = runCli({u"credits"_s, u"--json"_s});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(object.value("credits"_L1).toDouble(), 3.25);
    QCOMPARE(m_server->requests().constFirst().path, QByteArray("/v1/get-user-credits"));

    const CliRun plain = runCli({u"credits"_s}, true);
    QCOMPARE(plain.exitCode, 6); // the fallback answer is a 500
    const CliRun noKey = runCli({u"credits"_s}, false);
    QCOMPARE(noKey.exitCode, 3);
}

void TestCliGenerate::versionAndHelp()
{
    const CliRun version = runCli({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.contains(QString::fromUtf8(MUSICGEN_VERSION)));
    const CliRun help = runCli({u"generate"_s, u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const QString& option : {u"--prompt"_s, u"--duration"_s, u"--seed"_s, u"--output"_s, u"--api-base"_s,
                                  u"--timeout"_s, u"--retries"_s, u"--json"_s, u"--force"_s})
        QVERIFY2(help.out.contains(option), qPrintable(option));
}

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_CliGenerate.moc"
