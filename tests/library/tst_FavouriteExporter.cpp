#include "TestAudio.h"
#include "audio/AudioCodec.h"
#include "library/FavouriteExporter.h"
#include "library/Library.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

Take sampleTake(const QString& prompt = u"Lo-fi hip hop"_s)
{
    Take take;
    take.id = u"abcd234567"_s;
    take.created = QDateTime(QDate(2024, 3, 9), QTime(23, 59, 58), Qt::UTC);
    take.prompt = prompt;
    take.requestedDuration = 12;
    take.seed = 42;
    take.provider = u"segmind"_s;
    take.format = AudioFormat::Wav;
    return take;
}

GenerationResult makeResult(const QString& prompt, int seed = 42, int duration = 10)
{
    GenerationResult r;
    r.request = GenerationRequest{prompt, duration, seed};
    r.audio = TestAudio::sineWav(0.1);
    r.audioInfo = AudioInfo{AudioFormat::Wav, 32000, 1, 3200};
    r.providerId = u"offline"_s;
    r.endpoint = u"built-in"_s;
    r.model = u"offline-sketch-1"_s;
    return r;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct ReadTags
{
    bool opened = false;
    QString title, comment, software;
};

// What libsndfile itself reads back from a file: the proof that other software sees the tags.
ReadTags readTags(const QString& path)
{
    ReadTags tags;
    SF_INFO info{};
    SNDFILE* file = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
    if (!file)
        return tags;
    tags.opened = true;
    auto get = [file](int type) {
        const char* text = sf_get_string(file, type);
        return text ? QString::fromUtf8(text) : QString();
    };
    tags.title = get(SF_STR_TITLE);
    tags.comment = get(SF_STR_COMMENT);
    tags.software = get(SF_STR_SOFTWARE);
    sf_close(file);
    return tags;
}

std::vector<int> samples(const QString& path)
{
    SF_INFO info{};
    SNDFILE* file = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
    if (!file)
        return {};
    std::vector<int> data(size_t(info.frames * info.channels));
    sf_readf_int(file, data.data(), info.frames);
    sf_close(file);
    return data;
}

} // namespace

class TestFavouriteExporter final : public QObject
{
    Q_OBJECT

private slots:
    void templateFields_data();
    void templateFields();
    void hostilePromptsMakeSafeNames_data();
    void hostilePromptsMakeSafeNames();
    void windowsDeviceNames_data();
    void windowsDeviceNames();
    void neverOverwrites();
    void writeFileRefusesToReplace();
    void embeddedTags_data();
    void embeddedTags();
    void favouriteThroughTheLibrary();
};

void TestFavouriteExporter::templateFields_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << u"{prompt}_{seed}_{duration}s"_s << u"Lo-fi hip hop_42_12s"_s;
    QTest::newRow("every field") << u"{date} {id} {provider} {prompt} {seed} {duration}"_s
                                 << u"2024-03-09 abcd234567 segmind Lo-fi hip hop 42 12"_s;
    QTest::newRow("repeated") << u"{seed}-{seed}"_s << u"42-42"_s;
    QTest::newRow("unknown field kept") << u"{prompt} {mood}"_s << u"Lo-fi hip hop {mood}"_s;
    QTest::newRow("folders are not made") << u"{date}/{prompt}"_s << u"2024-03-09 Lo-fi hip hop"_s;
    QTest::newRow("empty template") << u""_s << u"Lo-fi hip hop_42_12s"_s;
}

void TestFavouriteExporter::templateFields()
{
    QFETCH(QString, pattern);
    QFETCH(QString, expected);
    QCOMPARE(FavouriteExporter::baseName(pattern, sampleTake()), expected);
}

