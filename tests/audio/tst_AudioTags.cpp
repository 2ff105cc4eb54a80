#include "TestAudio.h"
#include "TestFfprobe.h"
#include "TestFormats.h"
#include "TestSndFile.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "audio/SndFileMemory.h"
#include "model/GenerationRequest.h"

#include <QJsonDocument>
#include <QTest>

#include <vector>

using namespace Qt::StringLiterals;

namespace {

enum class Codec
{
    Wav,
    Flac,
    OggVorbis,
    OggOpus,
    Mp3
};

// The codecs the app writes, made by libsndfile (Opus at 48 kHz, the rate it needs).
QByteArray fixture(Codec codec)
{
    switch (codec) {
    case Codec::Wav: return TestFormats::sine(AudioFormat::Wav, 0.5);
    case Codec::Flac: return TestFormats::sine(AudioFormat::Flac, 0.5);
    case Codec::OggVorbis: return TestFormats::sine(AudioFormat::Ogg, 0.5);
    case Codec::Mp3: return TestFormats::sine(AudioFormat::Mp3, 0.5);
    case Codec::OggOpus: break;
    }
    SndFileMemory source(TestAudio::sineWav(0.5, 48000));
    SF_INFO info{};
    info.samplerate = 48000;
    info.channels = 1;
    info.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
    SndFileMemory opus(info);
    std::vector<short> samples(24000);
    if (!source.isOpen() || !opus.isOpen() || sf_readf_short(source.get(), samples.data(), 24000) != 24000 ||
        sf_writef_short(opus.get(), samples.data(), 24000) != 24000)
        return {};
    return opus.close();
}

using TestSndFile::decode;
using TestSndFile::Decoded;

EmbeddedTags recipeTags(const QString& prompt)
{
    EmbeddedTags tags;
    tags.title = prompt;
    tags.comment = u"{\"prompt\":\"%1\",\"seed\":42}"_s.arg(prompt);
    tags.software = u"MusicGen Studio 9.9.9"_s;
    tags.shortComment = u"{\"seed\":42,\"promptTruncated\":true}"_s;
    tags.bpm = 121;
    tags.key = u"Ebm"_s;
    return tags;
}

// A row for each codec the app writes, named as the rows of the other tables.
void codecRows()
{
    QTest::addColumn<Codec>("codec");
    QTest::newRow("wav") << Codec::Wav;
    QTest::newRow("flac") << Codec::Flac;
    QTest::newRow("ogg vorbis") << Codec::OggVorbis;
    QTest::newRow("ogg opus") << Codec::OggOpus;
    QTest::newRow("mp3") << Codec::Mp3;
}

AudioFormat formatOf(Codec codec)
{
    switch (codec) {
    case Codec::Wav: return AudioFormat::Wav;
    case Codec::Flac: return AudioFormat::Flac;
    case Codec::OggVorbis:
    case Codec::OggOpus: return AudioFormat::Ogg;
    case Codec::Mp3: return AudioFormat::Mp3;
    }
    return AudioFormat::Unknown;
}

} // namespace

Q_DECLARE_METATYPE(Codec)

class TestAudioTags final : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void wavKeepsItsInfoListReadable();
    void mp3TagIsId3v23();
    void writingAgainReplaces_data();
    void writingAgainReplaces();
    void ffprobeSeesTempoAndKey_data();
    void ffprobeSeesTempoAndKey();
    void noTempoOrKeyRemovesThem_data();
    void noTempoOrKeyRemovesThem();
    void refusesWhatItCannotTag();
};

void TestAudioTags::roundTrip_data()
{
    QTest::addColumn<Codec>("codec");
    QTest::addColumn<QString>("prompt");
    const QString unicode = u"Café « jazz » 🎷 — موسيقى"_s;
    // The longest prompt the app accepts, so the recipe comment is a few kilobytes.
    const QString longest = u"slow jazz 🎷 "_s.repeated(GenerationRequest::MaxPromptLength / 12);
    for (const auto& [name, codec] :
         {std::pair{"wav", Codec::Wav}, std::pair{"flac", Codec::Flac}, std::pair{"ogg vorbis", Codec::OggVorbis},
          std::pair{"ogg opus", Codec::OggOpus}, std::pair{"mp3", Codec::Mp3}}) {
        QTest::addRow("%s", name) << codec << unicode;
        QTest::addRow("%s, longest prompt", name) << codec << longest;
    }
}

