#include "FolderPerTest.h"
#include "TestAudio.h"
#include "TestDatabase.h"
#include "TestTakes.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"
#include "library/TakeSidecar.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Every take, trash included, sorted by id.
QList<Take> everything(const Library& library)
{
    TakeQuery query;
    query.limit = 0;
    QList<Take> all = library.takes(query);
    query.trashed = true;
    all += library.takes(query);
    std::sort(all.begin(), all.end(), [](const Take& a, const Take& b) { return a.id < b.id; });
    return all;
}

int userVersion(const QString& path)
{
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA user_version"_s) && q.next())
                version = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return version;
}

} // namespace

class TestLibraryRecovery final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void damagedDatabaseIsMovedAsideAndRebuilt_data();
    void damagedDatabaseIsMovedAsideAndRebuilt();
    void missingAudioIsFlaggedNeverDropped();
    void orphanClipWithSidecarIsReattached();
    void clipWithoutSidecarIsReattachedFromItsAudio();
    void strayFilesAreIgnored();
    void onlyChangedFoldersAreRescanned();
    void newerSchemaOpensReadOnly();
    void olderLayoutIsReadWithoutWritingIt();
    void rebuildIndexRestoresEverything();
    void deletedDatabaseIsRebuiltOnOpen();

private:
    /// Makes a library of takes with every kind of state, closes it and returns them.
    QList<Take> makeLibrary();
    std::unique_ptr<Library> library() const;
    QString root() const { return filePath(u"library"_s); }
    QString databasePath() const { return root() + u"/library.sqlite3"_s; }
};

std::unique_ptr<Library> TestLibraryRecovery::library() const
{
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    return std::make_unique<Library>(root(), options);
}

QList<Take> TestLibraryRecovery::makeLibrary()
{
    auto lib = library();
    if (!lib->open().ok)
        return {};
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        const auto take =
            lib->add(TestTakes::result(u"take %1 — ünïcödé 🎵"_s.arg(i), i, 10, i % 2 ? u"segmind"_s : u"offline"_s),
                     ids.isEmpty() ? QString() : ids.first());
        if (!take)
            return {};
        ids << take->id;
    }
    bool ok = lib->setFavourite(ids[1], true) && lib->setRating(ids[2], 3) &&
              lib->setTags(ids[3], {u"drums"_s, u"night"_s}) && lib->setNote(ids[4], u"intro"_s) &&
              lib->moveToTrash(ids[5]) && lib->setFavourite(ids[6], true) && lib->setRating(ids[6], 5);
    if (!ok)
        return {};
    // Also proves the search index is rebuilt with the rows.
    TakeQuery drums;
    drums.search = u"drum"_s;
    if (lib->count(drums) != 1)
        return {};
    return everything(*lib);
}

void TestLibraryRecovery::damagedDatabaseIsMovedAsideAndRebuilt_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("truncated") << u"truncate"_s;
    QTest::newRow("garbage") << u"garbage"_s;
    QTest::newRow("garbage with wal") << u"garbage+wal"_s;
    QTest::newRow("zeroed pages") << u"zero"_s;
}

