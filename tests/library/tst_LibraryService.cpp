#include "FolderPerTest.h"
#include "TestTakes.h"
#include "library/Library.h"
#include "library/LibraryService.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

/// The window's library: reads on the caller's thread, writes queued on the writer thread, one set of signals, and
/// takes another process adds noticed on disk.
class TestLibraryService final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void addsOnTheWriterThreadAndSignalsOnTheCallersThread();
    void favouriteTrashRestoreAndExportReportWhatHappened();
    void aTakeTheLibraryCannotKeepIsRescued();
    void noticesTakesAnotherProcessAdded();
    void queuedWritesFinishBeforeDestruction();
    void aLoopDragsOutAndIsKeptWithItsParent();
    void aLoopThatCannotBeWrittenKeepsNoTake();

private:
    std::unique_ptr<LibraryService> openService();
    Take addAndWait(LibraryService& service, const QString& prompt, int seed = 42);
    /// What the window hands over for a loop of bars 1 and 2 of `parent` (TakeLoops makes it in the app).
    static Take loopRecipe(const Take& parent);
};

std::unique_ptr<LibraryService> TestLibraryService::openService()
{
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    auto service = std::make_unique<LibraryService>(filePath(u"library"_s), options);
    const OpenReport report = service->open();
    if (!report.ok)
        qWarning("%s", qPrintable(report.message));
    return service;
}

Take TestLibraryService::addAndWait(LibraryService& service, const QString& prompt, int seed)
{
    QSignalSpy added(&service, &LibraryService::takeAdded);
    service.add(TestTakes::result(prompt, seed));
    if (!added.wait(10000))
        return {};
    return added.constFirst().constFirst().value<Take>();
}

void TestLibraryService::addsOnTheWriterThreadAndSignalsOnTheCallersThread()
{
    const auto service = openService();
    QVERIFY(service->isOpen());
    QVERIFY(service->openReport().ok);

    QThread* signalledOn = nullptr;
    connect(service.get(), &LibraryService::takeAdded, this, [&] { signalledOn = QThread::currentThread(); });
    const Take take = addAndWait(*service, u"rainy piano"_s, 7);
    QCOMPARE(take.prompt, u"rainy piano"_s);
    QCOMPARE(take.seed, 7);
    QCOMPARE(signalledOn, QThread::currentThread());

    // Reads see what the writer committed, through the caller's own connection.
    QCOMPARE(service->count({}), 1);
    QCOMPARE(service->takes({}).constFirst().id, take.id);
    QCOMPARE(service->find(take.id.left(5))->prompt, u"rainy piano"_s);
    QVERIFY(QFileInfo::exists(service->audioPath(take)));
}

void TestLibraryService::favouriteTrashRestoreAndExportReportWhatHappened()
{
    const auto service = openService();
    const Take take = addAndWait(*service, u"dusty drums"_s);
    QVERIFY(!take.id.isEmpty());

    QSignalSpy changed(service.get(), &LibraryService::takeChanged);
    QSignalSpy saved(service.get(), &LibraryService::favouriteSaved);
    service->setFavourite(take.id, true);
    QVERIFY(saved.wait(10000));
    const QString copy = saved.constFirst().at(1).toString();
    QVERIFY2(QFileInfo::exists(copy), qPrintable(copy));
    QVERIFY(copy.startsWith(filePath(u"favourites"_s)));
    QTRY_VERIFY(!changed.isEmpty());
    QVERIFY(changed.constLast().constFirst().value<Take>().favourite);

    changed.clear();
    service->moveToTrash(take.id);
    QTRY_COMPARE(changed.size(), 1);
    QVERIFY(changed.constLast().constFirst().value<Take>().trashed);
    service->restore(take.id);
    QTRY_COMPARE(changed.size(), 2);
    QVERIFY(!changed.constLast().constFirst().value<Take>().trashed);

    QSignalSpy exported(service.get(), &LibraryService::exported);
    const QString target = filePath(u"out.flac"_s);
    service->exportTake(take.id, target, AudioFormat::Flac);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.constFirst().at(1).toString(), target);
    QFile flac(target);
    QVERIFY(flac.open(QIODevice::ReadOnly));
    QCOMPARE(flac.read(4), QByteArray("fLaC"));

    // A write that cannot be done says why, in words.
    QSignalSpy failed(service.get(), &LibraryService::failed);
    service->setFavourite(u"zzzzzzzzzz"_s, true);
    QVERIFY(failed.wait(10000));
    QVERIFY(!failed.constFirst().constFirst().toString().isEmpty());
}