void TestAudioTags::roundTrip()
{
    QFETCH(Codec, codec);
    QFETCH(QString, prompt);
    const QByteArray audio = fixture(codec);
    QVERIFY(!audio.isEmpty());
    const EmbeddedTags tags = recipeTags(prompt);
    QString error;
    const auto tagged = AudioTags::write(audio, tags, &error);
    QVERIFY2(tagged, qPrintable(error));
    QCOMPARE(sniffAudioFormat(*tagged), sniffAudioFormat(audio));

    // TagLib reads back every field in full, whatever the format.
    const auto read = AudioTags::read(*tagged, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->title, tags.title);
    QCOMPARE(read->comment, tags.comment);
    QCOMPARE(read->software, tags.software);
    QCOMPARE(read->bpm, 121);
    QCOMPARE(read->key, u"Ebm"_s);

    // The audio is untouched: the same samples decode, for Ogg too (only its comment header changed).
    const Decoded before = decode(audio);
    const Decoded after = decode(*tagged);
    QVERIFY(before.opened && after.opened);
    QVERIFY(before.frames > 0);
    QCOMPARE(after.frames, before.frames);
    QVERIFY(after.samples == before.samples);

    // libsndfile (and so every program built on it) sees the tags too; MP3 it does not read tags from.
    if (codec == Codec::Mp3)
        return;
    const bool cut = codec == Codec::Wav && tags.comment.toUtf8().size() > AudioTags::InfoMaxBytes;
    if (cut) {
        QVERIFY(after.title.toUtf8().size() <= AudioTags::InfoMaxBytes);
        QVERIFY(after.title.endsWith(u'\u2026'));
        QVERIFY(tags.title.startsWith(after.title.chopped(1)));
        QCOMPARE(after.comment, tags.shortComment);
    } else {
        QCOMPARE(after.title, tags.title);
        QCOMPARE(after.comment, tags.comment);
    }
    QCOMPARE(after.software, tags.software);
}

void TestAudioTags::wavKeepsItsInfoListReadable()
{
    const QByteArray wav = TestAudio::sineWav(0.2);
    EmbeddedTags tags = recipeTags(u"x"_s.repeated(3000));
    tags.shortComment.clear(); // without a short comment, the long one is cut for INFO
    const auto tagged = AudioTags::write(wav, tags);
    QVERIFY(tagged);
    const qsizetype id3Chunk = tagged->indexOf("ID3 ");
    QVERIFY(id3Chunk > 0);
    QCOMPARE(tagged->mid(id3Chunk + 8, 5), QByteArray("ID3\x03\x00", 5)); // ID3v2.3 inside the chunk
    QVERIFY(tagged->contains("LIST"));
    QVERIFY(tagged->contains("INFO"));
    QVERIFY(tagged->startsWith(wav.left(4)));
    const Decoded info = decode(*tagged);
    QVERIFY(info.opened);
    QVERIFY(info.comment.toUtf8().size() <= AudioTags::InfoMaxBytes);
    QVERIFY(info.comment.endsWith(u'\u2026'));
    QVERIFY(tags.comment.startsWith(info.comment.chopped(1)));
    QCOMPARE(info.software, tags.software);
    QCOMPARE(AudioTags::read(*tagged)->comment, tags.comment); // the ID3 chunk has it whole
    // The audio chunk is the original's, byte for byte.
    QVERIFY(tagged->contains(wav.mid(36)));
}

void TestAudioTags::mp3TagIsId3v23()
{
    const QByteArray mp3 = fixture(Codec::Mp3);
    QVERIFY(!mp3.isEmpty());
    const auto tagged = AudioTags::write(mp3, recipeTags(u"Café 🎷"_s));
    QVERIFY(tagged);
    QVERIFY(tagged->startsWith("ID3"));
    QCOMPARE(tagged->mid(3, 2), QByteArray("\x03\x00", 2)); // version 2.3.0, which every player reads
    QCOMPARE(sniffAudioFormat(*tagged), AudioFormat::Mp3);
    // The MPEG frames follow unchanged (libsndfile wrote them without a tag of their own).
    QVERIFY(!mp3.startsWith("ID3"));
    QVERIFY(tagged->endsWith(mp3));
}

void TestAudioTags::writingAgainReplaces_data()
{
    QTest::addColumn<Codec>("codec");
    QTest::newRow("wav") << Codec::Wav;
    QTest::newRow("flac") << Codec::Flac;
    QTest::newRow("ogg vorbis") << Codec::OggVorbis;
    QTest::newRow("mp3") << Codec::Mp3;
}