void TestLibraryRecovery::damagedDatabaseIsMovedAsideAndRebuilt()
{
    QFETCH(QString, damage);
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);

    QFile file(databasePath());
    const qint64 size = file.size();
    QVERIFY(size > 8192);
    if (damage == "truncate"_L1) {
        QVERIFY(file.resize(size / 2));
    } else if (damage == "zero"_L1) {
        // Keeps the header but wipes the pages holding tables and indexes.
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(4096);
        file.write(QByteArray(int(size - 4096), '\0'));
        file.close();
    } else {
        QByteArray garbage(int(size), '\0');
        QRandomGenerator(7).fillRange(reinterpret_cast<quint32*>(garbage.data()), garbage.size() / 4);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(garbage);
        file.close();
        if (damage.endsWith(u"+wal"_s)) {
            for (const auto suffix : {"-wal"_L1, "-shm"_L1}) {
                QFile extra(databasePath() + suffix);
                QVERIFY(extra.open(QIODevice::WriteOnly));
                extra.write(garbage.left(1000));
            }
        }
    }

    auto lib = library();
    const OpenReport report = lib->open();
    QVERIFY2(report.ok, qPrintable(report.message));
    QVERIFY(!report.readOnly);
    QCOMPARE(report.rebuiltTakes, 12);
    QVERIFY(report.movedAsidePath.startsWith(databasePath() + u".corrupt-"_s));
    QVERIFY(QFileInfo::exists(report.movedAsidePath));
    QVERIFY(report.message.contains(u"damaged"_s));
    QVERIFY(report.message.contains(u"rebuilt from 12 takes"_s));
    QVERIFY(report.message.contains(report.movedAsidePath));
    if (damage.endsWith(u"+wal"_s)) {
        QVERIFY(QFileInfo::exists(report.movedAsidePath + u"-wal"_s));
        QVERIFY(QFileInfo::exists(report.movedAsidePath + u"-shm"_s));
    }
    QCOMPARE(everything(*lib), before);
    TakeQuery drums;
    drums.search = u"drum"_s;
    QCOMPARE(lib->count(drums), 1);
    QVERIFY(lib->add(TestTakes::result(u"after the rebuild"_s, 1, 10, u"offline"_s)));

    // The next open finds a healthy database and leaves it alone.
    lib.reset();
    lib = library();
    const OpenReport again = lib->open();
    QVERIFY(again.ok);
    QVERIFY(again.movedAsidePath.isEmpty());
    QCOMPARE(again.message, QString());
    QCOMPARE(lib->count({}), 12);
}

void TestLibraryRecovery::missingAudioIsFlaggedNeverDropped()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    const Take plain = before.at(0).favourite ? before.at(2) : before.at(0);
    const auto favourite = std::find_if(before.cbegin(), before.cend(), [](const Take& t) { return t.favourite; });
    QVERIFY(favourite != before.cend());
    const QString plainAudio = root() + u'/' + plain.audioRelativePath;
    const QString plainSaved = plainAudio + u".saved"_s;
    QVERIFY(QFile::rename(plainAudio, plainSaved));
    QVERIFY(QFile::remove(root() + u'/' + favourite->audioRelativePath));

    auto lib = library();
    OpenReport report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.missingAudio, 2);
    QCOMPARE(report.repairs.reattached, 0);
    QVERIFY(report.message.contains(u"audio of 2 takes is missing"_s));
    QCOMPARE(everything(*lib).size(), 12);
    QVERIFY(lib->find(plain.id)->audioMissing);
    const auto fav = lib->find(favourite->id);
    QVERIFY(fav->audioMissing);
    QVERIFY(fav->favourite);
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    QVERIFY(lib->matches(favourite->id, favourites));
    QString error;
    QVERIFY(lib->readAudio(*fav, &error).isEmpty());
    QVERIFY(error.contains(u"missing"_s));
    QVERIFY(!lib->exportTake(fav->id, filePath(u"x.wav"_s), AudioFormat::Unknown, false, &error));
    QVERIFY(error.contains(u"missing"_s));
    QVERIFY(lib->setRating(fav->id, 1)); // still a take: it can be rated, trashed...

    // Opening again reports them again (still missing) but says nothing new.
    lib = library();
    report = lib->open();
    QCOMPARE(report.missingAudio, 2);
    QCOMPARE(report.message, QString());

    // The audio comes back: the flag goes.
    QVERIFY(QFile::rename(plainSaved, plainAudio));
    lib = library();
    report = lib->open();
    QCOMPARE(report.missingAudio, 1);
    QVERIFY(!lib->find(plain.id)->audioMissing);
}

