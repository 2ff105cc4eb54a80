#include "TestAudio.h"
#include "TestFormats.h"
#include "TestSndFile.h"
#include "TestTakes.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "library/Favourites.h"
#include "library/Library.h"
#include "platform/FileNames.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

using TestTakes::sampleTake;

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Where the libraries of these tests copy favourites: a folder still to make, two deep, with a space.
QString favouritesDir(const QTemporaryDir& dir)
{
    return dir.filePath(u"My Music/MusicGen Studio"_s);
}

// The library in `dir`, opened; null when it does not open.
std::unique_ptr<Library> openLibrary(const QTemporaryDir& dir)
{
    LibraryOptions options;
    options.favouritesDir = favouritesDir(dir);
    auto library = std::make_unique<Library>(dir.filePath(u"library"_s), options);
    return library->open().ok ? std::move(library) : nullptr;
}

TestSndFile::Decoded decodeFile(const QString& path)
{
    return TestSndFile::decode(readFile(path));
}

} // namespace

class TestFavourites final : public QObject
{
    Q_OBJECT

private slots:
    void namedByTheTemplate();
    void neverOverwrites();
    void embeddedTags_data();
    void embeddedTags();
    void copiesHonourTheUmask();
    void unwritableFolder();
    void favouriteThroughTheLibrary();
    void missingAudioChangesNothing();
};

void TestFavourites::namedByTheTemplate()
{
    QTemporaryDir dir;
    QString error;
    const auto path = Favourites::save(dir.filePath(u"new/folder"_s), u"{date} {prompt} #{seed}"_s,
                                       sampleTake(u"Café: \"late\" / night"_s), TestAudio::sineWav(0.1), &error);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(*path, dir.filePath(u"new/folder/2024-03-09 Café 'late' night #42.wav"_s));
    const auto longest = Favourites::save(dir.path(), QString(FileNames::DefaultTemplate),
                                          sampleTake(u"🎵"_s.repeated(300)), TestAudio::sineWav(0.1), &error);
    QVERIFY2(longest, qPrintable(error));
    QVERIFY(QFileInfo(*longest).fileName().toUtf8().size() <= FileNames::MaxBytes);
}

void TestFavourites::neverOverwrites()
{
    QTemporaryDir dir;
    const QString pattern(FileNames::DefaultTemplate);
    const Take take = sampleTake(u"same recipe"_s);
    const QByteArray audio = TestAudio::sineWav(0.1);
    QString error;
    const auto first = Favourites::save(dir.path(), pattern, take, audio, &error);
    Take rated = take; // the same name, other tags
    rated.rating = 4;
    const auto second = Favourites::save(dir.path(), pattern, rated, audio, &error);
    QVERIFY2(first && second, qPrintable(error));
    QCOMPARE(QFileInfo(*first).fileName(), u"same recipe_42_12s.wav"_s);
    QCOMPARE(QFileInfo(*second).fileName(), u"same recipe_42_12s (2).wav"_s);
    // Saving the very same copy again (after a save that was stopped before it was recorded) makes no other file.
    QCOMPARE(Favourites::save(dir.path(), pattern, take, audio), first);

    // A file the user put there keeps its content.
    QFile mine(dir.filePath(u"same recipe_42_12s (3).wav"_s));
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.write("mine");
    mine.close();
    Take again = take;
    again.rating = 5;
    const auto fourth = Favourites::save(dir.path(), pattern, again, audio);
    QVERIFY(fourth);
    QCOMPARE(QFileInfo(*fourth).fileName(), u"same recipe_42_12s (4).wav"_s);
    QCOMPARE(readFile(dir.filePath(u"same recipe_42_12s (3).wav"_s)), QByteArray("mine"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 4); // no temporary files left
}

void TestFavourites::embeddedTags_data()
{
    QTest::addColumn<AudioFormat>("format");
    QTest::addColumn<QString>("prompt");
    const QString unicode = u"Café « jazz » 🎷 — موسيقى"_s;
    // The longest prompt the app accepts, so the recipe comment is a few kilobytes.
    const QString longest = u"slow jazz 🎷 "_s.repeated(GenerationRequest::MaxPromptLength / 12);
    for (const auto& [extension, format] : TestFormats::Every) {
        QTest::addRow("%s", extension) << format << unicode;
        QTest::addRow("%s, longest prompt", extension) << format << longest;
    }
}

void TestFavourites::embeddedTags()
{
    QFETCH(AudioFormat, format);
    QFETCH(QString, prompt);
    const QByteArray audio = TestFormats::sine(format, 0.5);
    QVERIFY(!audio.isEmpty());
    Take take = sampleTake(prompt);
    take.format = format;
    take.tags = {u"late night"_s};

    QTemporaryDir dir;
    QString error;
    const auto path = Favourites::save(dir.path(), u"{prompt}"_s, take, audio, &error);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(QFileInfo(*path).suffix(), audioFormatExtension(format));
    const QByteArray copy = readFile(*path);
    const auto info = AudioCodec::probe(copy);
    QVERIFY(info);
    QCOMPARE(info->format, format);
    QCOMPARE(info->sampleRate, 32000);

    // The whole recipe, as TagLib reads it back.
    const auto tags = AudioTags::read(copy, &error);
    QVERIFY2(tags, qPrintable(error));
    QCOMPARE(tags->title, take.prompt);
    QCOMPARE(tags->software, u"MusicGen Studio "_s + QString::fromUtf8(MUSICGEN_VERSION));
    const QJsonObject recipe = QJsonDocument::fromJson(tags->comment.toUtf8()).object();
    QCOMPARE(recipe.value("id"_L1).toString(), take.id);
    QCOMPARE(recipe.value("prompt"_L1).toString(), take.prompt);
    QCOMPARE(recipe.value("seed"_L1).toInt(), 42);
    QCOMPARE(recipe.value("schema"_L1).toInt(), 1);
    QVERIFY(!recipe.contains("promptTruncated"_L1));

    if (format == AudioFormat::Mp3)
        return;
    // What libsndfile reads: for WAV that is the INFO list, where a long recipe comes with its prompt shortened.
    const TestSndFile::Decoded seen = decodeFile(*path);
    QVERIFY(seen.opened);
    QCOMPARE(seen.software, tags->software);
    const QJsonObject seenRecipe = QJsonDocument::fromJson(seen.comment.toUtf8()).object();
    QCOMPARE(seenRecipe.value("id"_L1).toString(), take.id);
    const bool shortened = format == AudioFormat::Wav && tags->comment.toUtf8().size() > AudioTags::InfoMaxBytes;
    if (shortened) {
        QVERIFY(seen.title.endsWith(u'\u2026'));
        QVERIFY(take.prompt.startsWith(seen.title.chopped(1)));
        QVERIFY(seen.comment.toUtf8().size() <= AudioTags::InfoMaxBytes);
        QVERIFY(seenRecipe.value("promptTruncated"_L1).toBool());
        QVERIFY(take.prompt.startsWith(seenRecipe.value("prompt"_L1).toString()));
    } else {
        QCOMPARE(seen.title, take.prompt);
        QCOMPARE(seen.comment, tags->comment);
    }
}

void TestFavourites::copiesHonourTheUmask()
{
    QTemporaryDir dir;
    const mode_t old = ::umask(022);
    const auto path = Favourites::save(dir.path(), u"{prompt}"_s, sampleTake(), TestAudio::sineWav(0.1));
    ::umask(old);
    QVERIFY(path);
    struct stat info;
    QCOMPARE(::stat(QFile::encodeName(*path).constData(), &info), 0);
    QCOMPARE(info.st_mode & 07777, mode_t(0644));
}

void TestFavourites::unwritableFolder()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"file"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QString error;
    QVERIFY(!Favourites::save(dir.filePath(u"file/favourites"_s), u"{prompt}"_s, sampleTake(), TestAudio::sineWav(0.1),
                              &error));
    QVERIFY2(error.contains(u"favourites folder"_s) && error.contains(u"Settings"_s), qPrintable(error));
    QVERIFY(!Favourites::save(dir.path(), u"{prompt}"_s, sampleTake(), QByteArray("<html>"), &error));
    QVERIFY2(error.contains(u"not WAV"_s), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{u"file"_s});
}

