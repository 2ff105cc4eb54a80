#include "JobRun.h"
#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "TestFormats.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

using namespace Qt::StringLiterals;
using Behaviour = ScriptedResponse::Behaviour;

namespace {

const QByteArray Key = QByteArrayLiteral("canary-key-7f3a91");

using Run = JobRun;

/// Holds Qt's global thread pool to one busy thread while it lives, so that work handed to the pool waits until
/// the test lets it run.
class PoolBlocker
{
public:
    PoolBlocker() : m_previousMax(QThreadPool::globalInstance()->maxThreadCount())
    {
        QThreadPool::globalInstance()->setMaxThreadCount(1);
        QThreadPool::globalInstance()->start([gate = m_gate] { gate->acquire(); });
    }
    ~PoolBlocker()
    {
        release();
        QThreadPool::globalInstance()->waitForDone();
        QThreadPool::globalInstance()->setMaxThreadCount(m_previousMax);
    }
    void release()
    {
        if (!m_released)
            m_gate->release();
        m_released = true;
    }

private:
    std::shared_ptr<QSemaphore> m_gate = std::make_shared<QSemaphore>();
    int m_previousMax;
    bool m_released = false;
};

/// A take whose reply has arrived and whose audio check waits for the pool. Members go in reverse order, so the
/// job is gone before the pool is let go.
struct HeldTake
{
    PoolBlocker pool;
    std::unique_ptr<SegmindProvider> provider;
    std::unique_ptr<GenerationJob> job;
    std::unique_ptr<QSignalSpy> finished;
};

} // namespace

/// The Segmind provider against a real HTTP server on loopback that can misbehave on purpose.
class TestSegmindProvider final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sendsTheDocumentedRequest();
    void acceptsEveryAudioFormat_data();
    void acceptsEveryAudioFormat();
    void finalErrorsAreNeverRetried_data();
    void finalErrorsAreNeverRetried();
    void retriesRateLimitsHonouringRetryAfter_data();
    void retriesRateLimitsHonouringRetryAfter();
    void retriesServerErrorsWithBackoff_data();
    void retriesServerErrorsWithBackoff();
    void givesUpAfterTheLastAttempt();
    void aLongRetryAfterEndsTheTake();
    void retriesAConnectionClosedBeforeAnyReply();
    void refusedConnectionsFailAsNetworkErrors();
    void successBodiesThatAreNotAudioAreErrors_data();
    void successBodiesThatAreNotAudioAreErrors();
    void aTruncatedBodyIsAnErrorAndNotRetried();
    void aStalledBodyTimesOut();
    void aSlowDripIsNotATimeout();
    void theTotalDeadlineEndsASlowTake();
    void anOversizedBodyIsRefused();
    void crossOriginRedirectsAreNotFollowed();
    void cancelStopsAtOnce();
    void theAudioIsCheckedOffTheJobsThread();
    void cancelDuringTheAudioCheck();
    void aJobDeletedDuringTheAudioCheckIsNeverTouched();
    void theKeyNeverAppearsInMessages();
    void creditsQuery();
    void withoutAKeyNothingIsSent();

private:
    Run run(const GenerationRequest& request = {u"lo-fi music with a soothing melody"_s, 10, 42}, int waitMs = 15000);
    /// The attempts the result counts, and the requests the server saw: always the same two numbers.
    std::pair<int, int> attemptsSeen(const Run& outcome) const
    {
        return {outcome.result.attempts, m_server->requestCount()};
    }
    /// Starts a take answered with `audio` and returns once the reply is in and the job, `holdMs` later, still
    /// waits for its audio check, which the blocked pool holds back. Null when the job did not wait.
    std::unique_ptr<HeldTake> holdAtTheAudioCheck(const QByteArray& audio,
                                                  const QByteArray& contentType = QByteArrayLiteral("audio/wav"),
                                                  int holdMs = 300);
    static void letTheCheckRun(HeldTake& take);

    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<NetworkGateway> m_gateway;
    SegmindConfig m_config;
};

