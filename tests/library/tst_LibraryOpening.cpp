#include "FolderPerTest.h"
#include "TestDatabase.h"
#include "TestTakes.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"
#include "library/LibraryService.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QtEndian>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Runs `sql` on the file at `path` through a connection of its own and returns the first column of its first row
// (empty when there is none or it failed).
QString firstValue(const QString& path, const QString& sql)
{
    QString value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(path);
        QSqlQuery query(db);
        if (db.open() && query.exec(sql) && query.next())
            value = query.value(0).toString();
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return value;
}

// What PRAGMA quick_check or integrity_check (`check`) says first about the file at `path`: "ok" when it is sound.
QString checkFile(const QString& path, const QString& check)
{
    return firstValue(path, u"PRAGMA "_s + check);
}

// When the last full integrity check of the file at `path` was recorded (seconds since 1970), or -1.
qint64 lastFullCheck(const QString& path)
{
    const QString value = firstValue(path, u"SELECT value FROM meta WHERE key = 'last_full_check'"_s);
    return value.isEmpty() ? -1 : value.toLongLong();
}

// Damages the first entry of the index `name` in the closed database file at `path`: the low byte of the row it
// names (the record's last) changes, so it names a row that does not exist. Every page stays well-formed, so
// PRAGMA quick_check passes; only PRAGMA integrity_check, which compares each index entry with its row, notices.
bool damageIndexEntry(const QString& path, const QString& name)
{
    const qint64 pageSize = firstValue(path, u"PRAGMA page_size"_s).toLongLong();
    const qint64 rootPage =
        firstValue(path, u"SELECT rootpage FROM sqlite_master WHERE name = '%1'"_s.arg(name)).toLongLong();
    QFile file(path);
    if (pageSize <= 0 || rootPage <= 1 || !file.open(QIODevice::ReadWrite) || !file.seek((rootPage - 1) * pageSize))
        return false;
    QByteArray page = file.read(pageSize);
    constexpr char LeafIndexPage = 0x0a;
    if (page.size() != pageSize || page.at(0) != LeafIndexPage || qFromBigEndian<quint16>(page.constData() + 3) == 0)
        return false;
    // The first cell: its payload's size as a varint, then the payload (the record).
    qsizetype at = qFromBigEndian<quint16>(page.constData() + 8);
    qint64 payload = 0;
    for (int i = 0; i < 9 && at < page.size(); ++i) {
        const auto byte = quint8(page.at(at++));
        payload = (payload << 7) | (byte & 0x7f);
        if (byte < 0x80)
            break;
    }
    const qsizetype last = at + payload - 1;
    if (last >= page.size())
        return false;
    page[last] = char(page.at(last) ^ 0x01);
    return file.seek((rootPage - 1) * pageSize) && file.write(page) == pageSize;
}

// Every take the service lists, trash included, sorted by id.
QList<Take> everything(const LibraryService& service)
{
    TakeQuery query;
    query.limit = 0;
    QList<Take> all = service.takes(query);
    query.trashed = true;
    all += service.takes(query);
    std::sort(all.begin(), all.end(), [](const Take& a, const Take& b) { return a.id < b.id; });
    return all;
}

} // namespace

/// What opening a library checks before its takes are shown, and what LibraryService leaves to its writer thread:
/// the full integrity check, with its repair, its record and its debt when it never finished.
class TestLibraryOpening final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void damageOnlyTheFullCheckFindsIsRepairedAfterOpening();
    void alwaysFullIntegrityCheckChecksBeforeOpening();
    void aCheckThatPassedIsRecordedAndNotRepeatedTheSameDay();
    void aCheckThatNeverFinishedIsOwedByTheNextOpening();
    void aReadOnlyLibraryIsCheckedInFullBeforeItOpens();
    void changedFoldersAreMatchedExactly();

