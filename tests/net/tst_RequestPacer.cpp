#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "net/NetworkGateway.h"
#include "net/RequestPacer.h"
#include "net/SegmindProvider.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

/// The client-side rate limit: on a clock the test moves itself, and keeping real takes of one key in line.
class TestRequestPacer final : public QObject
{
    Q_OBJECT

private slots:
    void requestsWithinThePlanGoAtOnce();
    void theNextWaitsForTheOldestToLeaveTheWindow();
    void parallelTakesGetConsecutiveSlots();
    void noLimitNeverWaits();
    void parallelTakesWaitTheirTurnAndSaySo();
};

void TestRequestPacer::requestsWithinThePlanGoAtOnce()
{
    RequestPacer pacer(5, 60s);
    const auto start = RequestPacer::Clock::time_point(100s);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(pacer.reserve(start + i * 1s), 0ms);
}

void TestRequestPacer::theNextWaitsForTheOldestToLeaveTheWindow()
{
    RequestPacer pacer(5, 60s);
    const auto start = RequestPacer::Clock::time_point(100s);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(pacer.reserve(start + i * 1s), 0ms);
    // The sixth, 10 s in: the first went at 0 s, so it may go at 60 s.
    QCOMPARE(pacer.reserve(start + 10s), 50s);
    // A minute after the fifth, everything has left the window.
    QCOMPARE(pacer.reserve(start + 200s), 0ms);
}

void TestRequestPacer::parallelTakesGetConsecutiveSlots()
{
    // Four takes at once on a plan of two a minute: two go now, the next two a minute later.
    RequestPacer pacer(2, 60s);
    const auto now = RequestPacer::Clock::time_point(100s);
    QCOMPARE(pacer.reserve(now), 0ms);
    QCOMPARE(pacer.reserve(now), 0ms);
    QCOMPARE(pacer.reserve(now), 60s);
    QCOMPARE(pacer.reserve(now), 60s);
    QCOMPARE(pacer.reserve(now), 120s);
}

void TestRequestPacer::noLimitNeverWaits()
{
    RequestPacer pacer(0, 60s);
    const auto now = RequestPacer::Clock::time_point(100s);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(pacer.reserve(now), 0ms);
}

void TestRequestPacer::parallelTakesWaitTheirTurnAndSaySo()
{
    // Three takes at once on a plan of two requests every 1.5 s: the third waits for its turn, counting down,
    // instead of being sent into a 429.
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setFallback(ScriptedResponse::audio(TestAudio::sineWav(0.2)));
    NetworkGateway gateway;
    SegmindConfig config;
    config.apiBase = QUrl(server.baseUrl().toString() + u"/v1"_s);
    config.apiKey = "key";
    config.transport = SegmindTransport::V1;
    config.requestsPerWindow = 2;
    config.rateWindowMs = 1500;
    SegmindProvider provider(&gateway, config);
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<GenerationJob>> jobs;
    std::vector<std::unique_ptr<QSignalSpy>> finished;
    QList<JobStatus> thirdStatuses;
    for (int i = 0; i < 3; ++i) {
        jobs.emplace_back(provider.createJob({u"take %1"_s.arg(i), 1, i}, nullptr));
        finished.push_back(std::make_unique<QSignalSpy>(jobs.back().get(), &GenerationJob::finished));
    }
    connect(jobs[2].get(), &GenerationJob::statusChanged, this,
            [&thirdStatuses](const JobStatus& status) { thirdStatuses.append(status); });
    for (const auto& job : jobs)
        job->start();
    for (const auto& spy : finished)
        QVERIFY(spy->count() == 1 || spy->wait(10000));
    for (const auto& spy : finished)
        QVERIFY(spy->first().first().value<GenerationResult>().ok());
    QCOMPARE(server.requests().size(), 3);
    // No sooner than the window after the first (a bound the pacer guarantees, not a speed check).
    QVERIFY2(clock.elapsed() >= 1400, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(std::any_of(thirdStatuses.cbegin(), thirdStatuses.cend(), [](const JobStatus& status) {
        return status.phase == JobPhase::Waiting && status.retryInSeconds > 0;
    }));
}

QTEST_GUILESS_MAIN(TestRequestPacer)
#include "tst_RequestPacer.moc"
