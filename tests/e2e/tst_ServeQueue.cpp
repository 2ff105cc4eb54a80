#include "ServeProcess.h"
#include "audio/AudioCodec.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QStringList States{u"QUEUED"_s, u"PROCESSING"_s, u"COMPLETED"_s};
const QString MissingKey = u"Missing Authorization or x-api-key in header"_s;

/// Asks `statusUrl` once and notes the state when it differs from the last one noted; true once the job is no
/// longer waiting or rendering.
bool pollOnce(const QString& statusUrl, QStringList* seen)
{
    const HttpReply reply = sendRequest("GET", QUrl(statusUrl));
    const QString state =
        reply.status == 200 ? reply.json().value("status"_L1).toString() : u"HTTP %1"_s.arg(reply.status);
    if (seen->isEmpty() || seen->constLast() != state)
        seen->append(state);
    return state != States.at(0) && state != States.at(1);
}

/// Whether `seen` goes forward through QUEUED, PROCESSING, COMPLETED (each at most once) and nothing else.
bool inOrder(const QStringList& seen)
{
    qsizetype last = -1;
    for (const QString& state : seen) {
        const qsizetype index = States.indexOf(state);
        if (index <= last)
            return false;
        last = index;
    }
    return true;
}

} // namespace

/// The v2 queue of `musicgen-cli serve` as Segmind's clients use it, over loopback against the real process:
/// submit, poll the status, read the result, fetch the output without the key.
class TestServeQueue final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aJobIsQueuedRenderedAndServed();
    void everyEndpointButTheOutputWantsTheKey();
    void unknownJobsAre404_data();
    void unknownJobsAre404();
    void invalidSubmitsAre400_data();
    void invalidSubmitsAre400();
    void theUrlsFollowTheAddressTheClientUsed();
    void theQueueDelayShowsQueuedThenCompleted();
    void jobsAreForgottenAfterTheirTime();
    void atMost256JobsAreKept();

private:
    static HttpReply submit(const ServeProcess& server, const QByteArray& json, bool withKey = true);

    ServeProcess m_serve;
};

void TestServeQueue::initTestCase()
{
    QString error;
    QVERIFY2(m_serve.start({u"--idle-exit"_s, u"120"_s}, &error), qPrintable(error));
}

void TestServeQueue::cleanupTestCase()
{
    QString error;
    QVERIFY2(m_serve.stop(&error), qPrintable(error));
}

HttpReply TestServeQueue::submit(const ServeProcess& server, const QByteArray& json, bool withKey)
{
    return sendRequest("POST", QUrl(server.base() + u"/v2/meta-musicgen-medium"_s), json, withKey);
}

void TestServeQueue::aJobIsQueuedRenderedAndServed()
{
    const QByteArray json = R"({"prompt":"ambient pad in D minor","duration":4,"seed":21})";
    const HttpReply submitted = submit(m_serve, json);
    QCOMPARE(submitted.status, 200);
    QCOMPARE(submitted.header("content-type"), QByteArray("application/json"));
    const QJsonObject job = submitted.json();
    const QString id = job.value("request_id"_L1).toString();
    QVERIFY2(!QUuid::fromString(id).isNull(), submitted.body.constData());
    QCOMPARE(job.value("status"_L1).toString(), u"QUEUED"_s);
    const QString requestUrl = m_serve.base() + u"/v2/requests/"_s + id;
    QCOMPARE(job.value("poll_url"_L1).toString(), requestUrl + u"/status"_s);
    QCOMPARE(job.value("status_url"_L1).toString(), requestUrl + u"/status"_s);
    QCOMPARE(job.value("response_url"_L1).toString(), requestUrl);

    QStringList seen;
    QTRY_VERIFY_WITH_TIMEOUT(pollOnce(job.value("status_url"_L1).toString(), &seen), 30000);
    QVERIFY2(inOrder(seen) && seen.constLast() == u"COMPLETED"_s, qPrintable(seen.join(u", "_s)));

    const HttpReply result = sendRequest("GET", QUrl(job.value("response_url"_L1).toString()));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("status"_L1).toString(), u"COMPLETED"_s);
    const QString output = result.json().value("output"_L1).toString();
    QCOMPARE(output, m_serve.base() + u"/v2/outputs/%1.wav"_s.arg(id));
    const QJsonObject metrics = result.json().value("metrics"_L1).toObject();
    QCOMPARE(metrics.value("cost"_L1).toDouble(-1), 0.0);
    QVERIFY(metrics.value("remaining_credits"_L1).toDouble() > 0);
    const double queue = metrics.value("queue_time"_L1).toDouble(-1);
    const double inference = metrics.value("inference_time"_L1).toDouble(-1);
    QVERIFY(queue >= 0 && inference >= 0);
    QVERIFY(qAbs(metrics.value("total_time"_L1).toDouble(-1) - (queue + inference)) < 0.0015);

    // The output is public, as Segmind's are: fetched without the key.
    const HttpReply audio = sendRequest("GET", QUrl(output), {}, false);
    QCOMPARE(audio.status, 200);
    QCOMPARE(audio.header("content-type"), QByteArray("audio/wav"));
    const auto info = AudioCodec::probe(audio.body);
    QVERIFY(info.has_value());
    QCOMPARE(info->format, AudioFormat::Wav);
    QCOMPARE(info->sampleRate, 32000);
    QCOMPARE(info->channels, 1);
    QCOMPARE(info->frames, qint64(4 * 32000));
    QCOMPARE(sendRequest("GET", QUrl(output), {}, false).body, audio.body); // kept, not handed out once

    const HttpReply blocking = sendRequest("POST", QUrl(m_serve.base() + u"/v1/meta-musicgen-medium"_s), json);
    QCOMPARE(blocking.status, 200);
    QCOMPARE(blocking.body, audio.body); // the same take by either contract
}

