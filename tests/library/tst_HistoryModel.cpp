#include "TestAudio.h"
#include "TestDatabase.h"
#include "TestTakes.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "library/TakeSidecar.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr int Planted = 250; // more than one default page

QString plantedId(int i)
{
    QString id = u"aaaaaaaaaa"_s;
    for (int k = TakeId::Length - 1; i > 0; --k, i /= 32)
        id[k] = QLatin1Char(TakeId::Alphabet[i % 32]);
    return id;
}

// Puts takes straight into the clips folder (no fsync per file as the API does), one a minute in 2023, so the
// library re-attaches them all in one transaction on open. Take i is "planted i", every 10th a favourite, every
// 3rd from Segmind.
void plant(const QString& root)
{
    const QByteArray audio = TestAudio::sineWav(0.01);
    const QDateTime start(QDate(2023, 1, 1), QTime(0, 0), Qt::UTC);
    QDir().mkpath(root + u"/clips/2023/01"_s);
    for (int i = 0; i < Planted; ++i) {
        Take take;
        take.id = plantedId(i);
        take.created = start.addSecs(60 * i);
        take.prompt = u"planted %1"_s.arg(i);
        take.requestedDuration = 5 + i % 20;
        take.seed = i;
        take.provider = i % 3 == 0 ? u"segmind"_s : u"offline"_s;
        take.format = AudioFormat::Wav;
        take.favourite = i % 10 == 0;
        take.audioRelativePath = u"clips/2023/01/%1.wav"_s.arg(take.id);
        QFile file(root + u'/' + take.audioRelativePath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(audio);
        QFile sidecar(root + u"/clips/2023/01/%1.json"_s.arg(take.id));
        QVERIFY(sidecar.open(QIODevice::WriteOnly));
        sidecar.write(TakeSidecar::toJson(take));
    }
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The one file a drag of `index` hands over.
QString draggedFile(const HistoryModel& model, const QModelIndex& index)
{
    const std::unique_ptr<QMimeData> drag(model.mimeData({index}));
    return drag && drag->urls().size() == 1 ? drag->urls().constFirst().toLocalFile() : QString();
}

QStringList modelIds(const HistoryModel& model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row).data(HistoryModel::IdRole).toString();
    return ids;
}

} // namespace

class TestHistoryModel final : public QObject
{
    Q_OBJECT

private slots:
    void detailsSayWhatATakeCostAndWhere();
    void initTestCase();
    void init();
    void cleanup();

    void fetchesLazilyInPages();
    void roles();
    void queryResetsAndFilters();
    void newTakesAppearAtTheTop();
    void changesUpdateLeaveAndJoin();
    void takesFromAnotherProcessAndRefresh();
    void anUnreadableIndexIsAnErrorNotAnEmptyList();
    void dragsOutATaggedCopy();
    void theDragFolderStaysBounded();

private:
    QTemporaryDir m_template; // the planted library, copied for each test
    std::unique_ptr<QTemporaryDir> m_dir;
    /// Opens the service and the model on the library in m_dir, as the window does at start; stop() closes them.
    void start();
    void stop();
    /// Waits until `write` (a write through the service) has been reported back.
    void waitFor(void (LibraryService::*reported)(const Take&), const std::function<void()>& write);

    std::unique_ptr<LibraryService> m_library;
    std::unique_ptr<HistoryModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestHistoryModel::detailsSayWhatATakeCostAndWhere()
{
    Take take = TestTakes::sampleTake(u"night drive"_s);
    take.provider = u"segmind"_s;
    take.estimatedCost = 0.037;
    QString details = HistoryModel::details(take);
    QVERIFY2(details.startsWith(u"night drive\n"_s) && details.contains(u"estimated"_s), qPrintable(details));
    QVERIFY(!details.contains(u"request"_s));
    take.serverCost = 0.0213;
    take.requestId = u"3f6c1d2e-8b4a"_s;
    details = HistoryModel::details(take);
    QVERIFY2(details.contains(u"0.021"_s) && details.contains(u"as Segmind said"_s), qPrintable(details));
    QVERIFY(details.contains(u"request 3f6c1d2e-8b4a"_s));
}

void TestHistoryModel::initTestCase()
{
    QVERIFY(m_template.isValid());
    plant(m_template.path());
    Library library(m_template.path());
    const OpenReport report = library.open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, Planted);
}

void TestHistoryModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    // A copy of the indexed library, database and clips (std::filesystem: QFile::copy syncs every file).
    std::error_code error;
    std::filesystem::copy(QFile::encodeName(m_template.path()).toStdString(),
                          QFile::encodeName(m_dir->path()).toStdString(), std::filesystem::copy_options::recursive,
                          error);
    QVERIFY2(!error, error.message().c_str());
    start();
}

void TestHistoryModel::start()
{
    LibraryOptions options;
    options.favouritesDir = m_dir->filePath(u"favourites"_s);
    m_library = std::make_unique<LibraryService>(m_dir->path(), options);
    const OpenReport report = m_library->open();
    QVERIFY(report.ok);
    QCOMPARE(report.repairs.reattached, 0);
    m_model = std::make_unique<HistoryModel>(m_library.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void TestHistoryModel::stop()
{
    m_tester.reset();
    m_model.reset();
    m_library.reset();
}

void TestHistoryModel::cleanup()
{
    stop();
    m_dir.reset();
}

void TestHistoryModel::waitFor(void (LibraryService::*reported)(const Take&), const std::function<void()>& write)
{
    QSignalSpy spy(m_library.get(), reported);
    write();
    QVERIFY(spy.wait(10000));
}

void TestHistoryModel::fetchesLazilyInPages()
{
    // The tester fetched a page of its own when it was attached; start again to count.
    m_model->setQuery({});
    QCOMPARE(m_model->rowCount(), HistoryModel::DefaultPageSize);
    QVERIFY(m_model->canFetchMore({}));
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), Planted);
    QCOMPARE(inserted.count(), 1);
    QVERIFY(!m_model->canFetchMore({}));
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), Planted);
    QCOMPARE(inserted.count(), 1);

    // Newest first, every take once.
    QStringList expected;
    for (int i = Planted - 1; i >= 0; --i)
        expected << plantedId(i);
    QCOMPARE(modelIds(*m_model), expected);

    m_model->setPageSize(100);
    m_model->setQuery({});
    QCOMPARE(m_model->rowCount(), 100);
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), 200);
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), Planted);
    QVERIFY(!m_model->canFetchMore({}));
    QCOMPARE(modelIds(*m_model), expected);
    QVERIFY(!m_model->canFetchMore(m_model->index(0)));
    QCOMPARE(m_model->rowCount(m_model->index(0)), 0);
}

void TestHistoryModel::roles()
{
    {
        Library writer(m_dir->path());
        QVERIFY(writer.open().ok);
        QVERIFY(writer.setTags(plantedId(Planted - 1), {u"drums"_s}));
        QVERIFY(writer.setRating(plantedId(Planted - 1), 4));
    }
    m_model->setQuery({});
    const QModelIndex top = m_model->index(0);
    const Take take = *m_library->find(plantedId(Planted - 1));
    QCOMPARE(top.data(Qt::DisplayRole).toString(), take.prompt);
    QCOMPARE(top.data(HistoryModel::IdRole).toString(), take.id);
    QCOMPARE(top.data(HistoryModel::PromptRole).toString(), take.prompt);
    QCOMPARE(top.data(HistoryModel::DurationRole).toInt(), take.requestedDuration);
    QCOMPARE(top.data(HistoryModel::SeedRole).toInt(), Planted - 1);
    QCOMPARE(top.data(HistoryModel::ProviderRole).toString(), take.provider);
    QCOMPARE(top.data(HistoryModel::CreatedRole).toDateTime(), take.created);
    QCOMPARE(top.data(HistoryModel::FavouriteRole).toBool(), take.favourite);
    QCOMPARE(top.data(HistoryModel::RatingRole).toInt(), 4);
    QCOMPARE(top.data(HistoryModel::TagsRole).toStringList(), QStringList{u"drums"_s});
    QCOMPARE(top.data(HistoryModel::AudioMissingRole).toBool(), false);
    QCOMPARE(top.data(HistoryModel::TakeRole).value<Take>(), take);
    QCOMPARE(m_model->takeAt(0), take);
    QCOMPARE(m_model->takeAt(-1).id, QString());
    QCOMPARE(m_model->rowOf(take.id), 0);
    QCOMPARE(m_model->roleNames().value(HistoryModel::PromptRole), QByteArray("prompt"));
    QVERIFY(!m_model->index(0).data(Qt::UserRole + 999).isValid());
}