void TestFavouriteExporter::hostilePromptsMakeSafeNames_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("expected"); // empty: only the rules are checked
    QTest::newRow("path traversal") << u"../../x"_s << u"x_42_12s"_s;
    QTest::newRow("absolute path") << u"/etc/passwd"_s << u"etc passwd_42_12s"_s;
    QTest::newRow("backslashes") << u"..\\..\\windows\\system32"_s << u"windows system32_42_12s"_s;
    QTest::newRow("300 characters") << QString(300, u'a') << QString();
    QTest::newRow("2000 characters of words") << u"drum and bass "_s.repeated(143) << QString();
    QTest::newRow("emoji") << u"🎸🔥 rock 🥁"_s << u"🎸🔥 rock 🥁_42_12s"_s;
    QTest::newRow("300 emoji") << u"🎵"_s.repeated(300) << QString();
    QTest::newRow("rtl") << u"موسيقى هادئة"_s << u"موسيقى هادئة_42_12s"_s;
    QTest::newRow("rtl override") << u"evil\u202Egnp.exe"_s << u"evilgnp.exe_42_12s"_s;
    QTest::newRow("quotes") << u"\"quoted\" 'single'"_s << u"'quoted' 'single'_42_12s"_s;
    QTest::newRow("nul") << QString::fromUtf16(u"a\0b", 3) << u"a b_42_12s"_s;
    QTest::newRow("control characters") << u"a\tb\nc\rd\x1b"_s << u"a b c d_42_12s"_s;
    QTest::newRow("windows forbidden") << u"a:b*c?d<e>f|g"_s << u"a b c d e f g_42_12s"_s;
    QTest::newRow("CON") << u"CON"_s << u"CON_42_12s"_s;
    QTest::newRow("trailing dots and spaces") << u"x. . .  "_s << u"x_42_12s"_s;
    QTest::newRow("leading dots") << u"...hidden"_s << u"hidden_42_12s"_s;
    QTest::newRow("leading dash") << u"-rf"_s << u"rf_42_12s"_s;
    QTest::newRow("only punctuation") << u"?!*<>|..."_s << u"take_42_12s"_s;
    QTest::newRow("only dots") << u"..."_s << u"take_42_12s"_s;
    QTest::newRow("empty") << QString() << u"take_42_12s"_s;
    QTest::newRow("decomposed accents") << u"Cafe\u0301"_s << u"Café_42_12s"_s;
    QTest::newRow("lone surrogate") << (u"a"_s + QChar(0xD800) + u"b"_s) << u"ab_42_12s"_s;
    QTest::newRow("zero width no-break space") << u"\uFEFFbom"_s << u"bom_42_12s"_s;
}

void TestFavouriteExporter::hostilePromptsMakeSafeNames()
{
    QFETCH(QString, prompt);
    QFETCH(QString, expected);
    const QString name = FavouriteExporter::baseName(u"{prompt}_{seed}_{duration}s"_s, sampleTake(prompt)) + u".flac"_s;
    if (!expected.isEmpty())
        QCOMPARE(name, expected + u".flac"_s);

    QVERIFY(!name.isEmpty());
    QVERIFY(name.toUtf8().size() <= FavouriteExporter::MaxFileNameBytes);
    QVERIFY2(name.endsWith(u"_42_12s.flac"_s), qPrintable(name)); // the prompt never eats the rest
    QVERIFY(!name.startsWith(u'.'));
    QVERIFY(!name.startsWith(u' '));
    QVERIFY(!name.startsWith(u'-'));
    QCOMPARE(QString::fromUtf8(name.toUtf8()), name); // valid UTF-16: no lone surrogates
    for (const QChar c : name) {
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(name));
        QVERIFY2(!u"/\\:*?\"<>|"_s.contains(c), qPrintable(name));
        QVERIFY(!(c.unicode() >= 0x202A && c.unicode() <= 0x202E));
    }
    const QString stem = name.section(u'.', 0, 0).toUpper();
    QVERIFY(!QStringList({u"CON"_s, u"PRN"_s, u"AUX"_s, u"NUL"_s, u"COM1"_s, u"LPT1"_s}).contains(stem));
    // And the filesystem takes it.
    QTemporaryDir dir;
    QFile file(dir.filePath(name));
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{name});
}

void TestFavouriteExporter::windowsDeviceNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("CON") << u"CON"_s << u"CON_"_s;
    QTest::newRow("lower case with extension") << u"con.wav"_s << u"con_.wav"_s;
    QTest::newRow("NUL") << u"nul"_s << u"nul_"_s;
    QTest::newRow("COM1") << u"COM1"_s << u"COM1_"_s;
    QTest::newRow("LPT9") << u"lpt9.flac"_s << u"lpt9_.flac"_s;
    QTest::newRow("not a device") << u"CONSOLE"_s << u"CONSOLE"_s;
    QTest::newRow("COM10 is fine") << u"COM10"_s << u"COM10"_s;
}

