#include "FolderPerTest.h"
#include "MeasuredTakes.h"
#include "TestDatabase.h"
#include "TestSndFile.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "generation/TakeLoops.h"
#include "library/Library.h"
#include "library/TakeSidecar.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

int clipsIn(const QString& root)
{
    int n = 0;
    for (QDirIterator it(root + u"/clips"_s, {u"*.wav"_s}, QDir::Files, QDirIterator::Subdirectories); it.hasNext();
         it.next())
        ++n;
    return n;
}

} // namespace

/// Loops kept in the library (Library::addDerived): a new take linked to its parent, kept only once its file is written
/// where the musician asked, tagged with tempo and key in every format.
class TestLibraryLoops final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void aLoopIsKeptAsATakeLinkedToItsParent();
    void everyFormatCarriesTempoAndKey_data();
    void everyFormatCarriesTempoAndKey();
    void nothingIsKeptWhenItsFileCannotBeWritten();
    void aReadOnlyLibraryKeepsNoLoop();

private:
    QString root() const { return filePath(u"library"_s); }
    std::unique_ptr<Library> openLibrary();
    /// Opens the library, keeps an offline take at 124 BPM in A minor and makes its loop of bars 1 and 2.
    bool prepare(std::unique_ptr<Library>* library, Take* parent, TakeLoops::Loop* loop);
};

std::unique_ptr<Library> TestLibraryLoops::openLibrary()
{
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    auto library = std::make_unique<Library>(root(), options);
    return library->open().ok ? std::move(library) : nullptr;
}

bool TestLibraryLoops::prepare(std::unique_ptr<Library>* library, Take* parent, TakeLoops::Loop* loop)
{
    *library = openLibrary();
    if (!*library)
        return false;
    QString error;
    const auto kept =
        (*library)->add(MeasuredTakes::offline(u"house at 124 bpm in A minor with piano and pads"_s, 12), {}, &error);
    const auto made = kept ? TakeLoops::make(*kept, (*library)->readAudio(*kept), 2, 1, &error) : std::nullopt;
    if (!made)
        qWarning("%s", qPrintable(error));
    *parent = kept.value_or(Take{});
    *loop = made.value_or(TakeLoops::Loop{});
    return made.has_value();
}

void TestLibraryLoops::aLoopIsKeptAsATakeLinkedToItsParent()
{
    std::unique_ptr<Library> library;
    Take parent;
    TakeLoops::Loop loop;
    QVERIFY(prepare(&library, &parent, &loop));
    QSignalSpy added(library.get(), &Library::takeAdded);
    const QString path = filePath(u"loop.wav"_s);
    QString error;
    const auto kept = library->addDerived(loop.recipe, loop.wav, path, AudioFormat::Unknown, false, &error);
    QVERIFY2(kept, qPrintable(error));
    QCOMPARE(added.size(), 1);

    // A take of its own, linked to its parent, its recipe as made.
    QVERIFY(TakeId::isValid(kept->id) && kept->id != parent.id);
    QCOMPARE(kept->parentId, parent.id);
    QCOMPARE(kept->loopStartBar, 1);
    QCOMPARE(kept->loopBars, 2);
    QCOMPARE(kept->provider, u"loop"_s);
    QCOMPARE(kept->tempo(), 124.0);
    QCOMPARE(kept->key(), (MusicalKey{9, true}));
    QCOMPARE(kept->format, AudioFormat::Wav);
    QCOMPARE(kept->byteSize, loop.wav.size());
    QCOMPARE(kept->sha256, QString::fromLatin1(QCryptographicHash::hash(loop.wav, QCryptographicHash::Sha256).toHex()));
    QVERIFY(std::abs(kept->actualDuration - 2 * 4 * 60.0 / 124) < 1.0 / kept->sampleRate);

    // Both records say the same, and the clip is the loop exactly, chunks and all.
    QCOMPARE(library->find(kept->id), kept);
    QCOMPARE(TakeSidecar::read(library->sidecarPath(*kept)), kept);
    QCOMPARE(library->readAudio(*kept), loop.wav);
    library.reset();
    library = openLibrary();
    QVERIFY(library);
    QCOMPARE(library->find(kept->id), kept);
    QCOMPARE(library->takes({}).constFirst().id, kept->id);

    // The file written where asked: the loop's samples and chunks, tagged as an export is.
    const QByteArray file = readFile(path);
    QCOMPARE(TestSndFile::decode(file).samples, TestSndFile::decode(loop.wav).samples);
    SndFileMemory sound(file);
    SF_LOOP_INFO info{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_LOOP_INFO, &info, sizeof info), SF_TRUE);
    QCOMPARE(info.bpm, 124.0F);
    QCOMPARE(info.num_beats, 8);
    QCOMPARE(info.root_key, 57);
    SF_INSTRUMENT instrument{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_INSTRUMENT, &instrument, sizeof instrument), SF_TRUE);
    QCOMPARE(instrument.loops[0].end, quint32(sound.info().frames));
    const auto tags = AudioTags::read(file);
    QVERIFY(tags);
    QCOMPARE(tags->title, parent.prompt);
    QCOMPARE(tags->bpm, 124);
    QCOMPARE(tags->key, u"Am"_s);
    QVERIFY(tags->comment.contains(u"\"parentId\":\"%1\""_s.arg(parent.id)));
}