void TestSegmindProvider::init()
{
    m_server = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_server->listen());
    m_gateway = std::make_unique<NetworkGateway>();
    m_config = SegmindConfig{};
    m_config.transport = SegmindTransport::V1; // the v1 fault matrix; tst_SegmindQueue covers the v2 queue
    m_config.apiBase = QUrl(m_server->baseUrl().toString() + u"/v1"_s);
    m_config.apiKey = Key;
    m_config.backoffBaseMs = 40;
    m_config.idleTimeoutMs = 5000;
    m_config.totalTimeoutMs = 30000;
}

void TestSegmindProvider::cleanup()
{
    m_gateway.reset();
    m_server.reset();
}

Run TestSegmindProvider::run(const GenerationRequest& request, int waitMs)
{
    SegmindProvider provider(m_gateway.get(), m_config);
    std::unique_ptr<GenerationJob> job(provider.createJob(request, nullptr));
    const Run outcome = JobRun::of(*job, waitMs);
    if (outcome.finishes > 1)
        qWarning("finished was emitted %d times", outcome.finishes);
    return outcome;
}

void TestSegmindProvider::sendsTheDocumentedRequest()
{
    const QByteArray wav = TestAudio::sineWav(10.0);
    m_server->enqueue(ScriptedResponse::audio(wav).withHeader("x-remaining-credits", "4.963"));
    const QString prompt = u"Lo-fi 🎹 «calme» with \"quotes\""_s;
    const Run outcome = run({prompt, 10, 42});

    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest sent = m_server->requests().constFirst();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/v1/meta-musicgen-medium"));
    QCOMPARE(sent.header("x-api-key"), Key);
    QCOMPARE(sent.header("content-type"), QByteArray("application/json"));
    QVERIFY(sent.header("accept").contains("audio/wav"));
    QVERIFY(sent.header("accept").contains("application/json"));
    QVERIFY(sent.header("user-agent").startsWith("MusicGenStudio/" MUSICGEN_VERSION));
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(body.value("prompt"_L1).toString(), prompt);
    QCOMPARE(body.value("duration"_L1).toInt(), 10);
    QCOMPARE(body.value("seed"_L1).toInt(), 42);

    QCOMPARE(outcome.result.audio, wav);
    QCOMPARE(outcome.result.audioInfo.format, AudioFormat::Wav);
    QCOMPARE(outcome.result.audioInfo.sampleRate, 32000);
    QCOMPARE(outcome.result.audioInfo.frames, qint64(320000));
    QCOMPARE(outcome.result.attempts, 1);
    QCOMPARE(outcome.result.providerId, u"segmind"_s);
    QCOMPARE(outcome.result.request.seed, 42);
    QVERIFY(outcome.result.remainingCredits.has_value());
    QCOMPARE(*outcome.result.remainingCredits, 4.963);
    QVERIFY(!outcome.statuses.isEmpty());
    QCOMPARE(outcome.statuses.constFirst().phase, JobPhase::Sending);
}

void TestSegmindProvider::acceptsEveryAudioFormat_data()
{
    QTest::addColumn<AudioFormat>("format");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("wav") << AudioFormat::Wav << QByteArray("audio/wav");
    QTest::newRow("flac") << AudioFormat::Flac << QByteArray("audio/flac");
    QTest::newRow("ogg") << AudioFormat::Ogg << QByteArray("audio/ogg");
    QTest::newRow("mp3 labelled octet-stream") << AudioFormat::Mp3 << QByteArray("application/octet-stream");
}

void TestSegmindProvider::acceptsEveryAudioFormat()
{
    QFETCH(AudioFormat, format);
    QFETCH(QByteArray, contentType);
    const QByteArray audio = TestFormats::sine(format, 3.0);
    QVERIFY(!audio.isEmpty());
    m_server->enqueue(ScriptedResponse::audio(audio, contentType));
    const Run outcome = run();
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QCOMPARE(outcome.result.audioInfo.format, format);
    QCOMPARE(outcome.result.audio, audio);
}

