#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "generation/Session.h"
#include "library/LibraryService.h"
#include "net/NetworkGateway.h"
#include "platform/Settings.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <set>

using namespace Qt::StringLiterals;

/// The session without any widget: seeds per click, parents kept through Retry, spend, estimate, credits. Takes come
/// from the real offline engine or from a Segmind-compatible server on loopback, and land in a real library.
class TestSession final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void everyTakeOfAClickHasItsOwnSeed();
    void freshSeedsNeverRepeatTheForm();
    void anInvalidRequestSendsNothing();
    void sameSettingsAgainKeepsTheParent();
    void retryMakesTheSameTakeWithTheSameParent();
    void hostedTakesAddUpSpendAndReportCredits();
    void theEstimateIsTheMedianOfRecentTakes();
    void aTakeTheQueueAcceptedIsResumedNextSession();
    void retryFollowsAnAcceptedRequestInsteadOfSendingItAgain();

private:
    void start(Settings::ProviderChoice provider);
    QList<Take> waitForTakes(int count);

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<LibraryService> m_library;
    std::unique_ptr<NetworkGateway> m_gateway;
    std::unique_ptr<Session> m_session;
};

void TestSession::init()
{
    qunsetenv("SEGMIND_API_KEY");
    m_home = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_server->listen());
}

void TestSession::cleanup()
{
    m_session.reset();
    m_gateway.reset();
    m_library.reset();
    m_settings.reset();
    m_server.reset();
}

void TestSession::start(Settings::ProviderChoice provider)
{
    m_settings = std::make_unique<Settings>(m_home->filePath(u"settings.ini"_s));
    m_settings->setProvider(provider);
    m_settings->setCustomApiBase(QUrl(m_server->baseUrl().toString() + u"/v1"_s));
    m_settings->setApiTransport(Settings::ApiTransport::V1); // the scripted server answers as v1 does
    m_settings->setRetries(0);
    m_settings->setCostPerTake(0.037);
    LibraryOptions options;
    options.favouritesDir = m_home->filePath(u"favourites"_s);
    m_library = std::make_unique<LibraryService>(m_home->filePath(u"data"_s), options);
    QVERIFY(m_library->open().ok);
    m_gateway = std::make_unique<NetworkGateway>();
    m_session = std::make_unique<Session>(m_settings.get(), m_library.get(), m_gateway.get(), nullptr);
}

QList<Take> TestSession::waitForTakes(int count)
{
    if (!QTest::qWaitFor([&] { return m_library->count({}) >= count; }, 20000))
        qWarning("only %d of %d takes arrived", m_library->count({}), count);
    return m_library->takes({});
}

void TestSession::everyTakeOfAClickHasItsOwnSeed()
{
    start(Settings::ProviderChoice::Offline);
    const Session::Click click = m_session->generate({u"lo-fi piano"_s, 1, 42}, 4, false);
    QVERIFY(click.error.isEmpty());
    QCOMPARE(click.jobIds.size(), 4);
    QCOMPARE(click.seeds.size(), 4);
    QCOMPARE(click.seeds.constFirst(), 42); // the form's seed first
    QCOMPARE(std::set<int>(click.seeds.begin(), click.seeds.end()).size(), size_t(4));
    const QList<Take> takes = waitForTakes(4);
    QList<int> stored;
    for (const Take& take : takes)
        stored.append(take.seed);
    std::sort(stored.begin(), stored.end());
    QList<int> sent = click.seeds;
    std::sort(sent.begin(), sent.end());
    QCOMPARE(stored, sent);
}

void TestSession::freshSeedsNeverRepeatTheForm()
{
    start(Settings::ProviderChoice::Offline);
    for (int round = 0; round < 20; ++round) {
        const Session::Click click = m_session->generate({u"ambient"_s, 1, 1234}, 2, true);
        QCOMPARE(click.seeds.size(), 2);
        QVERIFY(click.seeds.at(0) != click.seeds.at(1));
        for (const int seed : click.seeds)
            QVERIFY(seed >= 0 && seed <= 9999);
        for (const quint64 job : click.jobIds)
            m_session->cancel(job);
    }
}

