#include "FolderPerTest.h"
#include "TestAudio.h"
#include "TestDatabase.h"
#include "TestTakes.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"
#include "library/TakeSidecar.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList ids(const QList<Take>& takes)
{
    QStringList result;
    for (const Take& take : takes)
        result << take.id;
    return result;
}

// Writes a take's audio and sidecar straight into the clips folder, as if another process had made it.
void plantTake(const QString& root, const QString& id, const QString& prompt)
{
    Take take;
    take.id = id;
    take.created = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    take.prompt = prompt;
    take.requestedDuration = 5;
    take.provider = u"offline"_s;
    take.format = AudioFormat::Wav;
    take.audioRelativePath = u"clips/2024/05/%1.wav"_s.arg(id);
    QDir().mkpath(root + u"/clips/2024/05"_s);
    QFile audio(root + u'/' + take.audioRelativePath);
    QVERIFY(audio.open(QIODevice::WriteOnly));
    audio.write(TestAudio::sineWav(0.05));
    audio.close();
    QVERIFY(TakeSidecar::write(root + u"/clips/2024/05/%1.json"_s.arg(id), take));
}

TakeQuery trashQuery()
{
    TakeQuery query;
    query.trashed = true;
    return query;
}

TakeQuery favouritesQuery()
{
    TakeQuery query;
    query.favouritesOnly = true;
    return query;
}

} // namespace

class TestLibrary final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void openCreatesAWalDatabase();
    void addStoresAudioSidecarAndRow();
    void addRefusesWhatIsNotATake();
    void costEstimate();
    void parentId();
    void findByIdAndPrefix();
    void search_data();
    void search();
    void filters();
    void newestFirstAndPaging();
    void readsReportAnUnreadableIndex();
    void addFailsPromptlyWhenNoIdCanBeChosen();
    void changesPersistAcrossReopen();
    void trashRestoreAndEmpty();
    void exportFormats_data();
    void exportFormats();
    void exportNeverOverwrites();
    void twoInstancesShareOneLibrary();
    void concurrentWritersWaitForEachOther();

private:
    std::unique_ptr<Library> openLibrary(LibraryOptions options = {});
    QString root() const { return filePath(u"library"_s); }
};

std::unique_ptr<Library> TestLibrary::openLibrary(LibraryOptions options)
{
    if (options.favouritesDir == AppPaths::defaultFavouritesDir())
        options.favouritesDir = filePath(u"favourites"_s);
    auto library = std::make_unique<Library>(root(), options);
    const OpenReport report = library->open();
    if (!report.ok)
        qWarning("open failed: %s", qPrintable(report.message));
    return report.ok ? std::move(library) : nullptr;
}

void TestLibrary::openCreatesAWalDatabase()
{
    auto library = openLibrary();
    QVERIFY(library);
    QVERIFY(!library->isReadOnly());
    QVERIFY(library->hasFullTextSearch()); // Debian's SQLite has FTS5
    QVERIFY(QFileInfo::exists(root() + u"/library.sqlite3"_s));
    QVERIFY(QFileInfo(root() + u"/clips"_s).isDir());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        db.setDatabaseName(root() + u"/library.sqlite3"_s);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"wal"_s);
        QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), LibraryDatabase::SchemaVersion);
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
}