void TestHistoryModel::queryResetsAndFilters()
{
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    m_model->setQuery(favourites);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), Planted / 10);
    QVERIFY(!m_model->canFetchMore({}));

    TakeQuery search;
    search.search = u"planted 24"_s; // "24" as a prefix: 24 and 240..249
    search.provider = u"segmind"_s;  // of which the multiples of 3
    m_model->setQuery(search);
    QCOMPARE(modelIds(*m_model),
             QStringList({plantedId(249), plantedId(246), plantedId(243), plantedId(240), plantedId(24)}));
    QCOMPARE(m_model->query().search, search.search);

    m_model->setQuery({});
    QCOMPARE(m_model->rowCount(), HistoryModel::DefaultPageSize);
}

void TestHistoryModel::newTakesAppearAtTheTop()
{
    m_model->setQuery({}); // one page: the tester fetched the rest when it was attached
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy added(m_library.get(), &LibraryService::takeAdded);
    m_library->add(TestTakes::result(u"brand new"_s));
    QVERIFY(added.wait(10000));
    const Take take = added.constFirst().constFirst().value<Take>();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(m_model->index(0).data(HistoryModel::IdRole).toString(), take.id);
    QCOMPARE(m_model->rowCount(), HistoryModel::DefaultPageSize + 1);

    // Paging carries on after the last row shown, without repeating the new one.
    while (m_model->canFetchMore({}))
        m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), Planted + 1);
    QCOMPARE(modelIds(*m_model).removeDuplicates(), 0);

    // A take that does not pass the filters stays out.
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    m_model->setQuery(favourites);
    const int rows = m_model->rowCount();
    waitFor(&LibraryService::takeAdded, [&] { m_library->add(TestTakes::result(u"not a favourite"_s)); });
    QCOMPARE(m_model->rowCount(), rows);
}

void TestHistoryModel::changesUpdateLeaveAndJoin()
{
    m_model->setQuery({}); // one page: the tester fetched the rest when it was attached
    const QString second = plantedId(Planted - 2);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    waitFor(&LibraryService::takeChanged, [&] { m_library->setFavourite(second, true); });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(m_model->index(1).data(HistoryModel::FavouriteRole).toBool(), true);
    waitFor(&LibraryService::takeChanged, [&] { m_library->setFavourite(second, false); });

    // Trashed: it leaves the list; restored: it comes back where it belongs.
    waitFor(&LibraryService::takeChanged, [&] { m_library->moveToTrash(second); });
    QCOMPARE(m_model->rowOf(second), -1);
    QCOMPARE(m_model->rowCount(), HistoryModel::DefaultPageSize - 1);
    waitFor(&LibraryService::takeChanged, [&] { m_library->restore(second); });
    QCOMPARE(m_model->rowOf(second), 1);

    // In the favourites view, favouriting makes a take join in order.
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    m_model->setQuery(favourites);
    QCOMPARE(m_model->rowOf(second), -1);
    waitFor(&LibraryService::takeChanged, [&] { m_library->setFavourite(second, true); });
    QCOMPARE(m_model->rowOf(second), 0);
    waitFor(&LibraryService::takeChanged, [&] { m_library->setFavourite(plantedId(15), true); });
    QCOMPARE(m_model->rowOf(plantedId(15)), m_model->rowCount() - 3); // between 20 and 10 (0 is last)
    waitFor(&LibraryService::takeChanged, [&] { m_library->setFavourite(second, false); });
    QCOMPARE(m_model->rowOf(second), -1);
}