void TestSession::anInvalidRequestSendsNothing()
{
    start(Settings::ProviderChoice::CustomEndpoint);
    QSignalSpy started(m_session.get(), &Session::jobStarted);
    const Session::Click click = m_session->generate({u"   "_s, 10, 1}, 3, false);
    QVERIFY(!click.error.isEmpty());
    QVERIFY(click.jobIds.isEmpty());
    QCOMPARE(started.size(), 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestSession::sameSettingsAgainKeepsTheParent()
{
    start(Settings::ProviderChoice::Offline);
    m_session->generate({u"jazz trio"_s, 1, 7}, 1, false);
    const Take parent = waitForTakes(1).constFirst();
    m_session->makeAgain(parent, false);
    m_session->makeAgain(parent, true);
    const QList<Take> takes = waitForTakes(3);
    int children = 0;
    for (const Take& take : takes) {
        if (take.id == parent.id)
            continue;
        ++children;
        QCOMPARE(take.parentId, parent.id);
        QCOMPARE(take.prompt, parent.prompt);
        QCOMPARE(take.requestedDuration, parent.requestedDuration);
    }
    QCOMPARE(children, 2);
    QVERIFY(std::any_of(takes.begin(), takes.end(),
                        [&](const Take& t) { return t.id != parent.id && t.seed == parent.seed; }));
}

void TestSession::retryMakesTheSameTakeWithTheSameParent()
{
    start(Settings::ProviderChoice::Offline);
    m_session->generate({u"house groove"_s, 1, 5}, 1, false);
    const Take parent = waitForTakes(1).constFirst();

    // The next take goes to a server that fails once, then answers.
    m_settings->setProvider(Settings::ProviderChoice::CustomEndpoint);
    m_session->applySettings();
    m_server->enqueue(ScriptedResponse::json(500, R"({"error":"warming up"})"));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    QSignalSpy finished(m_session.get(), &Session::jobFinished);
    const quint64 failedJob = m_session->makeAgain(parent, false);
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.constFirst().at(1).value<GenerationResult>().ok());
    QCOMPARE(m_session->requestOf(failedJob)->seed, parent.seed);

    const quint64 again = m_session->retry(failedJob);
    QVERIFY(again != 0);
    QVERIFY(!m_session->requestOf(failedJob)); // the failed job is spent
    const QList<Take> takes = waitForTakes(2);
    QCOMPARE(takes.constFirst().parentId, parent.id);
    QCOMPARE(takes.constFirst().seed, parent.seed);
    QCOMPARE(m_server->requestCount(), 2);
}

void TestSession::hostedTakesAddUpSpendAndReportCredits()
{
    start(Settings::ProviderChoice::CustomEndpoint);
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)).withHeader("x-remaining-credits", "4.963"));
    QSignalSpy spend(m_session.get(), &Session::spendChanged);
    QSignalSpy credits(m_session.get(), &Session::creditsChanged);
    m_session->generate({u"techno"_s, 2, 1}, 3, false);
    waitForTakes(3);
    QTRY_COMPARE(spend.size(), 3);
    QCOMPARE(m_session->spend(), 3 * 0.037);
    QCOMPARE(credits.constLast().constFirst().toDouble(), 4.963);
    QCOMPARE(*m_session->credits(), 4.963);

    // The offline engine costs nothing.
    m_settings->setProvider(Settings::ProviderChoice::Offline);
    m_session->applySettings();
    m_session->generate({u"techno"_s, 1, 1}, 1, false);
    waitForTakes(4);
    QCOMPARE(m_session->spend(), 3 * 0.037);
}

void TestSession::theEstimateIsTheMedianOfRecentTakes()
{
    start(Settings::ProviderChoice::CustomEndpoint);
    QCOMPARE(m_session->estimateMs(), Session::HostedEstimateMs); // nothing timed yet: Segmind's average
    QSignalSpy finished(m_session.get(), &Session::jobFinished);
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    m_session->generate({u"strings"_s, 1, 1}, 3, false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 20000);
    QList<qint64> elapsed;
    for (const QList<QVariant>& args : std::as_const(finished))
        elapsed.append(args.at(1).value<GenerationResult>().elapsedMs);
    std::sort(elapsed.begin(), elapsed.end());
    QCOMPARE(m_session->estimateMs(), elapsed.at(1));

    // A new session over the same library starts from the takes it keeps.
    waitForTakes(3);
    m_session.reset();
    m_session = std::make_unique<Session>(m_settings.get(), m_library.get(), m_gateway.get(), nullptr);
    QCOMPARE(m_session->estimateMs(), elapsed.at(1));
}