void TestLibraryService::aTakeTheLibraryCannotKeepIsRescued()
{
    const auto service = openService();
    // This year's clips folder cannot be made: a file stands where it would go (being root is no help).
    const QString clips = filePath(u"library/clips"_s);
    QVERIFY(QDir().mkpath(clips));
    QFile blocker(clips + u'/' + QDateTime::currentDateTimeUtc().toString(u"yyyy"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();

    QSignalSpy failed(service.get(), &LibraryService::failed);
    QSignalSpy added(service.get(), &LibraryService::takeAdded);
    const GenerationResult result = TestTakes::result(u"paid for"_s, 99);
    service->add(result);
    QVERIFY(failed.wait(10000));
    QCOMPARE(added.size(), 0);
    const QString message = failed.constFirst().constFirst().toString();
    const QDir rescued(filePath(u"library/rescued"_s));
    const QStringList files = rescued.entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QVERIFY2(message.contains(rescued.filePath(files.constFirst())), qPrintable(message));
    QFile kept(rescued.filePath(files.constFirst()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), result.audio);
}

void TestLibraryService::noticesTakesAnotherProcessAdded()
{
    const auto service = openService();
    QSignalSpy changedOnDisk(service.get(), &LibraryService::changedOnDisk);
    {
        // What musicgen-cli does: its own Library on the same folder.
        Library cli(filePath(u"library"_s));
        QVERIFY(cli.open().ok);
        QVERIFY(cli.add(TestTakes::result(u"from the terminal"_s)));
    }
    QVERIFY(changedOnDisk.wait(LibraryService::ChangePollMs * 3));
    QCOMPARE(service->takes({}).constFirst().prompt, u"from the terminal"_s);
}

void TestLibraryService::queuedWritesFinishBeforeDestruction()
{
    {
        const auto service = openService();
        for (int seed = 0; seed < 5; ++seed)
            service->add(TestTakes::result(u"queued"_s, seed));
    } // destroyed at once: the writer finishes its queue first
    Library reopened(filePath(u"library"_s));
    QVERIFY(reopened.open().ok);
    QCOMPARE(reopened.count({}), 5);
}

Take TestLibraryService::loopRecipe(const Take& parent)
{
    Take recipe;
    recipe.prompt = parent.prompt;
    recipe.seed = parent.seed;
    recipe.requestedDuration = 1;
    recipe.provider = u"loop"_s;
    recipe.parentId = parent.id;
    recipe.loopStartBar = 1;
    recipe.loopBars = 2;
    return recipe;
}

void TestLibraryService::aLoopDragsOutAndIsKeptWithItsParent()
{
    const auto service = openService();
    const Take parent = addAndWait(*service, u"dusty drums"_s, 11);
    QVERIFY(!parent.id.isEmpty());
    const Take recipe = loopRecipe(parent);
    const QByteArray wav = TestTakes::result(u"loop"_s).audio;

    // Dragged out: a copy in the drag folder first, named as the musician's files are, plus its bars...
    QSignalSpy ready(service.get(), &LibraryService::loopDragCopyReady);
    QSignalSpy added(service.get(), &LibraryService::takeAdded);
    service->prepareLoopDragCopy(recipe, wav);
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.constFirst().at(0).value<Take>(), recipe);
    const QString copy = ready.constFirst().at(1).toString();
    QCOMPARE(QFileInfo(copy).absolutePath(), filePath(u"library/drag"_s));
    QCOMPARE(QFileInfo(copy).fileName(), u"dusty drums_11_1s_2-bar-loop.wav"_s);
    QCOMPARE(added.size(), 0); // nothing is kept before the drop

    // ...then, dropped, kept as a take linked to its parent, with the copy as its file.
    QSignalSpy exported(service.get(), &LibraryService::loopExported);
    service->keepDragCopy(copy);
    service->addLoop(recipe, wav, copy, AudioFormat::Wav);
    QVERIFY(exported.wait(10000));
    const Take loop = exported.constFirst().at(0).value<Take>();
    QCOMPARE(exported.constFirst().at(1).toString(), copy);
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(added.constFirst().constFirst().value<Take>(), loop);
    QCOMPARE(loop.parentId, parent.id);
    QCOMPARE(loop.loopStartBar, 1);
    QCOMPARE(loop.loopBars, 2);
    QCOMPARE(service->count({}), 2);
    QCOMPARE(service->find(loop.id), loop);
    QFile file(copy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains(loop.id.toUtf8())); // its tags name the take it now is

    QCOMPARE(LibraryService::loopNameTemplate({}, 4), u"{prompt}_{seed}_{duration}s_4-bar-loop"_s);
    QCOMPARE(LibraryService::loopNameTemplate(u"{id}"_s, 1), u"{id}_1-bar-loop"_s);
}

void TestLibraryService::aLoopThatCannotBeWrittenKeepsNoTake()
{
    const auto service = openService();
    const Take parent = addAndWait(*service, u"dusty drums"_s);
    QVERIFY(!parent.id.isEmpty());
    // Under a file, where no folder can be (being root is no help).
    QFile plain(filePath(u"plain"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly) && plain.write("a file") > 0);
    plain.close();

    QSignalSpy failed(service.get(), &LibraryService::failed);
    QSignalSpy added(service.get(), &LibraryService::takeAdded);
    service->addLoop(loopRecipe(parent), TestTakes::result(u"loop"_s).audio, filePath(u"plain/loop.wav"_s),
                     AudioFormat::Unknown);
    QVERIFY(failed.wait(10000));
    const QString message = failed.constFirst().constFirst().toString();
    QVERIFY2(message.startsWith(u"The loop could not be exported: "_s), qPrintable(message));
    QVERIFY2(message.contains(u"choose another"_s), qPrintable(message)); // what to do
    QCOMPARE(added.size(), 0);
    QCOMPARE(service->count({}), 1);
}

QTEST_GUILESS_MAIN(TestLibraryService)
#include "tst_LibraryService.moc"