void TestSegmindProvider::finalErrorsAreNeverRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("400") << 400 << QByteArray(R"({"error":"duration must be <= 30"})") << ErrorKind::InvalidRequest
                         << u"duration must be <= 30"_s;
    QTest::newRow("401") << 401 << QByteArray(R"({"message":"Invalid API key"})") << ErrorKind::Authentication
                         << u"Invalid API key"_s;
    QTest::newRow("403") << 403 << QByteArray(R"({"error":"Forbidden"})") << ErrorKind::Authentication
                         << u"Forbidden"_s;
    QTest::newRow("404") << 404 << QByteArray(R"({"error":"Model not found"})") << ErrorKind::NotFound
                         << u"Model not found"_s;
    QTest::newRow("406") << 406 << QByteArray(R"({"error":"Not enough credits"})") << ErrorKind::InsufficientCredits
                         << u"Not enough credits"_s;
}

void TestSegmindProvider::finalErrorsAreNeverRetried()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, message);
    m_server->enqueue(ScriptedResponse::json(status, body));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, kind);
    QCOMPARE(outcome.result.error.httpStatus, status);
    QCOMPARE(outcome.result.error.serverMessage, message);
    QVERIFY(outcome.result.audio.isEmpty());
    QCOMPARE(attemptsSeen(outcome), std::pair(1, 1));
    QVERIFY(outcome.result.error.toUserText().contains(QString::number(status)));
}

void TestSegmindProvider::retriesRateLimitsHonouringRetryAfter_data()
{
    QTest::addColumn<bool>("asDate");
    QTest::newRow("delta seconds") << false;
    QTest::newRow("HTTP-date") << true;
}

void TestSegmindProvider::retriesRateLimitsHonouringRetryAfter()
{
    QFETCH(bool, asDate);
    // An HTTP-date has whole-second resolution, so ask for 2 s to be sure the wait is over one second.
    const QByteArray retryAfter =
        asDate ? QLocale::c()
                     .toString(QDateTime::currentDateTimeUtc().addSecs(2), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s)
                     .toLatin1()
               : QByteArray("1");
    m_server->enqueue(
        ScriptedResponse::json(429, R"({"error":"Too many requests"})").withHeader("Retry-After", retryAfter));
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QCOMPARE(attemptsSeen(outcome), std::pair(2, 2));
    QVERIFY2(outcome.wallMs >= 900, qPrintable(QString::number(outcome.wallMs)));
    const auto waiting = std::find_if(outcome.statuses.begin(), outcome.statuses.end(),
                                      [](const JobStatus& s) { return s.phase == JobPhase::RetryWaiting; });
    QVERIFY(waiting != outcome.statuses.end());
    QVERIFY(waiting->retryInSeconds >= 1 && waiting->retryInSeconds <= 2);
    QCOMPARE(waiting->lastError.kind, ErrorKind::RateLimited);
    QCOMPARE(waiting->lastError.serverMessage, u"Too many requests"_s);
}

void TestSegmindProvider::retriesServerErrorsWithBackoff_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("second");
    QTest::newRow("500 then 502") << 500 << 502;
    QTest::newRow("504 then 503") << 504 << 503;
}

void TestSegmindProvider::retriesServerErrorsWithBackoff()
{
    QFETCH(int, first);
    QFETCH(int, second);
    m_server->enqueue(ScriptedResponse::html(first, "<html>upstream error</html>"));
    m_server->enqueue(ScriptedResponse::json(second, R"({"error":"warming up"})"));
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QCOMPARE(attemptsSeen(outcome), std::pair(3, 3));
    // Backoff starts at 40 ms here and doubles with ±25 % jitter: at least 30 + 60 ms in all.
    QVERIFY2(outcome.wallMs >= 90, qPrintable(QString::number(outcome.wallMs)));
}

void TestSegmindProvider::givesUpAfterTheLastAttempt()
{
    m_server->setFallback(ScriptedResponse::json(429, R"({"error":"slow down"})").withHeader("Retry-After", "0"));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::RateLimited);
    QCOMPARE(attemptsSeen(outcome), std::pair(3, 3));
    QCOMPARE(outcome.result.error.serverMessage, u"slow down"_s);
}