void TestServeQueue::everyEndpointButTheOutputWantsTheKey()
{
    const QByteArray json = R"({"prompt":"rock with guitar","duration":1,"seed":3})";
    const HttpReply refused = submit(m_serve, json, false);
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.json().value("error"_L1).toString(), MissingKey);

    const QJsonObject job = submit(m_serve, json).json();
    const QString statusUrl = job.value("status_url"_L1).toString();
    QVERIFY(!statusUrl.isEmpty());
    for (const QString& url : {statusUrl, job.value("response_url"_L1).toString()}) {
        const HttpReply reply = sendRequest("GET", QUrl(url), {}, false);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json().value("error"_L1).toString(), MissingKey);
    }
    QStringList seen;
    QTRY_VERIFY_WITH_TIMEOUT(pollOnce(statusUrl, &seen), 30000);
    const QString output =
        sendRequest("GET", QUrl(job.value("response_url"_L1).toString())).json().value("output"_L1).toString();
    QCOMPARE(sendRequest("GET", QUrl(output), {}, false).status, 200);
}

void TestServeQueue::unknownJobsAre404_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("id");
    const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::newRow("status") << u"/v2/requests/%1/status"_s.arg(uuid) << uuid;
    QTest::newRow("result") << u"/v2/requests/%1"_s.arg(uuid) << uuid;
    QTest::newRow("output") << u"/v2/outputs/%1.wav"_s.arg(uuid) << uuid;
    QTest::newRow("not a uuid") << u"/v2/requests/not-a-job/status"_s << u"not-a-job"_s;
}

void TestServeQueue::unknownJobsAre404()
{
    QFETCH(QString, path);
    QFETCH(QString, id);
    const HttpReply reply = sendRequest("GET", QUrl(m_serve.base() + path));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().value("error"_L1).toString(), u"Request %1 not found"_s.arg(id));
}

void TestServeQueue::invalidSubmitsAre400_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("says");
    QTest::newRow("not json") << QByteArray("prompt=jazz") << u"JSON object"_s;
    QTest::newRow("no prompt") << QByteArray(R"({"duration":3})") << u"prompt"_s;
    QTest::newRow("blank prompt") << QByteArray(R"({"prompt":"   "})") << u"prompt"_s;
    QTest::newRow("duration 31") << QByteArray(R"({"prompt":"jazz","duration":31})") << u"30"_s;
    QTest::newRow("duration 2.5") << QByteArray(R"({"prompt":"jazz","duration":2.5})") << u"duration"_s;
    QTest::newRow("seed 10000") << QByteArray(R"({"prompt":"jazz","seed":10000})") << u"9999"_s;
    QTest::newRow("prompt too long") << (R"({"prompt":")" + QByteArray(2001, 'a') + R"("})") << u"2000"_s;
}

void TestServeQueue::invalidSubmitsAre400()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, says);
    const HttpReply reply = submit(m_serve, json);
    QCOMPARE(reply.status, 400);
    const QString error = reply.json().value("error"_L1).toString();
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY(!reply.json().contains("request_id"_L1));
}