private:
    QString root() const { return filePath(u"library"_s); }
    QString databasePath() const { return root() + u"/library.sqlite3"_s; }
    LibraryOptions options() const;
    /// A closed library of 12 takes in every state (favourite, rated, tagged, trashed, analysed), sorted by id.
    QList<Take> makeLibrary();
    /// Makes the closed library's file larger than LibrarySchema::FullCheckMaxBytes, as 30,000 takes would.
    bool makeLarge();
    std::unique_ptr<LibraryService> openService(const LibraryOptions& options);
};

LibraryOptions TestLibraryOpening::options() const
{
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    return options;
}

QList<Take> TestLibraryOpening::makeLibrary()
{
    Library library(root(), options());
    if (!library.open().ok)
        return {};
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        const auto take = library.add(TestTakes::result(u"take %1"_s.arg(i), i));
        if (!take)
            return {};
        ids << take->id;
        MusicAnalysis analysis;
        analysis.version = 1;
        analysis.bpm = 80 + 5 * i;
        analysis.key = MusicalKey{i, i % 2 == 1};
        if (!library.setAnalysis(take->id, analysis))
            return {};
    }
    if (!library.setFavourite(ids[1], true) || !library.setRating(ids[2], 4) ||
        !library.setTags(ids[3], {u"drums"_s}) || !library.setTempoByUser(ids[4], 120) || !library.moveToTrash(ids[5]))
        return {};
    TakeQuery query;
    query.limit = 0;
    QList<Take> all = library.takes(query);
    query.trashed = true;
    all += library.takes(query);
    std::sort(all.begin(), all.end(), [](const Take& a, const Take& b) { return a.id < b.id; });
    return all;
}

bool TestLibraryOpening::makeLarge()
{
    return TestDatabase::exec(databasePath(), u"CREATE TABLE ballast (bytes BLOB)"_s) &&
           TestDatabase::exec(databasePath(), u"INSERT INTO ballast VALUES (zeroblob(%1))"_s.arg(
                                                  LibrarySchema::FullCheckMaxBytes + 1024 * 1024)) &&
           QFileInfo(databasePath()).size() > LibrarySchema::FullCheckMaxBytes;
}

std::unique_ptr<LibraryService> TestLibraryOpening::openService(const LibraryOptions& options)
{
    auto service = std::make_unique<LibraryService>(root(), options);
    if (const OpenReport report = service->open(); !report.ok)
        qWarning("%s", qPrintable(report.message));
    return service;
}

void TestLibraryOpening::damageOnlyTheFullCheckFindsIsRepairedAfterOpening()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    QVERIFY(damageIndexEntry(databasePath(), u"takes_tempo"_s));
    QCOMPARE(checkFile(databasePath(), u"quick_check"_s), u"ok"_s);
    const QString damage = checkFile(databasePath(), u"integrity_check"_s);
    QVERIFY2(damage.contains(u"takes_tempo"_s), qPrintable(damage));

    // The window opens with the quick check, which passes, and shows the history at once.
    const auto service = openService(options());
    const OpenReport report = service->openReport();
    QVERIFY2(report.ok, qPrintable(report.message));
    QVERIFY(!report.fullIntegrityCheck);
    QVERIFY(report.fullCheckOwed);
    QCOMPARE(report.message, QString());
    HistoryModel model(service.get());
    QAbstractItemModelTester tester(&model);
    QCOMPARE(model.rowCount(), 11);
    QSignalSpy reindexed(service.get(), &LibraryService::reindexed);
    QSignalSpy failed(service.get(), &LibraryService::failed);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy readErrors(&model, &HistoryModel::errorChanged);

    // The writer thread's full check finds the damage; the index is moved aside and rebuilt from the sidecars.
    QVERIFY(reindexed.wait(30000));
    const QString message = reindexed.constFirst().constFirst().toString();
    QVERIFY2(message.contains(u"damaged"_s) && message.contains(u"rebuilt from 12 takes"_s), qPrintable(message));
    const QRegularExpressionMatch aside =
        QRegularExpression(QRegularExpression::escape(databasePath()) + u"\\.corrupt-[0-9TZ-]+"_s).match(message);
    QVERIFY2(aside.hasMatch(), qPrintable(message));
    QVERIFY(checkFile(aside.captured(), u"integrity_check"_s).contains(u"takes_tempo"_s)); // kept as it was
    QCOMPARE(checkFile(databasePath(), u"integrity_check"_s), u"ok"_s);
    QCOMPARE(failed.size(), 0);

    // Nothing is lost, and the history shows the rebuilt index.
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(everything(*service), before);
    TakeQuery tempo;
    tempo.search = u"bpm:120"_s;
    QCOMPARE(service->count(tempo), 2); // 120 detected, and 120 the musician's
    QSignalSpy added(service.get(), &LibraryService::takeAdded);
    service->add(TestTakes::result(u"after the repair"_s));
    QVERIFY(added.wait(10000));
    const QString id = added.constFirst().constFirst().value<Take>().id;
    QCOMPARE(model.rowCount(), 12);
    QCOMPARE(model.index(0).data(HistoryModel::IdRole).toString(), id);
    QVERIFY(service->find(id)); // read from the new index
    QCOMPARE(service->count({}), 12);
    QCOMPARE(readErrors.size(), 0); // the history could be read throughout
}

