#include "TestAudio.h"
#include "TestFfprobe.h"
#include "TestFormats.h"
#include "TestSndFile.h"
#include "TestTakes.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "library/Favourites.h"
#include "library/Library.h"
#include "library/TakeSidecar.h"
#include "platform/AtomicFile.h"
#include "platform/FileNames.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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

QDateTime modified(const QString& path)
{
    return QFileInfo(path).lastModified();
}

void setModified(const QString& path, const QDateTime& time)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.setFileTime(time, QFileDevice::FileModificationTime));
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
    void tempoAndKeyOfTheTake_data();
    void tempoAndKeyOfTheTake();
    void copiesHonourTheUmask();
    void unwritableFolder();
    void favouriteThroughTheLibrary();
    void missingAudioChangesNothing();
    void dragCopiesStayFew();
    void theCopyFollowsTheTempoAndKey_data();
    void theCopyFollowsTheTempoAndKey();
    void aCopyTheMusicianReplacedIsLeftAlone();
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
    take.analysisVersion = 1;
    take.bpm = 120.6;
    take.keyRoot = 3;
    take.keyMinor = true;

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
    QCOMPARE(tags->bpm, 121);
    QCOMPARE(tags->key, u"Ebm"_s);

    // FFmpeg-based players see the tempo and key too (in a WAV they read only the INFO list, which has neither).
    if (TestFfprobe::available() && format != AudioFormat::Wav) {
        const auto shown = TestFfprobe::tags(copy, format, &error);
        QVERIFY2(shown, qPrintable(error));
        const TestFfprobe::View view = TestFfprobe::view(format);
        QCOMPARE(shown->value(view.tempo).toString(), u"121"_s);
        QCOMPARE(shown->value(view.key).toString(), u"Ebm"_s);
    }

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

void TestFavourites::tempoAndKeyOfTheTake_data()
{
    QTest::addColumn<double>("bpm");
    QTest::addColumn<double>("bpmByUser"); // 0: no correction
    QTest::addColumn<int>("keyRoot");
    QTest::addColumn<bool>("keyMinor");
    QTest::addColumn<int>("taggedBpm");
    QTest::addColumn<QString>("taggedKey");
    QTest::newRow("not analysed") << 0.0 << 0.0 << -1 << false << 0 << QString();
    QTest::newRow("rounded up") << 120.6 << 0.0 << 9 << true << 121 << u"Am"_s;
    QTest::newRow("rounded down") << 89.4 << 0.0 << 6 << false << 89 << u"F#"_s;
    QTest::newRow("the musician's tempo wins") << 120.6 << 60.3 << 3 << false << 60 << u"Eb"_s;
    QTest::newRow("a key but no tempo") << 0.0 << 0.0 << 3 << true << 0 << u"Ebm"_s;
}

