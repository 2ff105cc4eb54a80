#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "analysis/TakeAnalysis.h"
#include "generation/GenerationService.h"
#include "generation/OfflineProvider.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestGenerationService final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void invalidRequestsSendNothing_data();
    void invalidRequestsSendNothing();
    void aRandomSeedIsDrawnAndRecorded();
    void takesRunInParallelAndCancelIndependently();
    void theOfflineProviderMakesTheRequestedClip();
    void cancellingAnOfflineTakeKeepsNothing();

private:
    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<NetworkGateway> m_gateway;
    std::unique_ptr<SegmindProvider> m_segmind;
};

void TestGenerationService::init()
{
    m_server = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_server->listen());
    m_gateway = std::make_unique<NetworkGateway>();
    SegmindConfig config;
    config.transport = SegmindTransport::V1; // the scripted server answers as v1 does
    config.apiBase = m_server->baseUrl();
    config.apiKey = "k";
    m_segmind = std::make_unique<SegmindProvider>(m_gateway.get(), config);
}

void TestGenerationService::cleanup()
{
    m_segmind.reset();
    m_gateway.reset();
    m_server.reset();
}

void TestGenerationService::invalidRequestsSendNothing_data()
{
    QTest::addColumn<GenerationRequest>("request");
    QTest::newRow("blank prompt") << GenerationRequest{u"   "_s, 10, 1};
    QTest::newRow("duration 0") << GenerationRequest{u"x"_s, 0, 1};
    QTest::newRow("seed 10000") << GenerationRequest{u"x"_s, 10, 10000};
}

void TestGenerationService::invalidRequestsSendNothing()
{
    QFETCH(GenerationRequest, request);
    GenerationService service(m_segmind.get());
    QSignalSpy finished(&service, &GenerationService::jobFinished);
    const auto submission = service.submit(request);
    QVERIFY(!submission.accepted());
    QVERIFY(!submission.error.isEmpty());
    QTest::qWait(100);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestGenerationService::aRandomSeedIsDrawnAndRecorded()
{
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    GenerationService service(m_segmind.get());
    QSignalSpy finished(&service, &GenerationService::jobFinished);
    const auto submission = service.submit({u"ambient pads"_s, 1, -1});
    QVERIFY(submission.accepted());
    QVERIFY(submission.request.seed >= 0 && submission.request.seed <= 9999);
    QVERIFY(finished.wait(5000));
    const auto result = finished.constFirst().at(1).value<GenerationResult>();
    QCOMPARE(result.request.seed, submission.request.seed);
    const QJsonObject body = QJsonDocument::fromJson(m_server->requests().constFirst().body).object();
    QCOMPARE(body.value("seed"_L1).toInt(), submission.request.seed);
}

void TestGenerationService::takesRunInParallelAndCancelIndependently()
{
    ScriptedResponse slow =
        ScriptedResponse::audio(TestAudio::sineWav(1.0)).withBehaviour(ScriptedResponse::Behaviour::Drip);
    slow.dripChunkBytes = 8192;
    slow.dripIntervalMs = 40;
    m_server->setFallback(slow);
    GenerationService service(m_segmind.get());
    QSignalSpy finished(&service, &GenerationService::jobFinished);
    const auto a = service.submit({u"take a"_s, 1, 1});
    const auto b = service.submit({u"take b"_s, 1, 2});
    const auto c = service.submit({u"take c"_s, 1, 3});
    QVERIFY(a.accepted() && b.accepted() && c.accepted());
    QVERIFY(a.jobId != b.jobId && b.jobId != c.jobId);
    QCOMPARE(service.runningCount(), 3);
    QTRY_COMPARE(m_server->requestCount(), 3); // all three are on the wire at once
    service.cancel(b.jobId);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10000);
    QHash<quint64, GenerationResult> results;
    for (const auto& arguments : finished)
        results.insert(arguments.at(0).toULongLong(), arguments.at(1).value<GenerationResult>());
    QVERIFY(results.value(a.jobId).ok());
    QCOMPARE(results.value(b.jobId).error.kind, ErrorKind::Cancelled);
    QVERIFY(results.value(c.jobId).ok());
    QCOMPARE(results.value(c.jobId).request.prompt, u"take c"_s);
    QCOMPARE(service.runningCount(), 0);
}

void TestGenerationService::theOfflineProviderMakesTheRequestedClip()
{
    OfflineProvider offline;
    GenerationService service(&offline);
    QSignalSpy finished(&service, &GenerationService::jobFinished);
    QVERIFY(service.submit({u"lo-fi hip hop with a soothing piano, 80 bpm"_s, 3, 7}).accepted());
    QVERIFY(finished.wait(20000));
    const auto result = finished.constFirst().at(1).value<GenerationResult>();
    QVERIFY2(result.ok(), qPrintable(result.error.toUserText()));
    QCOMPARE(result.providerId, u"offline"_s);
    QCOMPARE(result.audioInfo.format, AudioFormat::Wav);
    QCOMPARE(result.audioInfo.sampleRate, 32000);
    QCOMPARE(result.audioInfo.channels, 1);
    QCOMPARE(result.audioInfo.frames, qint64(3 * 32000));
    QCOMPARE(m_server->requestCount(), 0);
    // Measured before it is handed over: the tempo and key the engine composed, and the sketch's loudness.
    QVERIFY(result.analysis);
    QCOMPARE(result.analysis->version, TakeAnalysis::Version);
    QCOMPARE(result.analysis->bpm, 80.0);
    QCOMPARE(result.analysis->bpmConfidence, 1.0);
    QVERIFY(result.analysis->key.isValid());
    QVERIFY(result.analysis->loudnessLufs && std::abs(*result.analysis->loudnessLufs + 14.0) < 0.5);
}

void TestGenerationService::cancellingAnOfflineTakeKeepsNothing()
{
    OfflineProvider offline;
    GenerationService service(&offline);
    QSignalSpy finished(&service, &GenerationService::jobFinished);
    const auto submission = service.submit({u"epic cinematic orchestral"_s, 30, 3});
    service.cancel(submission.jobId);
    QVERIFY(finished.wait(20000));
    const auto result = finished.constFirst().at(1).value<GenerationResult>();
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QVERIFY(result.audio.isEmpty());
    QTest::qWait(500); // the render finishing later must not report a second time
    QCOMPARE(finished.size(), 1);
}

QTEST_GUILESS_MAIN(TestGenerationService)
#include "tst_GenerationService.moc"