void TestLibraryOpening::alwaysFullIntegrityCheckChecksBeforeOpening()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    QVERIFY(damageIndexEntry(databasePath(), u"takes_key"_s));
    LibraryOptions always = options();
    always.alwaysFullIntegrityCheck = true;
    const auto service = openService(always);
    const OpenReport report = service->openReport();
    QVERIFY2(report.ok, qPrintable(report.message));
    QVERIFY(report.fullIntegrityCheck);
    QVERIFY(!report.fullCheckOwed);
    QCOMPARE(report.rebuiltTakes, 12);
    QVERIFY(QFileInfo::exists(report.movedAsidePath));
    QVERIFY2(report.message.contains(u"rebuilt from 12 takes"_s), qPrintable(report.message));
    QCOMPARE(everything(*service), before);
}

void TestLibraryOpening::aCheckThatPassedIsRecordedAndNotRepeatedTheSameDay()
{
    QCOMPARE(makeLibrary().size(), 12);
    QVERIFY(makeLarge());
    QCOMPARE(lastFullCheck(databasePath()), -1);
    {
        const auto service = openService(options());
        QVERIFY(!service->openReport().fullIntegrityCheck);
        QVERIFY(service->openReport().fullCheckOwed);
    } // a service finishes its writer's queue before it goes, and the check came first
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVERIFY(qAbs(lastFullCheck(databasePath()) - now) < 60);

    // An hour later the check is not due: the service does not run it again, so the record stays as it was.
    const qint64 anHourAgo = now - 3600;
    QVERIFY(TestDatabase::exec(databasePath(),
                               u"UPDATE meta SET value = %1 WHERE key = 'last_full_check'"_s.arg(anHourAgo)));
    {
        const auto service = openService(options());
        QVERIFY(!service->openReport().fullIntegrityCheck);
        QVERIFY(!service->openReport().fullCheckOwed);
    }
    QCOMPARE(lastFullCheck(databasePath()), anHourAgo);

    // A day later it is.
    QVERIFY(TestDatabase::exec(databasePath(), u"UPDATE meta SET value = %1 WHERE key = 'last_full_check'"_s.arg(
                                                   now - LibrarySchema::FullCheckIntervalSecs - 60)));
    {
        const auto service = openService(options());
        QVERIFY(service->openReport().fullCheckOwed);
    }
    QVERIFY(qAbs(lastFullCheck(databasePath()) - QDateTime::currentSecsSinceEpoch()) < 60);
}