void TestHistoryModel::takesFromAnotherProcessAndRefresh()
{
    // A take added by another process (the CLI) shows up when the service notices the index changed on disk.
    m_model->setQuery({});
    m_model->fetchMore({});
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    Library cli(m_dir->path());
    QVERIFY(cli.open().ok);
    const auto fromCli = cli.add(TestTakes::result(u"from the cli"_s));
    QVERIFY(fromCli);
    QCOMPARE(m_model->rowOf(fromCli->id), -1);
    QVERIFY(reset.wait(4 * LibraryService::ChangePollMs));
    QCOMPARE(m_model->rowOf(fromCli->id), 0);
    QCOMPARE(m_model->rowCount(), Planted); // as many rows as were loaded
    QVERIFY(m_model->canFetchMore({}));

    // What another process changed elsewhere in the list is read again on refresh().
    QVERIFY(cli.moveToTrash(plantedId(Planted - 1)));
    m_model->refresh();
    QCOMPARE(m_model->rowOf(plantedId(Planted - 1)), -1);
}

void TestHistoryModel::anUnreadableIndexIsAnErrorNotAnEmptyList()
{
    LibraryService service(m_dir->path(), LibraryOptions{});
    QVERIFY(service.open().ok);
    HistoryModel model(&service);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.errorText().isEmpty());

    // Another connection takes the index's takes table away after the window opened it: the service's next look
    // at the disk finds out.
    const QString database = m_dir->filePath(u"library.sqlite3"_s);
    QSignalSpy errorChanged(&model, &HistoryModel::errorChanged);
    QVERIFY(TestDatabase::exec(database, u"ALTER TABLE takes RENAME TO takes_elsewhere"_s));
    QVERIFY(errorChanged.wait(4 * LibraryService::ChangePollMs));
    QCOMPARE(errorChanged.count(), 1);
    QCOMPARE(errorChanged.first().at(0).toString(), model.errorText());
    QVERIFY2(model.errorText().startsWith(u"The history could not be read: "_s) &&
                 model.errorText().contains(u"no such table: takes"_s) && model.errorText().contains(database),
             qPrintable(model.errorText()));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    model.setQuery(favourites);
    QVERIFY(!model.errorText().isEmpty());
    QCOMPARE(errorChanged.count(), 1); // the same failure, said once

    // Repaired behind the window's back: the list reads again and the error goes.
    model.setQuery({});
    QVERIFY(TestDatabase::exec(database, u"ALTER TABLE takes_elsewhere RENAME TO takes"_s));
    QVERIFY(errorChanged.wait(4 * LibraryService::ChangePollMs));
    QVERIFY(model.errorText().isEmpty());
    QCOMPARE(model.rowCount(), HistoryModel::DefaultPageSize);
}

void TestHistoryModel::dragsOutATaggedCopy()
{
    m_model->setQuery({});
    const QModelIndex top = m_model->index(0);
    const QString id = top.data(HistoryModel::IdRole).toString();
    const QString clip = m_library->audioPath(m_model->takeAt(0));
    waitFor(&LibraryService::takeChanged, [&] {
        m_library->setAnalysis(id, MusicAnalysis{1, 92.4, 0.8, 0.1, {}, MusicalKey{9, true}, 0.7, -14.0, -1.0});
    });
    QCOMPARE(draggedFile(*m_model, top), clip); // not selected yet: the clip itself

    // Selected: a tagged copy is made in the background; until it is ready, a drag hands over the clip.
    QSignalSpy ready(m_library.get(), &LibraryService::dragCopyReady);
    m_model->prepareDrag(top);
    QCOMPARE(draggedFile(*m_model, top), clip);
    QVERIFY(ready.wait(10000));
    const QString copy = draggedFile(*m_model, top);
    QCOMPARE(copy, m_dir->filePath(u"drag/planted 249_249_14s.wav"_s)); // named like a favourite copy
    const auto tags = AudioTags::read(readFile(copy));
    QVERIFY(tags);
    QCOMPARE(tags->bpm, 92);
    QCOMPARE(tags->key, u"Am"_s);
    QCOMPARE(tags->title, u"planted 249"_s);
    const auto dragged = AudioCodec::decode(readFile(copy));
    const auto kept = AudioCodec::decode(readFile(clip));
    QVERIFY(dragged && kept);
    QCOMPARE(dragged->samples, kept->samples);
    QCOMPARE(readFile(clip), TestAudio::sineWav(0.01)); // the clip stays exactly as it was

    // The musician corrects the tempo: the copy with the old one is never handed over, a new one follows.
    waitFor(&LibraryService::takeChanged, [&] { m_library->setTempoByUser(id, 184.8); });
    const QString meanwhile = draggedFile(*m_model, top);
    QVERIFY2(meanwhile == clip || AudioTags::read(readFile(meanwhile)).value_or(EmbeddedTags{}).bpm == 185,
             qPrintable(meanwhile));
    QTRY_COMPARE_WITH_TIMEOUT(AudioTags::read(readFile(draggedFile(*m_model, top))).value_or(EmbeddedTags{}).bpm, 185,
                              10000);
    QCOMPARE(AudioTags::read(readFile(draggedFile(*m_model, top)))->key, u"Am"_s);

    // Arrowing quickly past takes asks for a copy of the one the selection rests on, not of each passed.
    QSignalSpy passed(m_library.get(), &LibraryService::dragCopyReady);
    for (int row = 2; row < 6; ++row)
        m_model->prepareDrag(m_model->index(row));
    m_model->prepareDrag(m_model->index(1));
    QVERIFY(passed.wait(10000));
    QTest::qWait(2 * HistoryModel::DragCopyDelayMs);
    QCOMPARE(passed.count(), 1);
    QCOMPARE(passed.first().first().value<Take>().id, m_model->index(1).data(HistoryModel::IdRole).toString());

    // Another take selected: the first one's copy still serves a drag while it is current.
    QVERIFY(draggedFile(*m_model, m_model->index(1)).startsWith(m_dir->filePath(u"drag/"_s)));
    QVERIFY(draggedFile(*m_model, top).startsWith(m_dir->filePath(u"drag/"_s)));
}