void TestLibraryLoops::everyFormatCarriesTempoAndKey_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<AudioFormat>("asked");
    QTest::addColumn<AudioFormat>("format");
    QTest::newRow("flac") << u"loop.flac"_s << AudioFormat::Unknown << AudioFormat::Flac;
    QTest::newRow("ogg") << u"loop.ogg"_s << AudioFormat::Unknown << AudioFormat::Ogg;
    QTest::newRow("mp3") << u"loop.mp3"_s << AudioFormat::Unknown << AudioFormat::Mp3;
    QTest::newRow("flac asked, any name") << u"loop.sample"_s << AudioFormat::Flac << AudioFormat::Flac;
}

void TestLibraryLoops::everyFormatCarriesTempoAndKey()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, asked);
    QFETCH(AudioFormat, format);
    std::unique_ptr<Library> library;
    Take parent;
    TakeLoops::Loop loop;
    QVERIFY(prepare(&library, &parent, &loop));
    QString error;
    const auto kept = library->addDerived(loop.recipe, loop.wav, filePath(name), asked, false, &error);
    QVERIFY2(kept, qPrintable(error));
    QCOMPARE(kept->format, AudioFormat::Wav); // the library keeps the loop as WAV, chunks and all
    const QByteArray file = readFile(filePath(name));
    QCOMPARE(sniffAudioFormat(file), format);
    const auto tags = AudioTags::read(file, &error);
    QVERIFY2(tags, qPrintable(error));
    QCOMPARE(tags->bpm, 124);
    QCOMPARE(tags->key, u"Am"_s);
    QCOMPARE(tags->title, parent.prompt);
    const TestSndFile::Decoded sound = TestSndFile::decode(file);
    QVERIFY(sound.opened);
    if (format == AudioFormat::Flac) // lossless: the loop's frames exactly
        QCOMPARE(sound.frames, sf_count_t(AudioCodec::probe(loop.wav)->frames));
}

void TestLibraryLoops::nothingIsKeptWhenItsFileCannotBeWritten()
{
    std::unique_ptr<Library> library;
    Take parent;
    TakeLoops::Loop loop;
    QVERIFY(prepare(&library, &parent, &loop));
    QSignalSpy added(library.get(), &Library::takeAdded);
    QString error;

    // Under a file, where no folder can be.
    QFile plain(filePath(u"plain"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly) && plain.write("a file") > 0);
    plain.close();
    QVERIFY(!library->addDerived(loop.recipe, loop.wav, filePath(u"plain/loop.wav"_s), AudioFormat::Unknown, false,
                                 &error));
    QVERIFY2(error.contains(u"Not a directory"_s), qPrintable(error));

    // Over a file that is there, unless asked to replace it.
    QFile existing(filePath(u"exists.wav"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly) && existing.write("keep me") > 0);
    existing.close();
    QVERIFY(!library->addDerived(loop.recipe, loop.wav, existing.fileName(), AudioFormat::Unknown, false, &error));
    QVERIFY2(error.contains(u"already exists"_s), qPrintable(error));
    QCOMPARE(readFile(existing.fileName()), QByteArray("keep me"));

    QCOMPARE(added.size(), 0);
    QCOMPARE(library->count({}), 1);
    QCOMPARE(clipsIn(root()), 1);

    QVERIFY2(library->addDerived(loop.recipe, loop.wav, existing.fileName(), AudioFormat::Unknown, true, &error),
             qPrintable(error));
    QCOMPARE(library->count({}), 2);
    QCOMPARE(sniffAudioFormat(readFile(existing.fileName())), AudioFormat::Wav);
}

void TestLibraryLoops::aReadOnlyLibraryKeepsNoLoop()
{
    std::unique_ptr<Library> library;
    Take parent;
    TakeLoops::Loop loop;
    QVERIFY(prepare(&library, &parent, &loop));
    const QString database = library->databasePath();
    library.reset();
    QVERIFY(TestDatabase::exec(database, u"PRAGMA user_version = 999"_s));
    library = openLibrary();
    QVERIFY(library && library->isReadOnly());
    QString error;
    const QString path = filePath(u"loop.wav"_s);
    QVERIFY(!library->addDerived(loop.recipe, loop.wav, path, AudioFormat::Unknown, false, &error));
    QVERIFY2(error.contains(u"newer version of MusicGen Studio"_s), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestLibraryLoops)
#include "tst_LibraryLoops.moc"