void TestLibraryRecovery::orphanClipWithSidecarIsReattached()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    // A take whose row never got written (killed between the sidecar and the row), made in another library.
    Take orphan;
    {
        QTemporaryDir other;
        Library elsewhere(other.path());
        QVERIFY(elsewhere.open().ok);
        const auto made = elsewhere.add(TestTakes::result(u"the orphan"_s, 77, 10, u"segmind"_s));
        QVERIFY(made);
        QVERIFY(elsewhere.setTags(made->id, {u"found"_s}));
        orphan = *elsewhere.find(made->id);
        QDir().mkpath(QFileInfo(root() + u'/' + orphan.audioRelativePath).absolutePath());
        QVERIFY(QFile::copy(elsewhere.audioPath(orphan), root() + u'/' + orphan.audioRelativePath));
        QVERIFY(QFile::copy(elsewhere.sidecarPath(orphan), root() + u"/clips/"_s +
                                                               orphan.audioRelativePath.section(u'/', 1, 2) + u'/' +
                                                               orphan.id + u".json"_s));
    }
    {
        // A second connection of a process that has just opened the library only connects: nothing is scanned.
        auto attached = library();
        const OpenReport attachReport = attached->open(Library::Opening::Attach);
        QVERIFY(attachReport.ok);
        QCOMPARE(attachReport.repairs.reattached, 0);
        QVERIFY(!attached->find(orphan.id));
    }
    auto lib = library();
    const OpenReport report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 1);
    QVERIFY(report.message.contains(u"1 take found in the clips folder without an entry"_s));
    const auto found = lib->find(orphan.id);
    QVERIFY(found);
    QCOMPARE(*found, orphan);
    QCOMPARE(everything(*lib).size(), 13);
    TakeQuery search;
    search.search = u"orphan found"_s;
    QCOMPARE(lib->count(search), 1);
}

void TestLibraryRecovery::clipWithoutSidecarIsReattachedFromItsAudio()
{
    const QString id = u"zzzz234567"_s;
    const QByteArray audio = TestAudio::sineWav(1.5, 16000, 2);
    QDir().mkpath(root() + u"/clips/2023/11"_s);
    QFile file(root() + u"/clips/2023/11/%1.wav"_s.arg(id));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(audio);
    file.close();

    // Brand new, it may be a take another process is still writing: left for later.
    auto lib = library();
    OpenReport report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 0);
    QVERIFY(!lib->find(id));

    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-60), QFileDevice::FileModificationTime));
    file.close();
    lib = library();
    report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 1);
    const auto take = lib->find(id);
    QVERIFY(take);
    QCOMPARE(take->provider, u"unknown"_s);
    QCOMPARE(take->format, AudioFormat::Wav);
    QCOMPARE(take->sampleRate, 16000);
    QCOMPARE(take->channels, 2);
    QCOMPARE(take->actualDuration, 1.5);
    QCOMPARE(take->byteSize, audio.size());
    QCOMPARE(take->sha256, QString::fromLatin1(QCryptographicHash::hash(audio, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(take->audioRelativePath, u"clips/2023/11/%1.wav"_s.arg(id));
    QVERIFY(take->created.isValid());
    QVERIFY(!take->audioMissing);
    QCOMPARE(lib->readAudio(*take), audio);
    // It got a sidecar, so the next rebuild keeps what the musician adds to it.
    QVERIFY(QFileInfo::exists(root() + u"/clips/2023/11/%1.json"_s.arg(id)));
    QVERIFY(lib->setNote(id, u"mine"_s));
    QCOMPARE(lib->rebuildIndex(), 1);
    QCOMPARE(lib->find(id)->note, u"mine"_s);
}

void TestLibraryRecovery::strayFilesAreIgnored()
{
    QDir().mkpath(root() + u"/clips/2024/01"_s);
    auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile file(root() + u"/clips/2024/01/"_s + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.flush();
        QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-60), QFileDevice::FileModificationTime));
    };
    write(u"my song.wav"_s, TestAudio::sineWav(0.1));           // not named by an id
    write(u"abcdefghij.wav.Xy12Ab"_s, TestAudio::sineWav(0.1)); // a QSaveFile leftover
    write(u"abcdefghij.txt"_s, "notes");                        // not audio
    write(u"bcdefghijk.wav"_s, "not really audio");             // named like a take but not audio
    write(u"cdefghijkm.json"_s, "{ broken");                    // a broken sidecar without audio
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipping .*my song.wav: not named by a take id"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipping .*bcdefghijk.wav"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"the sidecar .*cdefghijkm.json cannot be read"_s));
    auto lib = library();
    const OpenReport report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 0);
    QCOMPARE(lib->count({}), 0);
    QVERIFY(QFileInfo::exists(root() + u"/clips/2024/01/my song.wav"_s)); // never deleted
    // Nothing is deleted: the damaged sidecar is kept aside, and said so.
    QCOMPARE(report.repairs.damagedKept, QStringList{root() + u"/clips/2024/01/cdefghijkm.json.damaged"_s});
    QVERIFY(report.message.contains(u"cdefghijkm.json.damaged"_s));
}

