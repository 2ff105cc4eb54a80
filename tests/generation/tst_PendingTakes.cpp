#include "FolderPerTest.h"
#include "generation/PendingTakes.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

PendingTake pendingTake(const QString& requestId, const QDateTime& submitted)
{
    PendingTake take;
    take.requestId = requestId;
    take.request = {u"lo-fi music with a soothing melody"_s, 12, 417};
    take.apiBase = QUrl(u"http://127.0.0.1:8765/v1"_s);
    take.submitted = submitted;
    take.parentId = u"t73xclj33w"_s;
    return take;
}

/// Asks for the lock on `path` as another program would (flock(1), without waiting); its exit code: 0 when it got
/// the lock, 1 when someone holds it.
int lockFromAnotherProcess(const QString& path)
{
    QProcess flock;
    flock.start(u"flock"_s, {u"--nonblock"_s, path, u"true"_s});
    if (!flock.waitForFinished(10000) || flock.exitStatus() != QProcess::NormalExit)
        return -1;
    return flock.exitCode();
}

} // namespace

/// The notes of takes Segmind's queue accepted, as files on a real disk, and their locks as other processes see them.
class TestPendingTakes final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void aTakeIsKeptReadAndForgotten();
    void aHostileRequestIdMakesASafeFileName();
    void aFileThatIsNotARecordIsSkippedAndLeftInPlace_data();
    void aFileThatIsNotARecordIsSkippedAndLeftInPlace();
    void takesComeOldestFirst();
    void aFolderThatCannotBeMadeSaysWhy();
    void aClaimedTakeCannotBeClaimedByAnotherProcess();
    void aMissingRecordCannotBeClaimed();
    void isOverOnlyWhenSegmindWillNotDeliver_data();
    void isOverOnlyWhenSegmindWillNotDeliver();

private:
    QString pendingDir() const { return filePath(u"pending-takes"_s); }
    /// The notes (each may have a ".lock" file beside it, which a claim locks).
    QStringList pendingFiles() const { return QDir(pendingDir()).entryList({u"*.json"_s}, QDir::Files | QDir::Hidden); }
};

void TestPendingTakes::aTakeIsKeptReadAndForgotten()
{
    const PendingTakes pending(folderPath());
    QCOMPARE(pending.all(), QList<PendingTake>()); // no folder yet: nothing waits
    const PendingTake take = pendingTake(u"2b7c1f0e-5d1a-4c3e-9a57-0f3b8e1d2c4a"_s,
                                         QDateTime(QDate(2025, 3, 14), QTime(9, 26, 53, 589), Qt::UTC));
    QString error;
    QVERIFY2(pending.add(take, &error), qPrintable(error));
    QCOMPARE(pending.all(), QList<PendingTake>{take});
    QCOMPARE(pendingFiles().size(), 1); // no temporary file left beside it

    // Noted again (the same request), it is still one record.
    QVERIFY(pending.add(take));
    QCOMPARE(pending.all().size(), 1);

    pending.remove(take.requestId);
    QCOMPARE(pending.all(), QList<PendingTake>());
    QCOMPARE(pendingFiles(), QStringList());
    pending.remove(take.requestId); // forgetting what is gone is harmless
    pending.remove(QString());
}