void TestSegmindProvider::aLongRetryAfterEndsTheTake()
{
    m_server->enqueue(ScriptedResponse::json(429, R"({"error":"quota"})").withHeader("Retry-After", "600"));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::RateLimited);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(outcome.wallMs < 5000);
}

void TestSegmindProvider::retriesAConnectionClosedBeforeAnyReply()
{
    // Qt itself resends once on a connection closed before the reply; three closes need the provider's retry.
    for (int i = 0; i < 3; ++i)
        m_server->enqueue(ScriptedResponse{}.withBehaviour(Behaviour::CloseWithoutReply));
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QVERIFY(outcome.result.attempts >= 2);
    QCOMPARE(m_server->requestCount(), 4);
}

void TestSegmindProvider::refusedConnectionsFailAsNetworkErrors()
{
    const QUrl base = m_config.apiBase;
    m_server.reset(); // nothing listens on that port any more
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Network);
    QCOMPARE(outcome.result.attempts, 3);
    QVERIFY(!outcome.result.error.detail.isEmpty());
    QVERIFY(outcome.result.error.toUserText().contains(u"connection"_s, Qt::CaseInsensitive));
    Q_UNUSED(base);
}

void TestSegmindProvider::successBodiesThatAreNotAudioAreErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html><body>Welcome</body></html>") << QByteArray("text/html");
    QTest::newRow("json") << QByteArray(R"({"audio":"aGVsbG8="})") << QByteArray("application/json");
    QTest::newRow("empty") << QByteArray() << QByteArray("audio/wav");
    QTest::newRow("garbage labelled audio") << QByteArray(2048, '\x13') << QByteArray("audio/wav");
}

void TestSegmindProvider::successBodiesThatAreNotAudioAreErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    m_server->enqueue(ScriptedResponse::audio(body, contentType));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::BadAudio);
    QCOMPARE(outcome.result.error.httpStatus, 200);
    QVERIFY(outcome.result.audio.isEmpty());
    QCOMPARE(m_server->requestCount(), 1); // a 200 is billed: never paid for twice
}

void TestSegmindProvider::aTruncatedBodyIsAnErrorAndNotRetried()
{
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(2.0)).withBehaviour(Behaviour::TruncateBody));
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Network);
    QVERIFY(outcome.result.audio.isEmpty());
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSegmindProvider::aStalledBodyTimesOut()
{
    ScriptedResponse stalled = ScriptedResponse::audio(TestAudio::sineWav(2.0)).withBehaviour(Behaviour::StallBody);
    stalled.stallAfterBytes = 1000;
    m_server->enqueue(stalled);
    m_config.idleTimeoutMs = 400;
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Timeout);
    QVERIFY(outcome.result.audio.isEmpty());
    QVERIFY2(outcome.wallMs >= 350 && outcome.wallMs < 5000, qPrintable(QString::number(outcome.wallMs)));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSegmindProvider::aSlowDripIsNotATimeout()
{
    const QByteArray wav = TestAudio::sineWav(1.0); // 64 KB
    ScriptedResponse drip = ScriptedResponse::audio(wav).withBehaviour(Behaviour::Drip);
    drip.dripChunkBytes = 4096;
    drip.dripIntervalMs = 60; // about a second in all, far beyond the idle timeout
    m_server->enqueue(drip);
    m_config.idleTimeoutMs = 400;
    const Run outcome = run();
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error.toUserText()));
    QCOMPARE(outcome.result.audio, wav);
    QVERIFY(outcome.wallMs > 400);
    const bool sawReceiving = std::any_of(outcome.statuses.begin(), outcome.statuses.end(),
                                          [](const JobStatus& s) { return s.phase == JobPhase::Receiving; });
    QVERIFY(sawReceiving);
}

void TestSegmindProvider::theTotalDeadlineEndsASlowTake()
{
    ScriptedResponse drip = ScriptedResponse::audio(TestAudio::sineWav(2.0)).withBehaviour(Behaviour::Drip);
    drip.dripChunkBytes = 1024;
    drip.dripIntervalMs = 50;
    m_server->enqueue(drip);
    m_config.idleTimeoutMs = 2000;
    m_config.totalTimeoutMs = 600;
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Timeout);
    QVERIFY2(outcome.wallMs >= 550 && outcome.wallMs < 3000, qPrintable(QString::number(outcome.wallMs)));
}