void TestHistoryModel::theDragFolderStaysBounded()
{
    m_model->setQuery({});
    const QDir drag(m_dir->filePath(u"drag"_s));
    const auto copiesIn = [&drag] { return drag.entryList(QDir::Files).size(); };
    // Selects the takes in rows [from, to), one after another, as a musician auditioning down the list does.
    const auto select = [this](int from, int to) {
        for (int row = from; row < to; ++row) {
            QSignalSpy one(m_library.get(), &LibraryService::dragCopyReady);
            m_model->prepareDrag(m_model->index(row));
            QVERIFY(one.wait(10000));
        }
    };

    // The first take is dragged out into a DAW that refers to the file where it lies.
    QSignalSpy ready(m_library.get(), &LibraryService::dragCopyReady);
    select(0, 1);
    const QString handedOut = draggedFile(*m_model, m_model->index(0));
    QCOMPARE(QFileInfo(handedOut).absolutePath(), drag.absolutePath());
    const QByteArray handedOutBytes = readFile(handedOut);

    const int selections = LibraryService::DragCopiesKept + 5;
    select(1, 1 + selections);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1 + selections, 30000);
    QCOMPARE(copiesIn(), LibraryService::DragCopiesKept + 1);
    QCOMPARE(readFile(handedOut), handedOutBytes);
    QCOMPARE(draggedFile(*m_model, m_model->index(0)), handedOut);

    // The app starts again: the dragged copy is still kept, the copies only prepared still go.
    stop();
    start();
    m_model->setQuery({});
    QSignalSpy readyAgain(m_library.get(), &LibraryService::dragCopyReady);
    const int first = 1 + selections;
    select(first, first + selections);
    QTRY_COMPARE_WITH_TIMEOUT(readyAgain.count(), selections, 30000);
    QCOMPARE(copiesIn(), LibraryService::DragCopiesKept + 1);
    QCOMPARE(readFile(handedOut), handedOutBytes);
    QVERIFY(drag.entryList({u".musicgen-*"_s}, QDir::Files | QDir::Hidden).isEmpty());

    // The last selected take drags out as its copy; those whose copies were let go, as their clips.
    const QModelIndex last = m_model->index(first + selections - 1);
    QCOMPARE(QFileInfo(draggedFile(*m_model, last)).absolutePath(), drag.absolutePath());
    int copies = 0;
    for (int row = first; row < first + selections; ++row) {
        const QString dragged = draggedFile(*m_model, m_model->index(row));
        if (QFileInfo(dragged).absolutePath() == drag.absolutePath())
            ++copies;
        else
            QCOMPARE(dragged, m_library->audioPath(m_model->takeAt(row)));
    }
    QCOMPARE(copies, LibraryService::DragCopiesKept);
}

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_HistoryModel.moc"