void TestSession::aTakeTheQueueAcceptedIsResumedNextSession()
{
    // The queue accepts the take and keeps it queued; the window is closed meanwhile.
    const QByteArray requestId = "6b1f0c2a-queued-then-closed";
    m_server->enqueue(ScriptedResponse::json(200, R"({"request_id":")" + requestId + R"(","status":"QUEUED"})"));
    m_server->setFallback(ScriptedResponse::json(200, R"({"status":"QUEUED"})"));
    start(Settings::ProviderChoice::CustomEndpoint);
    m_settings->setApiTransport(Settings::ApiTransport::V2);
    m_session->applySettings();
    QCOMPARE(m_session->generate({u"slow queue"_s, 2, 5}, 1, false).jobIds.size(), 1);
    const QDir notes(m_home->filePath(u"data/pending-takes"_s), u"*.json"_s);
    QTRY_COMPARE_WITH_TIMEOUT(notes.entryList(QDir::Files).size(), 1, 10000);
    m_session.reset();

    // The next session follows it to its end without submitting it again, shows it running, and keeps it.
    const QByteArray output = m_server->baseUrl().toString().toLatin1() + "/outputs/take.wav";
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(2.0)));
    m_server->enqueue(ScriptedResponse::json(200, R"({"status":"COMPLETED"})"));
    m_server->enqueue(
        ScriptedResponse::json(200, R"({"status":"COMPLETED","output":")" + output + R"(","metrics":{"cost":0.021}})"));
    m_session = std::make_unique<Session>(m_settings.get(), m_library.get(), m_gateway.get(), nullptr);
    QSignalSpy started(m_session.get(), &Session::jobStarted);
    QVERIFY(started.wait(10000));
    const QList<Take> takes = waitForTakes(1);
    QCOMPARE(takes.size(), 1);
    QCOMPARE(takes.first().requestId, QString::fromLatin1(requestId));
    QCOMPARE(takes.first().prompt, u"slow queue"_s);
    QCOMPARE(takes.first().serverCost, std::optional<double>(0.021));
    QTRY_COMPARE_WITH_TIMEOUT(notes.entryList(QDir::Files).size(), 0, 10000);
    const QList<RecordedRequest> requests = m_server->requests();
    QCOMPARE(std::count_if(requests.cbegin(), requests.cend(), [](const auto& r) { return r.method == "POST"; }), 1);
}

void TestSession::retryFollowsAnAcceptedRequestInsteadOfSendingItAgain()
{
    // Accepted, then the status poll is refused (the key was revoked meanwhile): the take fails, its note stays.
    m_server->enqueue(ScriptedResponse::json(200, R"({"request_id":"retry-me-7c1d","status":"QUEUED"})"));
    m_server->enqueue(ScriptedResponse::json(401, R"({"error":"invalid_api_key"})"));
    start(Settings::ProviderChoice::CustomEndpoint);
    m_settings->setApiTransport(Settings::ApiTransport::V2);
    m_session->applySettings();
    QSignalSpy finished(m_session.get(), &Session::jobFinished);
    const quint64 failed = m_session->generate({u"second chance"_s, 2, 9}, 1, false).jobIds.value(0);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(1).value<GenerationResult>().error.kind, ErrorKind::Authentication);

    // Retry asks about the same request and keeps its take: one submit, one bill.
    const QByteArray output = m_server->baseUrl().toString().toLatin1() + "/outputs/take.wav";
    m_server->enqueue(ScriptedResponse::json(200, R"({"status":"COMPLETED"})"));
    m_server->enqueue(ScriptedResponse::json(200, R"({"status":"COMPLETED","output":")" + output + R"("})"));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(2.0)));
    QVERIFY(m_session->retry(failed) != 0);
    const QList<Take> takes = waitForTakes(1);
    QCOMPARE(takes.size(), 1);
    QCOMPARE(takes.first().requestId, u"retry-me-7c1d"_s);
    const QList<RecordedRequest> requests = m_server->requests();
    QCOMPARE(std::count_if(requests.cbegin(), requests.cend(), [](const auto& r) { return r.method == "POST"; }), 1);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_Session.moc"