void TestLibrary::addStoresAudioSidecarAndRow()
{
    auto library = openLibrary();
    QVERIFY(library);
    QSignalSpy added(library.get(), &Library::takeAdded);
    const GenerationResult result = TestTakes::result(u"Lo-fi hip hop, rain on the window"_s, 7, 12, u"segmind"_s);
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QString error;
    const auto take = library->add(result, {}, &error);
    QVERIFY2(take, qPrintable(error));
    QCOMPARE(added.count(), 1);

    QVERIFY(TakeId::isValid(take->id));
    QCOMPARE(take->created.timeSpec(), Qt::UTC);
    QVERIFY(take->created >= before.addMSecs(-1) && take->created <= QDateTime::currentDateTimeUtc());
    QCOMPARE(take->prompt, result.request.prompt);
    QCOMPARE(take->requestedDuration, 12);
    QCOMPARE(take->actualDuration, 0.05);
    QCOMPARE(take->seed, 7);
    QCOMPARE(take->provider, u"segmind"_s);
    QCOMPARE(take->model, u"meta-musicgen-medium"_s);
    QCOMPARE(take->endpoint, result.endpoint);
    QCOMPARE(take->format, AudioFormat::Wav);
    QCOMPARE(take->sampleRate, 32000);
    QCOMPARE(take->channels, 1);
    QCOMPARE(take->byteSize, result.audio.size());
    QCOMPARE(take->sha256,
             QString::fromLatin1(QCryptographicHash::hash(result.audio, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(take->generationMs, 1234);
    QCOMPARE(take->attempts, 2);
    QCOMPARE(take->remainingCredits, std::optional<double>(9.5));
    QCOMPARE(take->request(), result.request);

    const QString month = take->created.toString(u"yyyy/MM"_s);
    QCOMPARE(take->audioRelativePath, u"clips/%1/%2.wav"_s.arg(month, take->id));
    QCOMPARE(library->audioPath(*take), root() + u'/' + take->audioRelativePath);
    QCOMPARE(readFile(library->audioPath(*take)), result.audio); // exactly the provider's bytes
    QCOMPARE(library->readAudio(*take), result.audio);

    const QString sidecar = root() + u"/clips/%1/%2.json"_s.arg(month, take->id);
    QCOMPARE(library->sidecarPath(*take), sidecar);
    const auto fromSidecar = TakeSidecar::read(sidecar);
    QVERIFY(fromSidecar);
    QCOMPARE(*fromSidecar, *take);
    const QJsonObject json = QJsonDocument::fromJson(readFile(sidecar)).object();
    QCOMPARE(json.value("schema"_L1).toInt(), 1);
    QCOMPARE(json.value("appVersion"_L1).toString(), QString::fromUtf8(MUSICGEN_VERSION));
    QVERIFY(!json.contains("audioMissing"_L1));
    // Kept with the take, so that favouriting after a rebuild finds the copy it made before.
    QVERIFY(json.contains("favouritePath"_L1));
    QCOMPARE(json.value("revision"_L1).toInt(), 0);

    const auto found = library->find(take->id);
    QVERIFY(found);
    QCOMPARE(*found, *take);
}

void TestLibrary::addRefusesWhatIsNotATake()
{
    auto library = openLibrary();
    QVERIFY(library);
    GenerationResult failed = TestTakes::result(u"x"_s);
    failed.error.kind = ErrorKind::Cancelled;
    QString error;
    QVERIFY(!library->add(failed, {}, &error));
    QVERIFY(error.contains(u"only finished takes"_s));

    GenerationResult notAudio = TestTakes::result(u"x"_s);
    notAudio.audio = "<html>oops</html>";
    notAudio.audioInfo = {};
    QVERIFY(!library->add(notAudio, {}, &error));
    QVERIFY(error.contains(u"not WAV"_s));

    QCOMPARE(library->count({}), 0);
    QDirIterator files(root() + u"/clips"_s, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(!files.hasNext());
}

void TestLibrary::costEstimate()
{
    LibraryOptions options;
    options.costPerTake = 0.05;
    auto library = openLibrary(options);
    QVERIFY(library);
    const auto segmind = library->add(TestTakes::result(u"a"_s, 1, 10, u"segmind"_s));
    const auto offline = library->add(TestTakes::result(u"b"_s, 1, 10, u"offline"_s));
    QVERIFY(segmind && offline);
    QCOMPARE(segmind->estimatedCost, 0.05);
    QCOMPARE(offline->estimatedCost, 0.0);
    QCOMPARE(LibraryOptions().costPerTake, 0.037);
    QCOMPARE(library->find(segmind->id)->estimatedCost, 0.05);
}

void TestLibrary::parentId()
{
    auto library = openLibrary();
    QVERIFY(library);
    const auto parent = library->add(TestTakes::result(u"a"_s, 1));
    QVERIFY(parent);
    const auto again = library->add(TestTakes::result(u"a"_s, 1), parent->id);
    const auto newSeed = library->add(TestTakes::result(u"a"_s, 2), parent->id);
    QVERIFY(again && newSeed);
    QCOMPARE(library->find(again->id)->parentId, parent->id);
    QCOMPARE(library->find(newSeed->id)->parentId, parent->id);
    QCOMPARE(library->find(parent->id)->parentId, QString());
    QString error;
    QVERIFY(!library->add(TestTakes::result(u"a"_s), u"zzzzzzzzzz"_s, &error));
    QVERIFY(error.contains(u"no take zzzzzzzzzz"_s));
    QCOMPARE(library->count({}), 3);
}

void TestLibrary::findByIdAndPrefix()
{
    for (const auto id : {"abcdeaaaaa"_L1, "abcdebbbbb"_L1, "abcdfccccc"_L1, "qrstu23456"_L1})
        plantTake(root(), id, u"planted"_s);
    auto library = openLibrary();
    QVERIFY(library);
    QString error;
    QCOMPARE(library->find(u"abcdeaaaaa"_s)->id, u"abcdeaaaaa"_s);
    QCOMPARE(library->find(u"  ABCDEA "_s)->id, u"abcdeaaaaa"_s); // case and spaces forgiven
    QCOMPARE(library->find(u"abcdf"_s)->id, u"abcdfccccc"_s);
    QCOMPARE(library->find(u"qrst"_s)->id, u"qrstu23456"_s);

    QVERIFY(!library->find(u"abcde"_s, &error));
    QCOMPARE(error, u"abcde matches 2 takes: be more specific"_s);
    QVERIFY(!library->find(u"abcd"_s, &error));
    QCOMPARE(error, u"abcd matches 3 takes: be more specific"_s);
    QVERIFY(!library->find(u"abc"_s, &error));
    QVERIFY(error.contains(u"at least 4"_s));
    QVERIFY(!library->find(u"zzzzz"_s, &error));
    QCOMPARE(error, u"no take zzzzz"_s);
    QVERIFY(!library->find(u"abcdeaaaaaa"_s, &error));
    QVERIFY(error.startsWith(u"no take"_s));
    QVERIFY(!library->find(u"ab%d"_s, &error));
    QVERIFY(error.startsWith(u"no take"_s));
    QVERIFY(!library->find(QString(), &error));
}

void TestLibrary::search_data()
{
    QTest::addColumn<bool>("fullText");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("prompts");

    const QList<std::pair<const char*, bool>> modes = {{"fts5", true}, {"like", false}};
    for (const auto& entry : modes) {
        const char* mode = entry.first;
        const bool fullText = entry.second;
        auto row = [&](const char* name, const QString& search, const QStringList& prompts) {
            QTest::addRow("%s: %s", mode, name) << fullText << search << prompts;
        };
        row("word", u"hip"_s, {u"Lo-fi hip hop with rain"_s});
        row("case", u"HIP Hop"_s, {u"Lo-fi hip hop with rain"_s});
        row("prefix", u"orch"_s, {u"Epic orchestral battle"_s});
        row("all words must match", u"rain epic"_s, {});
        row("words in any order", u"rain lo-fi"_s, {u"Lo-fi hip hop with rain"_s});
        row("tag", u"chill"_s, {u"Café jazz trio"_s});
        row("tag prefix", u"drum"_s, {u"Café jazz trio"_s});
        row("accented", u"café"_s, {u"Café jazz trio"_s});
        row("emoji", u"🎸"_s, {u"Rock anthem 🎸"_s});
        row("cjk", u"日本"_s, {u"日本の夏祭り"_s});
        row("quotes", u"\"rock"_s, {u"Rock anthem 🎸"_s});
        row("sql wildcards", u"%"_s, {});
        row("nothing", u"bagpipes"_s, {});
        row("empty", u"   "_s,
            {u"Rock anthem 🎸"_s, u"日本の夏祭り"_s, u"Café jazz trio"_s, u"Epic orchestral battle"_s,
             u"Lo-fi hip hop with rain"_s});
        if (fullText) {
            row("diacritics folded", u"cafe"_s, {u"Café jazz trio"_s});
            row("unicode case", u"CAFÉ"_s, {u"Café jazz trio"_s});
        }
    }
}

void TestLibrary::search()
{
    QFETCH(bool, fullText);
    QFETCH(QString, search);
    QFETCH(QStringList, prompts);
    LibraryOptions options;
    options.useFullTextSearch = fullText;
    auto library = openLibrary(options);
    QVERIFY(library);
    QCOMPARE(library->hasFullTextSearch(), fullText);
    for (const QString& prompt : {u"Lo-fi hip hop with rain"_s, u"Epic orchestral battle"_s, u"Café jazz trio"_s,
                                  u"日本の夏祭り"_s, u"Rock anthem 🎸"_s}) {
        const auto take = library->add(TestTakes::result(prompt));
        QVERIFY(take);
        if (prompt.startsWith(u"Café"_s))
            QVERIFY(library->setTags(take->id, {u"drums"_s, u"chill"_s}));
        QThread::msleep(2); // distinct creation times, so "newest first" is one order
    }
    TakeQuery query;
    query.search = search;
    QStringList found;
    for (const Take& take : library->takes(query))
        found << take.prompt;
    QCOMPARE(found, prompts);
    QCOMPARE(library->count(query), prompts.size());
}

void TestLibrary::filters()
{
    auto library = openLibrary();
    QVERIFY(library);
    const auto a = library->add(TestTakes::result(u"a"_s, 1, 5, u"segmind"_s));
    const auto b = library->add(TestTakes::result(u"b"_s, 1, 10, u"offline"_s));
    const auto c = library->add(TestTakes::result(u"c"_s, 1, 20, u"segmind"_s));
    const auto d = library->add(TestTakes::result(u"d"_s, 1, 30, u"offline"_s));
    QVERIFY(a && b && c && d);
    QVERIFY(library->setFavourite(a->id, true));
    QVERIFY(library->setFavourite(c->id, true));
    QVERIFY(library->moveToTrash(d->id));

    auto count = [&](auto edit) {
        TakeQuery query;
        edit(query);
        const int n = library->count(query);
        if (n != library->takes(query).size())
            return -1;
        return n;
    };
    QCOMPARE(count([](TakeQuery&) {}), 3);
    QCOMPARE(count([](TakeQuery& q) { q.favouritesOnly = true; }), 2);
    QCOMPARE(count([](TakeQuery& q) { q.provider = u"segmind"_s; }), 2);
    QCOMPARE(count([](TakeQuery& q) { q.provider = u"offline"_s; }), 1);
    QCOMPARE(count([](TakeQuery& q) { q.minDuration = 10; }), 2);
    QCOMPARE(count([](TakeQuery& q) { q.maxDuration = 10; }), 2);
    QCOMPARE(count([](TakeQuery& q) {
                 q.minDuration = 6;
                 q.maxDuration = 20;
             }),
             2);
    QCOMPARE(count([](TakeQuery& q) {
                 q.minDuration = 6;
                 q.maxDuration = 20;
                 q.favouritesOnly = true;
             }),
             1);
    QCOMPARE(count([](TakeQuery& q) { q.trashed = true; }), 1);
    QCOMPARE(count([](TakeQuery& q) {
                 q.trashed = true;
                 q.provider = u"segmind"_s;
             }),
             0);
    QCOMPARE(library->takes(trashQuery()).value(0).id, d->id);
    QVERIFY(library->matches(a->id, favouritesQuery()));
    QVERIFY(!library->matches(b->id, favouritesQuery()));
    QVERIFY(!library->matches(d->id, TakeQuery{}));
}

void TestLibrary::newestFirstAndPaging()
{
    auto library = openLibrary();
    QVERIFY(library);
    QStringList added;
    for (int i = 0; i < 6; ++i) {
        added.prepend(library->add(TestTakes::result(u"take %1"_s.arg(i)))->id);
        QThread::msleep(2);
    }
    QCOMPARE(ids(library->takes({})), added);
    TakeQuery page;
    page.limit = 4;
    QCOMPARE(ids(library->takes(page)), added.mid(0, 4));
    page.offset = 4;
    QCOMPARE(ids(library->takes(page)), added.mid(4));
    QCOMPARE(library->count(page), 6);
    const Take third = library->takes({}).at(2);
    TakeQuery keyset;
    keyset.olderThan = third.created;
    keyset.olderThanId = third.id;
    QCOMPARE(ids(library->takes(keyset)), added.mid(3));
}

void TestLibrary::readsReportAnUnreadableIndex()
{
    Library closed(root());
    QString error;
    QVERIFY(closed.takes({}, &error).isEmpty());
    QCOMPARE(error, u"the library is not open"_s);
    error.clear();
    QCOMPARE(closed.count({}, &error), -1);
    QCOMPARE(error, u"the library is not open"_s);

    auto library = openLibrary();
    QVERIFY(library);
    const auto kept = library->add(TestTakes::result(u"kept in the clips folder"_s));
    QVERIFY(kept);
    error.clear();
    QCOMPARE(library->takes({}, &error).size(), 1);
    QCOMPARE(library->count({}, &error), 1);
    QVERIFY(error.isEmpty());

    // Another connection breaks the index under the open library, as damage or a tamperer could.
    QVERIFY(TestDatabase::exec(library->databasePath(), u"DROP TABLE takes"_s));
    QVERIFY(library->takes({}, &error).isEmpty());
    QVERIFY2(error.contains(u"no such table: takes"_s), qPrintable(error));
    // ...and says what to do about it.
    QVERIFY2(error.contains(library->databasePath()) && error.contains(u"clips folder"_s), qPrintable(error));
    error.clear();
    QCOMPARE(library->count({}, &error), -1);
    QVERIFY2(error.contains(u"no such table: takes"_s), qPrintable(error));
    // Not "no take ...": the take is there, the index cannot say so.
    for (const QString& key : {kept->id, kept->id.left(5)}) {
        error.clear();
        QVERIFY(!library->find(key, &error));
        QVERIFY2(error.contains(u"no such table: takes"_s), qPrintable(error));
    }
}

void TestLibrary::addFailsPromptlyWhenNoIdCanBeChosen()
{
    auto library = openLibrary();
    QVERIFY(library);
    // Without the takes table no id can be checked for use: it once answered "in use" and drew ids forever.
    QVERIFY(TestDatabase::exec(library->databasePath(), u"DROP TABLE takes"_s));
    QSignalSpy added(library.get(), &Library::takeAdded);
    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY(!library->add(TestTakes::result(u"a paid take"_s, 1, 10, u"segmind"_s), {}, &error));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(u"add took %1 ms"_s.arg(timer.elapsed())));
    QVERIFY2(error.contains(u"could not choose an id"_s) && error.contains(u"no such table: takes"_s),
             qPrintable(error));
    QVERIFY2(error.contains(library->databasePath()), qPrintable(error));
    QCOMPARE(added.count(), 0);
    QDirIterator files(root() + u"/clips"_s, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(!files.hasNext());
}

void TestLibrary::changesPersistAcrossReopen()
{
    QString id;
    {
        auto library = openLibrary();
        QVERIFY(library);
        QSignalSpy changed(library.get(), &Library::takeChanged);
        id = library->add(TestTakes::result(u"keep me"_s))->id;
        QString error;
        QVERIFY2(library->setRating(id, 4, &error), qPrintable(error));
        QVERIFY(library->setTags(id, {u" drums "_s, u"Drums"_s, u""_s, u"late night"_s}));
        QVERIFY(library->setNote(id, u"use in the intro — ünïcödé"_s));
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.last().at(0).value<Take>().note, u"use in the intro — ünïcödé"_s);
        QVERIFY(library->setRating(id, 4)); // no change, no signal
        QCOMPARE(changed.count(), 3);
        QVERIFY(!library->setRating(id, 6, &error));
        QVERIFY(error.contains(u"0 to 5"_s));
        QVERIFY(!library->setRating(u"nope"_s, 1, &error));
    }
    auto library = openLibrary();
    QVERIFY(library);
    const auto take = library->find(id);
    QVERIFY(take);
    QCOMPARE(take->rating, 4);
    QCOMPARE(take->tags, QStringList({u"drums"_s, u"late night"_s}));
    QCOMPARE(take->note, u"use in the intro — ünïcödé"_s);
    const auto sidecar = TakeSidecar::read(library->sidecarPath(*take));
    QVERIFY(sidecar);
    QCOMPARE(sidecar->rating, 4);
    QCOMPARE(sidecar->tags, take->tags);
    QCOMPARE(sidecar->note, take->note);
}

void TestLibrary::trashRestoreAndEmpty()
{
    auto library = openLibrary();
    QVERIFY(library);
    const auto keep = library->add(TestTakes::result(u"keep"_s));
    const auto bin = library->add(TestTakes::result(u"bin"_s));
    QVERIFY(keep && bin);
    QString savedPath;
    QVERIFY(library->setFavourite(bin->id, true, &savedPath));
    QVERIFY(QFileInfo::exists(savedPath));

    QVERIFY(library->moveToTrash(bin->id));
    QCOMPARE(ids(library->takes({})), QStringList{keep->id});
    QCOMPARE(ids(library->takes(trashQuery())), QStringList{bin->id});
    QVERIFY(TakeSidecar::read(library->sidecarPath(*bin))->trashed);
    QVERIFY(library->restore(bin->id));
    QCOMPARE(library->count({}), 2);
    QVERIFY(library->moveToTrash(bin->id));

    QSignalSpy removed(library.get(), &Library::trashEmptied);
    QString error;
    QCOMPARE(library->emptyTrash(&error), 1);
    QCOMPARE(removed.count(), 1);
    QVERIFY(!QFileInfo::exists(library->audioPath(*bin)));
    QVERIFY(!QFileInfo::exists(library->sidecarPath(*bin)));
    QVERIFY(!library->find(bin->id, &error));
    QCOMPARE(library->count(trashQuery()), 0);
    QVERIFY(QFileInfo::exists(library->audioPath(*keep)));
    QVERIFY(QFileInfo::exists(savedPath)); // the user's favourite copy is theirs
    QCOMPARE(library->emptyTrash(), 0);

    // Gone for good: reopening does not bring it back.
    library = openLibrary();
    QVERIFY(library);
    QCOMPARE(ids(library->takes({})), QStringList{keep->id});
    QCOMPARE(library->count(trashQuery()), 0);
}

void TestLibrary::exportFormats_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<AudioFormat>("format");
    QTest::addColumn<AudioFormat>("expected");
    QTest::newRow("wav") << u"out.wav"_s << AudioFormat::Unknown << AudioFormat::Wav;
    QTest::newRow("flac") << u"out.flac"_s << AudioFormat::Unknown << AudioFormat::Flac;
    QTest::newRow("ogg") << u"out.ogg"_s << AudioFormat::Unknown << AudioFormat::Ogg;
    QTest::newRow("mp3") << u"out.MP3"_s << AudioFormat::Unknown << AudioFormat::Mp3;
    QTest::newRow("format over extension") << u"out.bin"_s << AudioFormat::Flac << AudioFormat::Flac;
}

void TestLibrary::exportFormats()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, format);
    QFETCH(AudioFormat, expected);
    auto library = openLibrary();
    QVERIFY(library);
    GenerationResult result = TestTakes::result(u"export me"_s, 1, 1, u"offline"_s, 0.5);
    result.analysis = MusicAnalysis{1, 120.6, 0.9, 0, {}, MusicalKey{3, true}, 0.8, -14.0, -1.0};
    const auto take = library->add(result);
    QVERIFY(take);
    const QString path = filePath(name);
    QString error;
    QVERIFY2(library->exportTake(take->id.left(6), path, format, false, &error), qPrintable(error));
    const QByteArray exported = readFile(path);
    const auto info = AudioCodec::probe(exported);
    QVERIFY(info);
    QCOMPARE(info->format, expected);
    QCOMPARE(info->sampleRate, 32000);
    QCOMPARE(info->channels, 1);
    QVERIFY(std::abs(info->durationSeconds() - 0.5) < 0.1);
    if (expected == AudioFormat::Wav)
        QVERIFY(exported.contains(result.audio.mid(36))); // the take's data chunk, byte for byte
    // Tagged like a favourite copy, with the take's tempo and key.
    const auto tags = AudioTags::read(exported, &error);
    QVERIFY2(tags, qPrintable(error));
    QCOMPARE(tags->title, u"export me"_s);
    QVERIFY(tags->comment.contains(take->id));
    QCOMPARE(tags->bpm, 121);
    QCOMPARE(tags->key, u"Ebm"_s);
}