void TestFavourites::tempoAndKeyOfTheTake()
{
    QFETCH(double, bpm);
    QFETCH(double, bpmByUser);
    QFETCH(int, keyRoot);
    QFETCH(bool, keyMinor);
    Take take = sampleTake();
    take.bpm = bpm;
    if (bpmByUser > 0)
        take.bpmByUser = bpmByUser;
    take.keyRoot = keyRoot;
    take.keyMinor = keyMinor;
    const EmbeddedTags tags = Favourites::tagsFor(take);
    QTEST(tags.bpm, "taggedBpm");
    QTEST(tags.key, "taggedKey");
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
    GenerationResult analysed = TestTakes::result(u"same recipe"_s);
    analysed.analysis = MusicAnalysis{1, 92.4, 0.8, 0.1, {}, MusicalKey{7, false}, 0.7, -14.0, -1.0};
    const auto a = library->add(analysed);
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
    const auto tagsA = AudioTags::read(readFile(first));
    const auto tagsB = AudioTags::read(readFile(second));
    QVERIFY(tagsA && tagsB);
    QCOMPARE(tagsA->bpm, 92);
    QCOMPARE(tagsA->key, u"G"_s);
    QCOMPARE(tagsB->bpm, 0); // not analysed: no tempo or key rather than a wrong one
    QCOMPARE(tagsB->key, QString());

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

void TestFavourites::dragCopiesStayFew()
{
    QTemporaryDir dir;
    const QString drag = dir.filePath(u"drag"_s);
    const QString pattern(FileNames::DefaultTemplate);
    const QByteArray audio = TestAudio::sineWav(0.1);
    QStringList paths;
    for (const QString& prompt : {u"one"_s, u"two"_s, u"three"_s}) {
        QString error;
        const auto path = Favourites::saveDragCopy(drag, pattern, sampleTake(prompt), audio, 3, &error);
        QVERIFY2(path, qPrintable(error));
        paths << *path;
    }
    QCOMPARE(QFileInfo(paths.at(0)).fileName(), u"one_42_12s.wav"_s); // named like a favourite copy
    QVERIFY(AudioTags::read(readFile(paths.at(0))));
    // "one" and "two" were asked for long ago; asking for "one" again makes it the newest.
    setModified(paths.at(0), QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
    setModified(paths.at(1), QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(Favourites::saveDragCopy(drag, pattern, sampleTake(u"one"_s), audio, 3), paths.at(0));
    QVERIFY(modified(paths.at(0)).date().year() > 2021);
    const auto four = Favourites::saveDragCopy(drag, pattern, sampleTake(u"four"_s), audio, 3);
    QVERIFY(four);
    QStringList expected{u"four_42_12s.wav"_s, u"one_42_12s.wav"_s, u"three_42_12s.wav"_s};
    QCOMPARE(QDir(drag).entryList(QDir::Files | QDir::Hidden, QDir::Name), expected);

    // However many are asked for, no more than `keep` stay.
    for (int i = 0; i < 10; ++i)
        QVERIFY(Favourites::saveDragCopy(drag, pattern, sampleTake(u"take %1"_s.arg(i)), audio, 3));
    QCOMPARE(QDir(drag).entryList(QDir::Files | QDir::Hidden).size(), 3);
    QVERIFY(QFileInfo::exists(drag + u"/take 9_42_12s.wav"_s));

    // A copy handed out to another program stays, besides the `keep` newest, however many follow.
    const QString handedOut = drag + u"/take 8_42_12s.wav"_s;
    QString error;
    QVERIFY2(Favourites::keepDragCopy(handedOut, &error), qPrintable(error));
    setModified(handedOut, QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
    for (int i = 10; i < 20; ++i)
        QVERIFY(Favourites::saveDragCopy(drag, pattern, sampleTake(u"take %1"_s.arg(i)), audio, 3));
    expected =
        QStringList{u"take 17_42_12s.wav"_s, u"take 18_42_12s.wav"_s, u"take 19_42_12s.wav"_s, u"take 8_42_12s.wav"_s};
    QCOMPARE(QDir(drag).entryList(QDir::Files, QDir::Name), expected);
    QVERIFY(AudioTags::read(readFile(handedOut)));
    // Deleted by the musician, it leaves the list: a new copy by that name is only prepared, and goes in its turn.
    QVERIFY(QFile::remove(handedOut));
    QVERIFY(Favourites::saveDragCopy(drag, pattern, sampleTake(u"take 8"_s), audio, 3));
    for (int i = 20; i < 23; ++i)
        QVERIFY(Favourites::saveDragCopy(drag, pattern, sampleTake(u"take %1"_s.arg(i)), audio, 3));
    QVERIFY(!QFileInfo::exists(handedOut));
    QCOMPARE(QDir(drag).entryList(QDir::Files).size(), 3);

    // While the note of the copies handed out cannot be read, no copy is made, so none is deleted.
    QVERIFY(Favourites::keepDragCopy(drag + u"/take 22_42_12s.wav"_s));
    QVERIFY(QFile::remove(drag + u"/.dragged"_s));
    QVERIFY(QDir(drag).mkdir(u".dragged"_s));
    QVERIFY(!Favourites::saveDragCopy(drag, pattern, sampleTake(u"take 23"_s), audio, 3, &error));
    QVERIFY2(error.contains(u".dragged"_s), qPrintable(error));
    QVERIFY(!Favourites::keepDragCopy(drag + u"/take 21_42_12s.wav"_s, &error));
    QCOMPARE(QDir(drag).entryList(QDir::Files).size(), 3);

    QVERIFY(!Favourites::saveDragCopy(dir.filePath(u"drag/take 22_42_12s.wav/x"_s), pattern, sampleTake(), audio, 3,
                                      &error));
    QVERIFY2(error.contains(u"could not create the folder"_s), qPrintable(error));
}

void TestFavourites::theCopyFollowsTheTempoAndKey_data()
{
    QTest::addColumn<AudioFormat>("format");
    for (const auto& [extension, format] : TestFormats::Every)
        QTest::addRow("%s", extension) << format;
}

void TestFavourites::theCopyFollowsTheTempoAndKey()
{
    QFETCH(AudioFormat, format);
    QTemporaryDir dir;
    const auto library = openLibrary(dir);
    QVERIFY(library);
    GenerationResult result = TestTakes::result(u"follow me"_s);
    result.audio = TestFormats::sine(format, 0.5);
    result.audioInfo = *AudioCodec::probe(result.audio);
    result.analysis = MusicAnalysis{1, 92.4, 0.8, 0.1, {}, MusicalKey{7, false}, 0.7, -14.0, -1.0};
    const auto take = library->add(result);
    QVERIFY(take);
    QString copy, error;
    QVERIFY2(library->setFavourite(take->id, true, &copy, &error), qPrintable(error));
    const auto clip = AudioCodec::decode(readFile(library->audioPath(*take)));
    QVERIFY(clip);
    auto tagsOfCopy = [&copy] { return AudioTags::read(readFile(copy)).value_or(EmbeddedTags{}); };
    QCOMPARE(tagsOfCopy().bpm, 92);

    // The musician doubles the tempo: TagLib reads the new one back, the samples are those of the take.
    QVERIFY2(library->setTempoByUser(take->id, 184.8, &error), qPrintable(error));
    QCOMPARE(tagsOfCopy().bpm, 185);
    QCOMPARE(tagsOfCopy().key, u"G"_s);
    QCOMPARE(tagsOfCopy().title, u"follow me"_s);
    const auto recipe = TakeSidecar::fromJson(tagsOfCopy().comment.toUtf8());
    QVERIFY(recipe);
    QCOMPARE(recipe->bpmByUser, std::optional<double>(184.8));
    const auto copied = AudioCodec::decode(readFile(copy));
    QVERIFY(copied);
    QCOMPARE(copied->samples, clip->samples);
    QCOMPARE(copied->sampleRate, clip->sampleRate);

    // A new analysis finds another key; the musician's tempo stays. Back to the detected tempo.
    QVERIFY(library->setAnalysis(take->id, MusicAnalysis{2, 92.4, 0.8, 0.1, {}, MusicalKey{9, true}, 0.7, -14.0, -1.0},
                                 &error));
    QCOMPARE(tagsOfCopy().key, u"Am"_s);
    QCOMPARE(tagsOfCopy().bpm, 185);
    QVERIFY(library->setTempoByUser(take->id, std::nullopt, &error));
    QCOMPARE(tagsOfCopy().bpm, 92);
    QCOMPARE(AudioCodec::decode(readFile(copy))->samples, clip->samples);
    QCOMPARE(QDir(favouritesDir(dir)).entryList(QDir::Files | QDir::Hidden).size(), 1); // rewritten in place
}

void TestFavourites::aCopyTheMusicianReplacedIsLeftAlone()
{
    QTemporaryDir dir;
    const auto library = openLibrary(dir);
    QVERIFY(library);
    GenerationResult result = TestTakes::result(u"mine now"_s);
    result.analysis = MusicAnalysis{1, 92.4, 0.8, 0.1, {}, MusicalKey{7, false}, 0.7, -14.0, -1.0};
    const auto take = library->add(result);
    QVERIFY(take);
    QString copy, error;
    QVERIFY(library->setFavourite(take->id, true, &copy, &error));

    // Other audio under the copy's name, even with the take's own tags (edited in a program that kept them).
    const QByteArray other = *AudioTags::write(TestAudio::sineWav(0.2), Favourites::tagsFor(*take));
    QVERIFY(AtomicFile::write(copy, other, AtomicFile::Mode::Replace).ok());
    QVERIFY2(library->setTempoByUser(take->id, 120, &error), qPrintable(error));
    QCOMPARE(readFile(copy), other);
    QCOMPARE(library->find(take->id)->tempo(), 120.0);

    // Not audio at all.
    QVERIFY(AtomicFile::write(copy, "my notes", AtomicFile::Mode::Replace).ok());
    QVERIFY(library->setTempoByUser(take->id, 130, &error));
    QCOMPARE(readFile(copy), QByteArray("my notes"));

    // Gone: nothing is written in its place.
    QVERIFY(QFile::remove(copy));
    QVERIFY(library->setTempoByUser(take->id, 140, &error));
    QVERIFY(!QFileInfo::exists(copy));

    // A copy that cannot be checked (the take's audio is missing) stays as it is; the change is kept, and logged.
    QVERIFY(AtomicFile::write(copy, other, AtomicFile::Mode::Replace).ok());
    QVERIFY(QFile::remove(library->audioPath(*take)));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"favourite copy .* keeps its old tempo and key"_s));
    QVERIFY2(library->setTempoByUser(take->id, 150, &error), qPrintable(error));
    QCOMPARE(library->find(take->id)->tempo(), 150.0);
    QCOMPARE(readFile(copy), other);
}

QTEST_GUILESS_MAIN(TestFavourites)
#include "tst_Favourites.moc"
