#include "FolderPerTest.h"
#include "TestAudio.h"
#include "TestTakes.h"
#include "library/Favourites.h"
#include "library/Library.h"
#include "library/LibraryReconciler.h"
#include "library/TakeSidecar.h"
#include "platform/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

/// The library's two copies of every take, the index row and the sidecar, healing each other: the rule for a change
/// interrupted between them (the higher revision wins), damaged and missing sidecars written again from the index,
/// favourites that are saved once, and leftovers of killed writes. Crashes are reproduced by writing what a killed
/// process leaves behind; tests/faults kills real processes at every fsync and rename.
class TestLibraryHealing : public FolderPerTest
{
    Q_OBJECT

private slots:
    void changesRaiseTheRevisionInBothCopies();
    void interruptedChangeIsCompletedFromTheSidecar();
    void olderSidecarIsWrittenAgainByRebuild();
    void deletedSidecarIsWrittenAgainOnOpen();
    void rebuildKeepsTheRecipesTheIndexHolds();
    void rebuildKeepsTakesWhoseFilesAreGone();
    void interruptedFavouriteMakesNoSecondCopy();
    void leftoverTemporariesAreRemovedOnOpen();

private:
    QString root() const { return filePath(u"library"_s); }
    std::unique_ptr<Library> openLibrary(OpenReport* report = nullptr) const;
    /// Takes with a recipe worth keeping, in a closed library.
    QList<Take> makeTakes(int count);
};

std::unique_ptr<Library> TestLibraryHealing::openLibrary(OpenReport* report) const
{
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    auto library = std::make_unique<Library>(root(), options);
    const OpenReport opened = library->open();
    if (report)
        *report = opened;
    return opened.ok ? std::move(library) : nullptr;
}

QList<Take> TestLibraryHealing::makeTakes(int count)
{
    auto library = openLibrary();
    QList<Take> takes;
    for (int i = 0; library && i < count; ++i) {
        if (const auto take = library->add(TestTakes::result(u"recipe %1: warm tape hiss"_s.arg(i), 100 + i, 8)))
            takes << *take;
    }
    return takes;
}

void TestLibraryHealing::changesRaiseTheRevisionInBothCopies()
{
    const QList<Take> takes = makeTakes(1);
    QCOMPARE(takes.size(), 1);
    auto library = openLibrary();
    QVERIFY(library);
    QCOMPARE(library->find(takes[0].id)->revision, 0);
    QVERIFY(library->setRating(takes[0].id, 4));
    QVERIFY(library->setNote(takes[0].id, u"bridge"_s));
    QVERIFY(library->setRating(takes[0].id, 4)); // no change: no new revision
    const Take indexed = *library->find(takes[0].id);
    QCOMPARE(indexed.revision, 2);
    QCOMPARE(TakeSidecar::read(library->sidecarPath(indexed))->revision, 2);
}

void TestLibraryHealing::interruptedChangeIsCompletedFromTheSidecar()
{
    const QList<Take> takes = makeTakes(3);
    QCOMPARE(takes.size(), 3);
    // What a favourite killed after its sidecar write and before its commit leaves: the sidecar one revision ahead.
    Take ahead = takes[1];
    ahead.favourite = true;
    ahead.rating = 5;
    ahead.favouritePath = filePath(u"favourites/recipe 1.wav"_s);
    ahead.revision = 1;
    auto library = openLibrary();
    QVERIFY(library);
    QVERIFY(TakeSidecar::write(library->sidecarPath(ahead), ahead));
    library.reset();
    QVERIFY(QDir().mkpath(root() + u"/pending"_s));
    QFile note(root() + u"/pending/"_s + ahead.id);
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.close();

    OpenReport report;
    library = openLibrary(&report);
    QVERIFY(library);
    QCOMPARE(report.repairs.indexUpdated, 1);
    QCOMPARE(report.repairs.sidecarsRestored, 0);
    QVERIFY2(report.message.contains(u"interrupted"_s), qPrintable(report.message));
    QCOMPARE(*library->find(ahead.id), ahead);
    QCOMPARE(library->find(takes[0].id)->favourite, false);
    QVERIFY(!note.exists());

    // Settled: the next open has nothing to do.
    library.reset();
    library = openLibrary(&report);
    QCOMPARE(report.repairs.indexUpdated, 0);
    QCOMPARE(report.message, QString());
}

void TestLibraryHealing::olderSidecarIsWrittenAgainByRebuild()
{
    const QList<Take> takes = makeTakes(2);
    QCOMPARE(takes.size(), 2);
    auto library = openLibrary();
    QVERIFY(library->setTags(takes[0].id, {u"keeper"_s}));
    const Take indexed = *library->find(takes[0].id);
    // A sidecar from before the change (restored from a backup, say) is behind the index.
    Take behind = indexed;
    behind.tags.clear();
    behind.revision = 0;
    QVERIFY(TakeSidecar::write(library->sidecarPath(indexed), behind));
    Repairs repairs;
    QCOMPARE(library->rebuildIndex(&repairs), 2);
    QCOMPARE(repairs.sidecarsRestored, 1);
    QCOMPARE(*library->find(indexed.id), indexed);
    QCOMPARE(*TakeSidecar::read(library->sidecarPath(indexed)), indexed);
}