void TestFavouriteExporter::windowsDeviceNames()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(FavouriteExporter::safeFileName(text), expected);
}

void TestFavouriteExporter::neverOverwrites()
{
    QTemporaryDir dir;
    const FavouriteExporter exporter(dir.path(), u"{prompt}_{seed}_{duration}s"_s);
    const Take take = sampleTake(u"same recipe"_s);
    const QByteArray audio = TestAudio::sineWav(0.1);
    QString error;
    const auto first = exporter.save(take, audio, &error);
    const auto second = exporter.save(take, audio, &error);
    QVERIFY2(first && second, qPrintable(error));
    QCOMPARE(QFileInfo(*first).fileName(), u"same recipe_42_12s.wav"_s);
    QCOMPARE(QFileInfo(*second).fileName(), u"same recipe_42_12s (2).wav"_s);

    // A file the user put there keeps its content.
    QFile mine(dir.filePath(u"same recipe_42_12s (3).wav"_s));
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.write("mine");
    mine.close();
    const auto fourth = exporter.save(take, audio);
    QVERIFY(fourth);
    QCOMPARE(QFileInfo(*fourth).fileName(), u"same recipe_42_12s (4).wav"_s);
    QCOMPARE(readFile(dir.filePath(u"same recipe_42_12s (3).wav"_s)), QByteArray("mine"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 4); // no temporary files left
}

void TestFavouriteExporter::writeFileRefusesToReplace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"x.wav"_s);
    QString error;
    bool exists = true;
    QVERIFY(FavouriteExporter::writeFile(path, "one", false, &error, &exists));
    QVERIFY(!exists);
    QVERIFY(!FavouriteExporter::writeFile(path, "two", false, &error, &exists));
    QVERIFY(exists);
    QVERIFY(error.contains(u"already exists"_s));
    QCOMPARE(readFile(path), QByteArray("one"));
    QVERIFY(FavouriteExporter::writeFile(path, "three", true, &error));
    QCOMPARE(readFile(path), QByteArray("three"));
    QVERIFY(!FavouriteExporter::writeFile(dir.filePath(u"missing/x.wav"_s), "x", false, &error, &exists));
    QVERIFY(!exists);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"x.wav"_s});
}

void TestFavouriteExporter::embeddedTags_data()
{
    QTest::addColumn<AudioFormat>("format");
    QTest::addColumn<QString>("prompt");
    const QString unicode = u"Café « jazz » 🎷 — موسيقى"_s;
    // The longest prompt the app accepts, so the recipe comment is a few kilobytes.
    const QString longest = u"slow jazz 🎷 "_s.repeated(GenerationRequest::MaxPromptLength / 12);
    for (const auto& [name, format] : {std::pair{"wav", AudioFormat::Wav}, std::pair{"flac", AudioFormat::Flac},
                                       std::pair{"ogg", AudioFormat::Ogg}, std::pair{"mp3", AudioFormat::Mp3}}) {
        QTest::addRow("%s", name) << format << unicode;
        QTest::addRow("%s, longest prompt", name) << format << longest;
    }
}