void TestLibrary::exportNeverOverwrites()
{
    auto library = openLibrary();
    QVERIFY(library);
    const auto take = library->add(TestTakes::result(u"export me"_s));
    QVERIFY(take);
    const QString path = filePath(u"mine.wav"_s);
    QFile mine(path);
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.write("the user's own file");
    mine.close();
    QString error;
    QVERIFY(!library->exportTake(take->id, path, AudioFormat::Unknown, false, &error));
    QVERIFY(error.contains(u"already exists"_s));
    QCOMPARE(readFile(path), QByteArray("the user's own file"));
    QVERIFY2(library->exportTake(take->id, path, AudioFormat::Unknown, true, &error), qPrintable(error));
    QVERIFY(readFile(path).contains(library->readAudio(*take).mid(36))); // the take's data chunk

    QVERIFY(!library->exportTake(take->id, filePath(u"out.aiff"_s), AudioFormat::Unknown, false, &error));
    QVERIFY(error.contains(u".wav"_s));
    QVERIFY(!library->exportTake(take->id, filePath(u"no/such/dir/out.wav"_s), AudioFormat::Unknown, false, &error));
    QVERIFY(!library->exportTake(u"zzzzzzzzzz"_s, filePath(u"x.wav"_s), AudioFormat::Unknown, false, &error));
    QCOMPARE(error, u"no take zzzzzzzzzz"_s);
    const QStringList left = QDir(folderPath()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(left, QStringList{u"mine.wav"_s}); // no temporary files left behind
}

void TestLibrary::twoInstancesShareOneLibrary()
{
    auto window = openLibrary();
    auto cli = openLibrary();
    QVERIFY(window && cli);
    const auto fromCli = cli->add(TestTakes::result(u"from the cli"_s));
    QVERIFY(fromCli);
    QCOMPARE(window->find(fromCli->id)->prompt, u"from the cli"_s);
    QVERIFY(window->setRating(fromCli->id, 5));
    QCOMPARE(cli->find(fromCli->id)->rating, 5);
    const auto fromWindow = window->add(TestTakes::result(u"from the window"_s));
    QVERIFY(fromWindow);
    QCOMPARE(cli->count({}), 2);
    QVERIFY(cli->moveToTrash(fromWindow->id));
    QCOMPARE(window->count({}), 1);

    // The window notices the CLI's writes by polling dataVersion(); its own writes do not change it.
    const qint64 seen = window->dataVersion();
    QVERIFY(seen >= 0);
    QVERIFY(window->setNote(fromCli->id, u"mine"_s));
    QCOMPARE(window->dataVersion(), seen);
    QVERIFY(cli->add(TestTakes::result(u"another from the cli"_s)));
    QVERIFY(window->dataVersion() != seen);
}

void TestLibrary::concurrentWritersWaitForEachOther()
{
    constexpr int PerWriter = 12;
    auto main = openLibrary();
    QVERIFY(main);
    std::atomic<int> failures{0};
    QStringList errors;
    std::mutex errorsMutex;
    auto write = [&](Library& library, const QString& who) {
        for (int i = 0; i < PerWriter; ++i) {
            QString error;
            const auto take = library.add(TestTakes::result(u"%1 %2"_s.arg(who).arg(i)), {}, &error);
            if (!take || !library.setRating(take->id, i % 6, &error)) {
                ++failures;
                const std::lock_guard lock(errorsMutex);
                errors << error;
            }
        }
    };
    // Another connection in another thread, like the CLI running while the window is open.
    std::thread other([&] {
        Library library(root());
        if (!library.open().ok) {
            failures += PerWriter;
            return;
        }
        write(library, u"thread"_s);
    });
    write(*main, u"main"_s);
    other.join();
    QVERIFY2(failures == 0, qPrintable(errors.join(u"; "_s)));
    QCOMPARE(main->count({}), 2 * PerWriter);
    auto reopened = openLibrary(); // integrity_check runs on open
    QVERIFY(reopened);
    QCOMPARE(reopened->count({}), 2 * PerWriter);
}

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_Library.moc"