void TestFavourites::favouriteThroughTheLibrary()
{
    QTemporaryDir dir;
    const auto library = openLibrary(dir);
    QVERIFY(library);
    const auto a = library->add(TestTakes::result(u"same recipe"_s));
    const auto b = library->add(TestTakes::result(u"same recipe"_s));
    QVERIFY(a && b);

    const QString favourites = favouritesDir(dir);
    QString first, second, error;
    QVERIFY2(library->setFavourite(a->id, true, &first, &error), qPrintable(error));
    QVERIFY(library->setFavourite(b->id, true, &second, &error));
    QCOMPARE(first, favourites + u"/same recipe_42_10s.wav"_s);
    QCOMPARE(second, favourites + u"/same recipe_42_10s (2).wav"_s);
    QCOMPARE(library->find(a->id)->favouritePath, first);
    QVERIFY(library->find(a->id)->favourite);
    QCOMPARE(decodeFile(first).title, u"same recipe"_s);
    QVERIFY(decodeFile(first).comment.contains(a->id));

    // Off keeps the user's file; on again reuses it rather than making another copy.
    QVERIFY(library->setFavourite(a->id, false));
    QVERIFY(!library->find(a->id)->favourite);
    QVERIFY(QFileInfo::exists(first));
    QString again;
    QVERIFY(library->setFavourite(a->id, true, &again));
    QCOMPARE(again, first);
    QCOMPARE(QDir(favourites).entryList(QDir::Files).size(), 2);

    // The user deleted the copy: favouriting makes a new one.
    QVERIFY(library->setFavourite(a->id, false));
    QVERIFY(QFile::remove(first));
    QVERIFY(library->setFavourite(a->id, true, &again));
    QCOMPARE(again, first);
    QVERIFY(QFileInfo::exists(first));

    // Another instance (the CLI, say) sees the copy and reuses it.
    const auto other = openLibrary(dir);
    QVERIFY(other);
    QVERIFY(other->setFavourite(a->id, true, &again));
    QCOMPARE(again, first);
    QCOMPARE(QDir(favourites).entryList(QDir::Files).size(), 2);
}

void TestFavourites::missingAudioChangesNothing()
{
    QTemporaryDir dir;
    const auto library = openLibrary(dir);
    QVERIFY(library);
    const auto take = library->add(TestTakes::result(u"gone"_s));
    QVERIFY(take);
    QVERIFY(QFile::remove(library->audioPath(*take)));
    QString error;
    QVERIFY(!library->setFavourite(take->id, true, nullptr, &error));
    QVERIFY2(error.contains(u"missing"_s), qPrintable(error));
    QVERIFY(!library->find(take->id)->favourite);
    QVERIFY(!QFileInfo::exists(favouritesDir(dir)));
}

QTEST_GUILESS_MAIN(TestFavourites)
#include "tst_Favourites.moc"