void TestLibraryOpening::aCheckThatNeverFinishedIsOwedByTheNextOpening()
{
    QCOMPARE(makeLibrary().size(), 12);
    QVERIFY(makeLarge());
    {
        // What the window's opening does before its writer thread runs the full check. The process ends here, killed
        // before the check finished: the check records nothing until it has passed.
        Library library(root(), options());
        const OpenReport report = library.open(Library::Opening::QuickCheckAndReconcile);
        QVERIFY(report.ok);
        QVERIFY(report.fullCheckOwed);
    }
    QCOMPARE(lastFullCheck(databasePath()), -1);

    {
        Library library(root(), options());
        QString error;
        QCOMPARE(library.checkInFull(&error), LibraryDatabase::Status::Failed); // not open: nothing checked
        QVERIFY(error.contains(u"not open"_s));
        QVERIFY(library.open(Library::Opening::QuickCheckAndReconcile).fullCheckOwed);
        QCOMPARE(library.checkInFull(&error), LibraryDatabase::Status::Ok);
    }
    QVERIFY(lastFullCheck(databasePath()) > 0);
    Library library(root(), options());
    QVERIFY(!library.open(Library::Opening::QuickCheckAndReconcile).fullCheckOwed);
}

void TestLibraryOpening::aReadOnlyLibraryIsCheckedInFullBeforeItOpens()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    QVERIFY(makeLarge());
    QVERIFY(TestDatabase::exec(databasePath(), u"PRAGMA user_version = 999"_s));
    {
        // A read-only library can neither record a check nor move a damaged file aside: it is checked in full at
        // open, as it always was.
        const auto service = openService(options());
        const OpenReport report = service->openReport();
        QVERIFY(report.ok);
        QVERIFY(report.readOnly);
        QVERIFY(report.fullIntegrityCheck);
        QVERIFY(!report.fullCheckOwed);
        QCOMPARE(everything(*service), before);
    }
    QCOMPARE(lastFullCheck(databasePath()), -1);
    QCOMPARE(firstValue(databasePath(), u"PRAGMA user_version"_s), u"999"_s);

    // Damage only the full check finds is found before such a library is read.
    QVERIFY(damageIndexEntry(databasePath(), u"takes_tempo"_s));
    LibraryDatabase db(databasePath(), u"read-only"_s);
    QString error;
    QCOMPARE(db.open(true, &error, LibraryDatabase::IntegrityCheck::Deferred, LibraryDatabase::Access::ReadOnly),
             LibraryDatabase::Status::Corrupt);
    QVERIFY2(error.contains(u"integrity check failed"_s), qPrintable(error));
}

void TestLibraryOpening::changedFoldersAreMatchedExactly()
{
    // The reconcile at open reads the rows of the folders that changed: exactly those directly in each, in one pass.
    QVERIFY(QDir().mkpath(root()));
    LibraryDatabase db(databasePath(), u"folders"_s);
    QString error;
    QCOMPARE(db.open(false, &error), LibraryDatabase::Status::Ok);
    const QStringList dirs = {u"clips/2024/03"_s,  u"clips/2024"_s, u"clips"_s,           u"clips/2024/03/sub"_s,
                              u"clips/2024/030"_s, u"clipsx"_s,     u"clips/Ünïcode 🎵"_s, u"clips/Ünïcode 🎵/x"_s};
    QHash<QString, QString> dirOf;
    for (const QString& dir : dirs) {
        Take take = TestTakes::sampleTake();
        take.id = TakeId::generate();
        take.audioRelativePath = dir + u'/' + take.id + u".wav"_s;
        QVERIFY2(db.insert(take, &error), qPrintable(error));
        dirOf.insert(take.id, dir);
    }
    const QString missing = dirOf.key(u"clips"_s);
    QVERIFY(db.setAudioMissing({missing}, true, &error));

    const QStringList changed = {u"clips"_s, u"clips/2024/03"_s, u"clips/Ünïcode 🎵"_s, u"clips/gone"_s};
    const QHash<QString, LibraryDatabase::IndexedAudio> rows = db.indexedAudio(changed);
    QCOMPARE(rows.size(), 3);
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        QCOMPARE(it->dir, dirOf.value(it.key()));
        QVERIFY(changed.contains(it->dir));
        QCOMPARE(it->missing, it.key() == missing);
    }
    const QHash<QString, LibraryDatabase::IndexedAudio> all = db.indexedAudio();
    QCOMPARE(all.size(), dirs.size());
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        QCOMPARE(it->dir, dirOf.value(it.key()));
}

QTEST_GUILESS_MAIN(TestLibraryOpening)
#include "tst_LibraryOpening.moc"
