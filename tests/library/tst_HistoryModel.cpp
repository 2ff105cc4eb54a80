#include "TestAudio.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/TakeSidecar.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace Qt::StringLiterals;

namespace {

constexpr int Planted = 250; // more than one default page

GenerationResult makeResult(const QString& prompt)
{
    GenerationResult r;
    r.request = GenerationRequest{prompt, 10, 1};
    r.audio = TestAudio::sineWav(0.02);
    r.audioInfo = AudioInfo{AudioFormat::Wav, 32000, 1, 640};
    r.providerId = u"offline"_s;
    r.endpoint = u"built-in"_s;
    r.model = u"offline-sketch-1"_s;
    return r;
}

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
    void initTestCase();
    void init();
    void cleanup();

    void fetchesLazilyInPages();
    void roles();
    void queryResetsAndFilters();
    void newTakesAppearAtTheTop();
    void changesUpdateLeaveAndJoin();
    void removalsAndRefresh();

private:
    QTemporaryDir m_template; // the planted library, copied for each test
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<HistoryModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestHistoryModel::initTestCase()
{
    QVERIFY(m_template.isValid());
    plant(m_template.path());
    Library library(m_template.path());
    const OpenReport report = library.open();
    QVERIFY(report.ok);
    QCOMPARE(report.reattached, Planted);
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
    LibraryOptions options;
    options.favouritesDir = m_dir->filePath(u"favourites"_s);
    m_library = std::make_unique<Library>(m_dir->path(), options);
    const OpenReport report = m_library->open();
    QVERIFY(report.ok);
    QCOMPARE(report.reattached, 0);
    m_model = std::make_unique<HistoryModel>(m_library.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void TestHistoryModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_library.reset();
    m_dir.reset();
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
    QVERIFY(m_library->setTags(plantedId(Planted - 1), {u"drums"_s}));
    QVERIFY(m_library->setRating(plantedId(Planted - 1), 4));
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
    const auto take = m_library->add(makeResult(u"brand new"_s));
    QVERIFY(take);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(m_model->index(0).data(HistoryModel::IdRole).toString(), take->id);
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
    QVERIFY(m_library->add(makeResult(u"not a favourite"_s)));
    QCOMPARE(m_model->rowCount(), rows);
}

void TestHistoryModel::changesUpdateLeaveAndJoin()
{
    m_model->setQuery({}); // one page: the tester fetched the rest when it was attached
    const QString second = plantedId(Planted - 2);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_library->setRating(second, 5));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(m_model->index(1).data(HistoryModel::RatingRole).toInt(), 5);

    // Trashed: it leaves the list; restored: it comes back where it belongs.
    QVERIFY(m_library->moveToTrash(second));
    QCOMPARE(m_model->rowOf(second), -1);
    QCOMPARE(m_model->rowCount(), HistoryModel::DefaultPageSize - 1);
    QVERIFY(m_library->restore(second));
    QCOMPARE(m_model->rowOf(second), 1);

    // In the favourites view, favouriting makes a take join in order.
    TakeQuery favourites;
    favourites.favouritesOnly = true;
    m_model->setQuery(favourites);
    QCOMPARE(m_model->rowOf(second), -1);
    QVERIFY(m_library->setFavourite(second, true));
    QCOMPARE(m_model->rowOf(second), 0);
    QVERIFY(m_library->setFavourite(plantedId(15), true));
    QCOMPARE(m_model->rowOf(plantedId(15)), m_model->rowCount() - 3); // between 20 and 10 (0 is last)
    QVERIFY(m_library->setFavourite(second, false));
    QCOMPARE(m_model->rowOf(second), -1);
}

void TestHistoryModel::removalsAndRefresh()
{
    QVERIFY(m_library->moveToTrash(plantedId(Planted - 1)));
    TakeQuery trash;
    trash.trashed = true;
    m_model->setQuery(trash);
    QCOMPARE(m_model->rowCount(), 1);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QCOMPARE(m_library->emptyTrash(), 1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 0);

    // A take added by another process (the CLI) shows up on refresh().
    m_model->setQuery({});
    Library cli(m_dir->path());
    QVERIFY(cli.open().ok);
    const auto fromCli = cli.add(makeResult(u"from the cli"_s));
    QVERIFY(fromCli);
    QCOMPARE(m_model->rowOf(fromCli->id), -1);
    m_model->fetchMore({});
    m_model->refresh();
    QCOMPARE(m_model->rowOf(fromCli->id), 0);
    QCOMPARE(m_model->rowCount(), Planted - 1); // as many rows as were loaded
    QVERIFY(m_model->canFetchMore({}));
}

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_HistoryModel.moc"