void TestSegmindProvider::anOversizedBodyIsRefused()
{
    ScriptedResponse huge = ScriptedResponse::audio(TestAudio::sineWav(1.0));
    huge.contentLengthOverride = 100LL * 1024 * 1024;
    m_server->enqueue(huge);
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::BadAudio);
    QVERIFY2(outcome.result.error.detail.contains(u"MiB"_s), qPrintable(outcome.result.error.detail));
    QVERIFY(outcome.wallMs < 3000);
}

void TestSegmindProvider::crossOriginRedirectsAreNotFollowed()
{
    ScriptedHttpServer elsewhere;
    QVERIFY(elsewhere.listen());
    elsewhere.setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const QByteArray location = "http://localhost:" + QByteArray::number(elsewhere.port()) + "/steal";
    m_server->enqueue(ScriptedResponse::json(307, "{}").withHeader("Location", location));
    const Run outcome = run();
    QVERIFY(!outcome.result.ok());
    QCOMPARE(outcome.result.error.kind, ErrorKind::Server);
    QVERIFY2(outcome.result.error.detail.contains(u"redirect"_s), qPrintable(outcome.result.error.detail));
    QTest::qWait(100);
    QCOMPARE(elsewhere.requestCount(), 0);
}

void TestSegmindProvider::cancelStopsAtOnce()
{
    ScriptedResponse stalled = ScriptedResponse::audio(TestAudio::sineWav(2.0)).withBehaviour(Behaviour::StallBody);
    stalled.stallAfterBytes = 100;
    m_server->enqueue(stalled);
    SegmindProvider provider(m_gateway.get(), m_config);
    std::unique_ptr<GenerationJob> job(provider.createJob({u"x"_s, 5, 1}, nullptr));
    QSignalSpy finished(job.get(), &GenerationJob::finished);
    job->start();
    QTRY_COMPARE(m_server->requestCount(), 1);
    QElapsedTimer clock;
    clock.start();
    job->cancel();
    QCOMPARE(finished.size(), 0); // never from inside cancel()
    QVERIFY(finished.wait(2000));
    QVERIFY(clock.elapsed() < 1000);
    const auto result = finished.constFirst().constFirst().value<GenerationResult>();
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QVERIFY(result.audio.isEmpty());
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
}

std::unique_ptr<HeldTake> TestSegmindProvider::holdAtTheAudioCheck(const QByteArray& audio,
                                                                   const QByteArray& contentType, int holdMs)
{
    m_server->enqueue(ScriptedResponse::audio(audio, contentType));
    auto take = std::make_unique<HeldTake>();
    take->provider = std::make_unique<SegmindProvider>(m_gateway.get(), m_config);
    take->job.reset(take->provider->createJob({u"x"_s, 1, 1}, nullptr));
    take->finished = std::make_unique<QSignalSpy>(take->job.get(), &GenerationJob::finished);
    QSignalSpy sent(m_server.get(), &ScriptedHttpServer::responseSent);
    take->job->start();
    // The event loop runs all along (the server, the job's timers, this wait); only the check is held.
    if (!sent.wait(5000) || take->finished->wait(holdMs))
        return nullptr;
    return take;
}

void TestSegmindProvider::letTheCheckRun(HeldTake& take)
{
    take.pool.release();
    QVERIFY(QThreadPool::globalInstance()->waitForDone(5000));
    QCoreApplication::processEvents(); // whatever the check would deliver
}