void TestServeQueue::theUrlsFollowTheAddressTheClientUsed()
{
    // As when the server is reached through another name or a forwarded port.
    const HttpReply reply = sendRequest("POST", QUrl(m_serve.base() + u"/v2/meta-musicgen-medium"_s),
                                        R"({"prompt":"jazz","duration":1})", true, {{"Host", "sketch.test:9999"}});
    QCOMPARE(reply.status, 200);
    const QString id = reply.json().value("request_id"_L1).toString();
    QCOMPARE(reply.json().value("response_url"_L1).toString(), u"http://sketch.test:9999/v2/requests/"_s + id);
    QCOMPARE(reply.json().value("poll_url"_L1).toString(), u"http://sketch.test:9999/v2/requests/%1/status"_s.arg(id));
}

void TestServeQueue::theQueueDelayShowsQueuedThenCompleted()
{
    ServeProcess delayed;
    QString error;
    QVERIFY2(delayed.start({u"--queue-delay"_s, u"3000"_s}, &error), qPrintable(error));
    const QJsonObject job = submit(delayed, R"({"prompt":"dreamy synthwave","duration":2,"seed":9})").json();
    const QString id = job.value("request_id"_L1).toString();
    QVERIFY(!id.isEmpty());
    const HttpReply waiting = sendRequest("GET", QUrl(job.value("response_url"_L1).toString()));
    QCOMPARE(waiting.status, 200);
    QCOMPARE(waiting.json(), QJsonObject({{u"status"_s, u"QUEUED"_s}})); // no output yet
    QCOMPARE(sendRequest("GET", QUrl(delayed.base() + u"/v2/outputs/%1.wav"_s.arg(id)), {}, false).status, 404);

    QStringList seen;
    QTRY_VERIFY_WITH_TIMEOUT(pollOnce(job.value("status_url"_L1).toString(), &seen), 30000);
    QVERIFY2(inOrder(seen) && seen.constFirst() == u"QUEUED"_s && seen.constLast() == u"COMPLETED"_s,
             qPrintable(seen.join(u", "_s)));
    const QJsonObject metrics =
        sendRequest("GET", QUrl(job.value("response_url"_L1).toString())).json().value("metrics"_L1).toObject();
    // The job waited out its delay (a coarse timer may end it up to 5 % early), however slow the machine.
    QVERIFY2(metrics.value("queue_time"_L1).toDouble() >= 2.5,
             qPrintable(QString::number(metrics.value("queue_time"_L1).toDouble())));
    QVERIFY2(delayed.stop(&error), qPrintable(error));
}

void TestServeQueue::jobsAreForgottenAfterTheirTime()
{
    ServeProcess brief;
    QString error;
    QVERIFY2(brief.start({u"--job-ttl"_s, u"3"_s}, &error), qPrintable(error));
    const QJsonObject job = submit(brief, R"({"prompt":"calm folk guitar","duration":1,"seed":4})").json();
    const QString id = job.value("request_id"_L1).toString();
    const QUrl statusUrl(job.value("status_url"_L1).toString());
    QCOMPARE(sendRequest("GET", statusUrl).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(sendRequest("GET", statusUrl).status, 404, 30000);
    for (const QString& path : {u"/v2/requests/%1"_s, u"/v2/outputs/%1.wav"_s}) {
        const HttpReply reply = sendRequest("GET", QUrl(brief.base() + path.arg(id)));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value("error"_L1).toString(), u"Request %1 not found"_s.arg(id));
    }
    QVERIFY2(brief.stop(&error), qPrintable(error));
}

void TestServeQueue::atMost256JobsAreKept()
{
    // Jobs that wait longer than the test runs, so the count alone decides what is kept.
    ServeProcess waiting;
    QString error;
    QVERIFY2(waiting.start({u"--queue-delay"_s, u"600000"_s}, &error), qPrintable(error));
    QStringList ids;
    for (int n = 0; n < 257; ++n) {
        const HttpReply reply = submit(waiting, R"({"prompt":"techno","duration":1})");
        QCOMPARE(reply.status, 200);
        ids.append(reply.json().value("request_id"_L1).toString());
    }
    const auto status = [&waiting](const QString& id) {
        return sendRequest("GET", QUrl(waiting.base() + u"/v2/requests/%1/status"_s.arg(id))).status;
    };
    QCOMPARE(status(ids.at(0)), 404); // the oldest made room
    QCOMPARE(status(ids.at(1)), 200);
    QCOMPARE(status(ids.constLast()), 200);

    const double peakMiB = waiting.peakMemoryMiB();
    QVERIFY(peakMiB > 0);
    QVERIFY2(peakMiB < ServeProcess::MaxPeakMemoryMiB, qPrintable(u"peak RSS %1 MiB"_s.arg(peakMiB)));
    QVERIFY2(waiting.stop(&error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestServeQueue)
#include "tst_ServeQueue.moc"