void TestLibraryRecovery::onlyChangedFoldersAreRescanned()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    const QString month = QFileInfo(before.first().audioRelativePath).path(); // e.g. clips/2025/06
    auto reopen = [&] {
        auto lib = library();
        const OpenReport report = lib->open();
        return std::pair{std::move(lib), report};
    };
    auto plant = [&](const QString& dir, const QString& id, const QString& prompt) {
        Take take = before.first();
        take.id = id;
        take.prompt = prompt;
        take.parentId.clear();
        take.audioRelativePath = dir + u'/' + id + u".wav"_s;
        QDir().mkpath(root() + u'/' + dir);
        QVERIFY(QFile::copy(root() + u'/' + before.first().audioRelativePath, root() + u'/' + take.audioRelativePath));
        QVERIFY(TakeSidecar::write(root() + u'/' + dir + u'/' + id + u".json"_s, take));
    };
    {
        auto [lib, report] = reopen();
        QCOMPARE(report.repairs.reattached, 0);
        QCOMPARE(report.message, QString());
    }
    // A take written into a folder that already exists, and one into a new folder.
    plant(month, u"samemonth2"_s, u"same month"_s);
    plant(u"clips/2019/02"_s, u"oldmonth22"_s, u"old month"_s);
    {
        auto [lib, report] = reopen();
        QCOMPARE(report.repairs.reattached, 2);
        QCOMPARE(lib->find(u"samemonth2"_s)->prompt, u"same month"_s);
        QCOMPARE(lib->find(u"oldmonth22"_s)->prompt, u"old month"_s);
    }
    // The user moves a clip to another folder: the take follows it.
    const QString moved = u"clips/2019/02/"_s + before.at(2).id + u".wav"_s;
    QVERIFY(QFile::rename(root() + u'/' + before.at(2).audioRelativePath, root() + u'/' + moved));
    {
        auto [lib, report] = reopen();
        QCOMPARE(report.missingAudio, 0);
        QCOMPARE(lib->find(before.at(2).id)->audioRelativePath, moved);
        QVERIFY(!lib->readAudio(*lib->find(before.at(2).id)).isEmpty());
    }
    // A whole folder disappears: its takes are flagged, not dropped.
    QVERIFY(QDir(root() + u"/clips/2019"_s).removeRecursively());
    {
        auto [lib, report] = reopen();
        QCOMPARE(report.missingAudio, 2);
        QVERIFY(lib->find(u"oldmonth22"_s)->audioMissing);
        QVERIFY(lib->find(before.at(2).id)->audioMissing);
        QCOMPARE(everything(*lib).size(), 14);
    }
}

void TestLibraryRecovery::newerSchemaOpensReadOnly()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    QVERIFY(TestDatabase::exec(databasePath(), u"PRAGMA user_version = 999"_s));

    auto lib = library();
    QString savedPath;
    const OpenReport report = lib->open();
    QVERIFY(report.ok);
    QVERIFY(report.readOnly);
    QVERIFY(lib->isReadOnly());
    QVERIFY(report.message.contains(u"newer version of MusicGen Studio"_s));
    QVERIFY(report.message.contains(u"read-only"_s));
    QVERIFY(report.message.contains(u"999"_s));
    QCOMPARE(everything(*lib), before);
    TakeQuery drums;
    drums.search = u"drums"_s;
    QCOMPARE(lib->count(drums), 1);

    const QString id = before.first().id;
    QString error;
    QVERIFY(!lib->add(TestTakes::result(u"x"_s, 1, 10, u"offline"_s), {}, &error));
    QVERIFY(error.contains(u"read-only"_s));
    error.clear();
    QVERIFY(!lib->setRating(id, 2, &error));
    QVERIFY(error.contains(u"read-only"_s));
    QVERIFY(!lib->setFavourite(id, true, &savedPath, &error));
    QVERIFY(!lib->setTags(id, {u"x"_s}, &error));
    QVERIFY(!lib->setNote(id, u"x"_s, &error));
    QVERIFY(!lib->moveToTrash(id, &error));
    QVERIFY(!lib->restore(id, &error));
    QCOMPARE(lib->emptyTrash(&error), -1);
    QCOMPARE(lib->rebuildIndex(nullptr, &error), -1);
    QVERIFY(error.contains(u"Update MusicGen Studio"_s));
    // Reading still works.
    QVERIFY2(lib->exportTake(id, filePath(u"out.flac"_s), AudioFormat::Unknown, false, &error), qPrintable(error));
    QVERIFY(!lib->readAudio(*lib->find(id)).isEmpty());

    lib.reset();
    QCOMPARE(userVersion(databasePath()), 999);
    QCOMPARE(QFileInfo(databasePath() + u".corrupt"_s).exists(), false);
}