void TestPendingTakes::aHostileRequestIdMakesASafeFileName()
{
    const PendingTakes pending(folderPath());
    const PendingTake take = pendingTake(u"../../escaped/..\\x/../.."_s, QDateTime::currentDateTimeUtc());
    QVERIFY(pending.add(take));
    const QStringList names = pendingFiles();
    QCOMPARE(names.size(), 1);
    static const QRegularExpression safeName(u"^[0-9a-f]{40}\\.json$"_s);
    QVERIFY2(safeName.match(names.constFirst()).hasMatch(), qPrintable(names.constFirst()));
    QCOMPARE(QDir(folderPath()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{u"pending-takes"_s});
    QVERIFY(!QFileInfo::exists(QDir(folderPath()).absoluteFilePath(u"../escaped"_s)));
    QCOMPARE(pending.all(), QList<PendingTake>{take});
    pending.remove(take.requestId);
    QCOMPARE(pendingFiles(), QStringList());
}

void TestPendingTakes::aFileThatIsNotARecordIsSkippedAndLeftInPlace_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("\x89PNG\r\n\x1a\n garbage");
    QTest::newRow("a JSON array") << QByteArray(R"(["requestId"])");
    QTest::newRow("no request id") << QByteArray(
        R"({"prompt":"x","duration":10,"seed":1,"apiBase":"http://127.0.0.1/v1","submitted":"2025-01-01T00:00:00Z"})");
    QTest::newRow("a duration that cannot be asked")
        << QByteArray(R"({"requestId":"r","prompt":"x","duration":0,"seed":1,"apiBase":"http://127.0.0.1/v1"})");
    QTest::newRow("a blank prompt") << QByteArray(
        R"({"requestId":"r","prompt":"  ","duration":5,"seed":1,"apiBase":"http://127.0.0.1/v1"})");
}

void TestPendingTakes::aFileThatIsNotARecordIsSkippedAndLeftInPlace()
{
    QFETCH(QByteArray, content);
    const PendingTakes pending(folderPath());
    const PendingTake take = pendingTake(u"good"_s, QDateTime::currentDateTimeUtc());
    QVERIFY(pending.add(take));
    QFile stranger(pendingDir() + u"/stranger.json"_s);
    QVERIFY(stranger.open(QIODevice::WriteOnly));
    QCOMPARE(stranger.write(content), content.size());
    stranger.close();

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Pending takes: skipping .*/stranger\\.json"_s));
    QCOMPARE(pending.all(), QList<PendingTake>{take});
    QVERIFY(stranger.open(QIODevice::ReadOnly));
    QCOMPARE(stranger.readAll(), content); // left as it was, for a person to look at
}

void TestPendingTakes::takesComeOldestFirst()
{
    const PendingTakes pending(folderPath());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const PendingTake middle = pendingTake(u"a-middle"_s, now.addSecs(-60));
    const PendingTake newest = pendingTake(u"b-newest"_s, now);
    const PendingTake oldest = pendingTake(u"c-oldest"_s, now.addDays(-1));
    for (const PendingTake& take : {newest, oldest, middle})
        QVERIFY(pending.add(take));
    const QList<PendingTake> all = pending.all();
    QCOMPARE(all, (QList<PendingTake>{oldest, middle, newest}));
}

void TestPendingTakes::aFolderThatCannotBeMadeSaysWhy()
{
    // A library root that is a file: its pending-takes folder cannot be made, even by root.
    QFile file(filePath(u"root"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const PendingTakes pending(file.fileName());
    QString error;
    QVERIFY(!pending.add(pendingTake(u"r"_s, QDateTime::currentDateTimeUtc()), &error));
    QVERIFY2(error.contains(file.fileName() + u"/pending-takes"_s), qPrintable(error));
}

void TestPendingTakes::aClaimedTakeCannotBeClaimedByAnotherProcess()
{
    const PendingTakes pending(folderPath());
    const PendingTake take = pendingTake(u"claimed"_s, QDateTime::currentDateTimeUtc());
    QVERIFY(pending.add(take));
    QString record = pendingDir() + u'/' + pendingFiles().constFirst();
    record.replace(u".json"_s, u".lock"_s); // the claim locks a file beside the note, which is replaced as it learns
    QCOMPARE(lockFromAnotherProcess(record), 0); // nobody holds it yet

    std::unique_ptr<PendingTakes::Claim> claim = pending.claim(take.requestId);
    QVERIFY(claim);
    QCOMPARE(lockFromAnotherProcess(record), 1);
    QVERIFY(!pending.claim(take.requestId)); // nor a second claim in this process

    claim.reset();
    QCOMPARE(lockFromAnotherProcess(record), 0);
    QVERIFY(pending.claim(take.requestId));
}

void TestPendingTakes::aMissingRecordCannotBeClaimed()
{
    const PendingTakes pending(folderPath());
    QVERIFY(!pending.claim(u"never-noted"_s));
}

void TestPendingTakes::isOverOnlyWhenSegmindWillNotDeliver_data()
{
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("over");
    // Over: the request will never bring a take, so its note must go.
    QTest::newRow("FAILED (422)") << ErrorKind::GenerationFailed << 422 << true;
    QTest::newRow("bad audio") << ErrorKind::BadAudio << 200 << true;
    QTest::newRow("too large") << ErrorKind::BadAudio << 0 << true;
    QTest::newRow("record expired (404)") << ErrorKind::Server << 404 << true;
    QTest::newRow("not found (404)") << ErrorKind::NotFound << 404 << true;
    QTest::newRow("audio gone (410)") << ErrorKind::Server << 410 << true;
    QTest::newRow("model retired (410)") << ErrorKind::ModelRetired << 410 << true;
    // Not over: Segmind may still make it, and resume can fetch it.
    QTest::newRow("timeout") << ErrorKind::Timeout << 0 << false;
    QTest::newRow("cancelled") << ErrorKind::Cancelled << 0 << false;
    QTest::newRow("network") << ErrorKind::Network << 0 << false;
    QTest::newRow("bad gateway") << ErrorKind::Server << 502 << false;
    QTest::newRow("unavailable") << ErrorKind::Server << 503 << false;
    QTest::newRow("invalid key") << ErrorKind::Authentication << 401 << false;
    QTest::newRow("rate limited") << ErrorKind::RateLimited << 429 << false;
    QTest::newRow("no credits") << ErrorKind::InsufficientCredits << 406 << false;
}

void TestPendingTakes::isOverOnlyWhenSegmindWillNotDeliver()
{
    QFETCH(ErrorKind, kind);
    QFETCH(int, httpStatus);
    QFETCH(bool, over);
    GenerationError error;
    error.kind = kind;
    error.httpStatus = httpStatus;
    QCOMPARE(PendingTakes::isOver(error), over);
}

QTEST_GUILESS_MAIN(TestPendingTakes)
#include "tst_PendingTakes.moc"