void TestSegmindProvider::theAudioIsCheckedOffTheJobsThread()
{
    // An MP3 may have to be decoded whole to be measured. If the check ran on the job's thread, the take would
    // finish although the pool is held; off it, the job waits and its thread stays free.
    const QByteArray mp3 = TestFormats::sine(AudioFormat::Mp3, 3.0);
    QVERIFY(!mp3.isEmpty());
    m_config.totalTimeoutMs = 800; // the check outlasts the deadline: a paid take is judged, not timed out
    const auto take = holdAtTheAudioCheck(mp3, "audio/mpeg", 1200);
    QVERIFY(take);

    take->pool.release();
    QVERIFY(take->finished->wait(5000));
    const auto result = take->finished->constFirst().constFirst().value<GenerationResult>();
    QVERIFY2(result.ok(), qPrintable(result.error.toUserText()));
    QCOMPARE(result.audio, mp3);
    QCOMPARE(result.audioInfo.format, AudioFormat::Mp3);
    QCOMPARE(result.audioInfo.sampleRate, 32000);
}

void TestSegmindProvider::cancelDuringTheAudioCheck()
{
    const auto take = holdAtTheAudioCheck(TestAudio::sineWav(1.0));
    QVERIFY(take);
    take->job->cancel();
    QCOMPARE(take->finished->size(), 0); // never from inside cancel()
    QVERIFY(take->finished->wait(1000)); // at once, without waiting for the check
    const auto result = take->finished->constFirst().constFirst().value<GenerationResult>();
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QVERIFY(result.audio.isEmpty());

    take->job.reset(); // the owner may delete the job after `finished`, while the check still waits
    letTheCheckRun(*take);
    QCOMPARE(take->finished->size(), 1);
}

void TestSegmindProvider::aJobDeletedDuringTheAudioCheckIsNeverTouched()
{
    const auto take = holdAtTheAudioCheck(TestAudio::sineWav(1.0));
    QVERIFY(take);
    take->job.reset(); // e.g. the window closing mid-take; the sanitizer build catches any touch of the dead job
    letTheCheckRun(*take);
    QCOMPARE(take->finished->size(), 0);
}

void TestSegmindProvider::theKeyNeverAppearsInMessages()
{
    m_server->enqueue(ScriptedResponse::json(401, R"({"error":"key canary-key-7f3a91 is not valid"})"));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Authentication);
    QVERIFY(!outcome.result.error.toUserText().contains(QString::fromLatin1(Key)));
    QVERIFY(outcome.result.error.serverMessage.contains(u"[redacted]"_s));
}

void TestSegmindProvider::creditsQuery()
{
    m_server->enqueue(ScriptedResponse::json(200, R"({"credits": 12.5, "free-credits": 2})"));
    m_server->enqueue(ScriptedResponse::json(401, R"({"error":"Invalid API key"})"));
    SegmindProvider provider(m_gateway.get(), m_config);

    CreditsQuery* good = provider.queryCredits();
    QSignalSpy goodSpy(good, &CreditsQuery::finished);
    QVERIFY(goodSpy.wait(5000));
    const auto balance = goodSpy.constFirst().constFirst().value<CreditsResult>();
    QVERIFY(balance.credits.has_value());
    QCOMPARE(balance.credits->credits, 12.5);
    QCOMPARE(balance.credits->freeCredits, 2.0);
    const RecordedRequest sent = m_server->requests().constFirst();
    QCOMPARE(sent.method, QByteArray("GET"));
    QCOMPARE(sent.path, QByteArray("/v1/get-user-credits"));
    QCOMPARE(sent.header("x-api-key"), Key);

    CreditsQuery* bad = provider.queryCredits();
    QSignalSpy badSpy(bad, &CreditsQuery::finished);
    QVERIFY(badSpy.wait(5000));
    const auto refused = badSpy.constFirst().constFirst().value<CreditsResult>();
    QVERIFY(!refused.credits.has_value());
    QCOMPARE(refused.error.kind, ErrorKind::Authentication);
}

void TestSegmindProvider::withoutAKeyNothingIsSent()
{
    m_config.apiKey.clear();
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    const Run outcome = run();
    QCOMPARE(outcome.result.error.kind, ErrorKind::Authentication);
    QCOMPARE(outcome.result.error.httpStatus, 0);
    QVERIFY(outcome.result.error.toUserText().contains(u"no API key"_s));
    QCOMPARE(outcome.result.attempts, 0);
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestSegmindProvider)
#include "tst_SegmindProvider.moc"