void TestLibraryRecovery::olderLayoutIsReadWithoutWritingIt()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    // The layout of version 1, before the columns (and the index) later versions added.
    for (const auto index : {"takes_request"_L1, "takes_analysis"_L1, "takes_tempo"_L1, "takes_key"_L1})
        QVERIFY(TestDatabase::exec(databasePath(), u"DROP INDEX "_s + index));
    for (const auto column :
         {"revision"_L1, "server_cost"_L1, "request_id"_L1, "analysis_version"_L1, "bpm"_L1, "bpm_confidence"_L1,
          "downbeat_seconds"_L1, "bpm_by_user"_L1, "key_root"_L1, "key_minor"_L1, "key_confidence"_L1,
          "loudness_lufs"_L1, "true_peak_dbtp"_L1, "loop_start_bar"_L1, "loop_bars"_L1})
        QVERIFY(TestDatabase::exec(databasePath(), u"ALTER TABLE takes DROP COLUMN "_s + column));
    QVERIFY(TestDatabase::exec(databasePath(), u"PRAGMA user_version = 1"_s));
    QFile file(databasePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();

    // What a library in a folder that cannot be written gets: its index read through a migrated private copy.
    LibraryDatabase db(databasePath(), u"older-layout"_s);
    QString error;
    QCOMPARE(db.open(true, &error, LibraryDatabase::IntegrityCheck::Auto, LibraryDatabase::Access::ReadOnly),
             LibraryDatabase::Status::Ok);
    QVERIFY(db.isReadOnly());
    TakeQuery all;
    all.limit = 0;
    QList<Take> read = db.takes(all);
    all.trashed = true;
    read += db.takes(all);
    QCOMPARE(read.size(), 12);
    QVERIFY(std::all_of(read.cbegin(), read.cend(), [](const Take& take) { return take.revision == 0; }));
    QVERIFY(!db.beginWrite(&error));
    QVERIFY(error.contains(u"read-only"_s));
    db.close();
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes); // not a byte of the file changed
    QCOMPARE(userVersion(databasePath()), 1);
}

void TestLibraryRecovery::rebuildIndexRestoresEverything()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    auto lib = library();
    QVERIFY(lib->open().ok);
    QSignalSpy removed(lib.get(), &Library::reindexed);
    QString error;
    QCOMPARE(lib->rebuildIndex(nullptr, &error), 12);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(everything(*lib), before);
}

void TestLibraryRecovery::deletedDatabaseIsRebuiltOnOpen()
{
    const QList<Take> before = makeLibrary();
    QCOMPARE(before.size(), 12);
    for (const auto suffix : {""_L1, "-wal"_L1, "-shm"_L1})
        QFile::remove(databasePath() + suffix);
    auto lib = library();
    const OpenReport report = lib->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 12);
    QCOMPARE(everything(*lib), before);
    const QList<Take> all = everything(*lib);
    QVERIFY(std::any_of(all.cbegin(), all.cend(), [](const Take& t) { return t.favourite && t.rating == 5; }));
    QVERIFY(std::any_of(all.cbegin(), all.cend(), [](const Take& t) { return t.trashed; }));
}

QTEST_GUILESS_MAIN(TestLibraryRecovery)
#include "tst_LibraryRecovery.moc"