void TestLibraryHealing::deletedSidecarIsWrittenAgainOnOpen()
{
    const QList<Take> takes = makeTakes(2);
    QCOMPARE(takes.size(), 2);
    auto library = openLibrary();
    const QString sidecar = library->sidecarPath(takes[1]);
    library.reset();
    QVERIFY(QFile::remove(sidecar));

    OpenReport report;
    library = openLibrary(&report);
    QCOMPARE(report.repairs.sidecarsRestored, 1);
    QCOMPARE(report.repairs.recipesLost, QStringList());
    QCOMPARE(*TakeSidecar::read(sidecar), takes[1]);
}

void TestLibraryHealing::rebuildKeepsTheRecipesTheIndexHolds()
{
    const QList<Take> takes = makeTakes(4);
    QCOMPARE(takes.size(), 4);
    auto library = openLibrary();
    QVERIFY(library);
    // One comma gone, a sidecar deleted, one emptied, one intact.
    const QString commaGone = library->sidecarPath(takes[0]);
    QFile file(commaGone);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray json = file.readAll();
    file.close();
    json.remove(json.indexOf(','), 1);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(json);
    file.close();
    QVERIFY(QFile::remove(library->sidecarPath(takes[1])));
    QVERIFY(QFile::resize(library->sidecarPath(takes[2]), 0));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"sidecar .* cannot be read"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"sidecar .* cannot be read"_s));
    Repairs repairs;
    QString error;
    QCOMPARE(library->rebuildIndex(&repairs, &error), 4);
    QCOMPARE(repairs.sidecarsRestored, 3);
    QCOMPARE(repairs.recipesLost, QStringList());
    QCOMPARE(repairs.damagedKept.size(), 2);
    QVERIFY(repairs.damagedKept.contains(commaGone + u".damaged"_s));
    QCOMPARE(QFileInfo(commaGone + u".damaged"_s).size(), json.size()); // the damaged bytes are kept
    const QString said = LibraryReconciler::describe(repairs);
    QVERIFY2(said.contains(u"written again from the library"_s), qPrintable(said));
    for (const Take& take : takes) {
        QCOMPARE(*library->find(take.id), take);
        QCOMPARE(*TakeSidecar::read(library->sidecarPath(take)), take);
    }
}

void TestLibraryHealing::rebuildKeepsTakesWhoseFilesAreGone()
{
    const QList<Take> takes = makeTakes(2);
    QCOMPARE(takes.size(), 2);
    auto library = openLibrary();
    QVERIFY(QFile::remove(library->audioPath(takes[0])));
    QVERIFY(QFile::remove(library->sidecarPath(takes[0])));
    Repairs repairs;
    QCOMPARE(library->rebuildIndex(&repairs), 2);
    const Take kept = *library->find(takes[0].id);
    QVERIFY(kept.audioMissing);
    QCOMPARE(kept.prompt, takes[0].prompt);
    QCOMPARE(kept.seed, takes[0].seed);
    QVERIFY(!QFileInfo::exists(library->sidecarPath(takes[0]))); // nothing written for a take whose files are gone
}

void TestLibraryHealing::interruptedFavouriteMakesNoSecondCopy()
{
    const QList<Take> takes = makeTakes(1);
    QCOMPARE(takes.size(), 1);
    auto library = openLibrary();
    // The copy was saved, then the process was killed before recording it.
    const auto saved = Favourites::save(filePath(u"favourites"_s), library->options().fileNameTemplate, takes[0],
                                        library->readAudio(takes[0]));
    QVERIFY(saved);
    QString path;
    QVERIFY(library->setFavourite(takes[0].id, true, &path));
    QCOMPARE(path, *saved);
    QCOMPARE(QDir(filePath(u"favourites"_s)).entryList(QDir::Files | QDir::Hidden).size(), 1);
    // Off and on again, and after a rebuild: still the one copy, kept in the sidecar too.
    QVERIFY(library->setFavourite(takes[0].id, false));
    QVERIFY(library->rebuildIndex() == 1);
    QVERIFY(library->setFavourite(takes[0].id, true, &path));
    QCOMPARE(path, *saved);
    QCOMPARE(TakeSidecar::read(library->sidecarPath(takes[0]))->favouritePath, *saved);
    QCOMPARE(QDir(filePath(u"favourites"_s)).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestLibraryHealing::leftoverTemporariesAreRemovedOnOpen()
{
    const QList<Take> takes = makeTakes(1);
    QCOMPARE(takes.size(), 1);
    const QString clips = QFileInfo(openLibrary()->audioPath(takes[0])).absolutePath();
    QDir().mkpath(filePath(u"favourites"_s));
    const QStringList abandoned = {clips + u"/.musicgen-abandoned1.part"_s,
                                   filePath(u"favourites/.musicgen-abandoned2.part"_s)};
    for (const QString& path : abandoned) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("half a take");
    }
    // A live writer holds the lock on its temporary file: that one stays.
    const QString live = clips + u"/.musicgen-live.part"_s;
    const int fd = ::open(QFile::encodeName(live).constData(), O_WRONLY | O_CREAT, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0);

    OpenReport report;
    auto library = openLibrary(&report);
    QVERIFY(library);
    QCOMPARE(report.repairs.temporariesRemoved, 2);
    for (const QString& path : abandoned)
        QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
    QVERIFY(QFileInfo::exists(live));
    ::close(fd);
    QVERIFY(AtomicFile::removeIfAbandoned(live));
    QCOMPARE(library->count({}), 1);
}

QTEST_GUILESS_MAIN(TestLibraryHealing)
#include "tst_LibraryHealing.moc"