void TestAudioTags::writingAgainReplaces()
{
    QFETCH(Codec, codec);
    const auto once = AudioTags::write(fixture(codec), recipeTags(u"first"_s));
    QVERIFY(once);
    const auto twice = AudioTags::write(*once, recipeTags(u"second"_s));
    QVERIFY(twice);
    const auto read = AudioTags::read(*twice);
    QVERIFY(read);
    QCOMPARE(read->title, u"second"_s);
    QCOMPARE(read->comment, recipeTags(u"second"_s).comment);
    QVERIFY(!twice->contains("first"));
    if (codec != Codec::Mp3)
        QCOMPARE(decode(*twice).title, u"second"_s);
}

void TestAudioTags::ffprobeSeesTempoAndKey_data()
{
    codecRows();
}

void TestAudioTags::ffprobeSeesTempoAndKey()
{
    if (!TestFfprobe::available())
        QSKIP("ffprobe is not on PATH: it reads the tags as FFmpeg-based players do");
    QFETCH(Codec, codec);
    const auto tagged = AudioTags::write(fixture(codec), recipeTags(u"Café 🎷"_s));
    QVERIFY(tagged);
    QString why;
    const TestFfprobe::View view = TestFfprobe::view(formatOf(codec));
    const auto shown = TestFfprobe::tags(*tagged, formatOf(codec), &why);
    QVERIFY2(shown, qPrintable(why));
    const QByteArray json = QJsonDocument(*shown).toJson(QJsonDocument::Compact);
    QVERIFY2(shown->value(view.title).toString() == u"Café 🎷"_s, json.constData());
    if (codec == Codec::Wav) {
        // The INFO list: its software field, and no tempo or key (those are in the ID3 chunk FFmpeg skips).
        QVERIFY2(shown->value(u"encoder").toString() == u"MusicGen Studio 9.9.9"_s, json.constData());
        QVERIFY2(!json.contains("121") && !json.contains("Ebm"), json.constData());
        return;
    }
    QVERIFY2(shown->value(view.tempo).toString() == u"121"_s, json.constData());
    QVERIFY2(shown->value(view.key).toString() == u"Ebm"_s, json.constData());
}

void TestAudioTags::noTempoOrKeyRemovesThem_data()
{
    codecRows();
}

void TestAudioTags::noTempoOrKeyRemovesThem()
{
    QFETCH(Codec, codec);
    const QByteArray audio = fixture(codec);
    EmbeddedTags tags = recipeTags(u"re-analysed"_s);
    tags.bpm = 128;
    tags.key = u"F#"_s;
    const auto once = AudioTags::write(audio, tags);
    QVERIFY(once);
    QCOMPARE(AudioTags::read(*once)->bpm, 128);
    QCOMPARE(AudioTags::read(*once)->key, u"F#"_s);

    // The take was analysed again and has neither now: the file must not keep the old values.
    tags.bpm = 0;
    tags.key.clear();
    const auto twice = AudioTags::write(*once, tags);
    QVERIFY(twice);
    const auto read = AudioTags::read(*twice);
    QVERIFY(read);
    QCOMPARE(read->bpm, 0);
    QCOMPARE(read->key, QString());
    QCOMPARE(read->title, tags.title);
    for (const char* name : {"TBPM", "TKEY", "BPM=", "INITIALKEY="})
        QVERIFY2(!twice->contains(name), name);
    QVERIFY(decode(*twice).samples == decode(audio).samples);

    if (!TestFfprobe::available() || codec == Codec::Wav)
        return;
    QString why;
    const TestFfprobe::View view = TestFfprobe::view(formatOf(codec));
    const auto shown = TestFfprobe::tags(*twice, formatOf(codec), &why);
    QVERIFY2(shown, qPrintable(why));
    QVERIFY(!shown->contains(view.tempo));
    QVERIFY(!shown->contains(view.key));
    QCOMPARE(shown->value(view.title).toString(), tags.title);
}

void TestAudioTags::refusesWhatItCannotTag()
{
    QString error;
    QVERIFY(!AudioTags::write(QByteArray("<html>not audio</html>"), recipeTags(u"x"_s), &error));
    QVERIFY2(error.contains(u"audio"_s), qPrintable(error));
    QVERIFY(!AudioTags::read(QByteArray("OggS garbage"), &error));
    QVERIFY2(error.contains(u"OGG"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestAudioTags)
#include "tst_AudioTags.moc"