void TestFavouriteExporter::embeddedTags()
{
    QFETCH(AudioFormat, format);
    QFETCH(QString, prompt);
    const QByteArray wav = TestAudio::sineWav(0.5);
    const QByteArray audio = format == AudioFormat::Wav ? wav : AudioCodec::convert(wav, format).value_or(QByteArray());
    QVERIFY(!audio.isEmpty());
    Take take = sampleTake(prompt);
    take.format = format;
    take.tags = {u"late night"_s};

    QTemporaryDir dir;
    QString error;
    const auto path = FavouriteExporter(dir.path(), u"{prompt}"_s).save(take, audio, &error);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(QFileInfo(*path).suffix(), audioFormatExtension(format));
    const auto info = AudioCodec::probe(readFile(*path));
    QVERIFY(info);
    QCOMPARE(info->format, format);
    QCOMPARE(info->sampleRate, 32000);

    const ReadTags tags = readTags(*path);
    QVERIFY(tags.opened);
    const bool shortened = format == AudioFormat::Wav && prompt.toUtf8().size() > FavouriteExporter::WavTagMaxBytes;
    if (shortened) {
        QVERIFY(tags.title.endsWith(u'\u2026'));
        QVERIFY(prompt.startsWith(tags.title.chopped(1)));
        QVERIFY(tags.title.toUtf8().size() <= FavouriteExporter::WavTagMaxBytes);
        QVERIFY(tags.comment.toUtf8().size() <= FavouriteExporter::WavTagMaxBytes);
    } else {
        QCOMPARE(tags.title, take.prompt);
    }
    QVERIFY2(tags.software.startsWith(u"MusicGen Studio "_s + QStringLiteral(MUSICGEN_VERSION)),
             qPrintable(tags.software));
    const QJsonObject recipe = QJsonDocument::fromJson(tags.comment.toUtf8()).object();
    QCOMPARE(recipe.value("id"_L1).toString(), take.id);
    if (shortened) {
        QVERIFY(recipe.value("promptTruncated"_L1).toBool());
        QVERIFY(take.prompt.startsWith(recipe.value("prompt"_L1).toString()));
    } else {
        QCOMPARE(recipe.value("prompt"_L1).toString(), take.prompt);
    }
    QCOMPARE(recipe.value("seed"_L1).toInt(), 42);
    QCOMPARE(recipe.value("schema"_L1).toInt(), 1);

    if (format == AudioFormat::Wav || format == AudioFormat::Flac) {
        // Lossless: the copy holds exactly the take's samples.
        QTemporaryDir original;
        QFile file(original.filePath(u"take."_s + audioFormatExtension(format)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(audio);
        file.close();
        QCOMPARE(samples(*path), samples(file.fileName()));
    }
    if (format == AudioFormat::Mp3) // the provider's frames, untouched, after the ID3v2 tag
        QVERIFY(readFile(*path).endsWith(audio));
}

void TestFavouriteExporter::favouriteThroughTheLibrary()
{
    QTemporaryDir dir;
    LibraryOptions options;
    options.favouritesDir = dir.filePath(u"My Music/MusicGen Studio"_s);
    Library library(dir.filePath(u"library"_s), options);
    QVERIFY(library.open().ok);
    const auto a = library.add(makeResult(u"same recipe"_s));
    const auto b = library.add(makeResult(u"same recipe"_s));
    QVERIFY(a && b);

    QString first, second, error;
    QVERIFY2(library.setFavourite(a->id, true, &first, &error), qPrintable(error));
    QVERIFY(library.setFavourite(b->id, true, &second, &error));
    QCOMPARE(first, options.favouritesDir + u"/same recipe_42_10s.wav"_s);
    QCOMPARE(second, options.favouritesDir + u"/same recipe_42_10s (2).wav"_s);
    QCOMPARE(library.find(a->id)->favouritePath, first);
    QVERIFY(library.find(a->id)->favourite);
    QCOMPARE(readTags(first).title, u"same recipe"_s);
    QVERIFY(readTags(first).comment.contains(a->id));

    // Off keeps the user's file; on again reuses it rather than making another copy.
    QVERIFY(library.setFavourite(a->id, false));
    QVERIFY(!library.find(a->id)->favourite);
    QVERIFY(QFileInfo::exists(first));
    QString again;
    QVERIFY(library.setFavourite(a->id, true, &again));
    QCOMPARE(again, first);
    QCOMPARE(QDir(options.favouritesDir).entryList(QDir::Files).size(), 2);

    // The user deleted the copy: favouriting makes a new one.
    QVERIFY(library.setFavourite(a->id, false));
    QVERIFY(QFile::remove(first));
    QVERIFY(library.setFavourite(a->id, true, &again));
    QCOMPARE(again, first);
    QVERIFY(QFileInfo::exists(first));
}

QTEST_GUILESS_MAIN(TestFavouriteExporter)
#include "tst_FavouriteExporter.moc"
