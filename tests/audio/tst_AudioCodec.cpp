#include "TestAudio.h"
#include "audio/AudioCodec.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestAudioCodec final : public QObject
{
    Q_OBJECT

private slots:
    void sniffing_data();
    void sniffing();
    void extensions_data();
    void extensions();
    void probeReadsEveryFormat_data();
    void probeReadsEveryFormat();
    void probeRejectsWhatIsNotAudio_data();
    void probeRejectsWhatIsNotAudio();
    void convertKeepsRateChannelsAndLength();
};

void TestAudioCodec::sniffing_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<AudioFormat>("format");
    QTest::newRow("wav") << TestAudio::sineWav(0.1) << AudioFormat::Wav;
    QTest::newRow("rf64") << QByteArray("RF64\xff\xff\xff\xffWAVEds64", 16) << AudioFormat::Wav;
    QTest::newRow("flac") << QByteArray("fLaC\0\0\0\x22", 8) << AudioFormat::Flac;
    QTest::newRow("flac after id3") << QByteArray("ID3\x04\0\0\0\0\0\x02xxfLaC", 16) << AudioFormat::Flac;
    QTest::newRow("ogg") << QByteArray("OggS\0\x02", 6) << AudioFormat::Ogg;
    QTest::newRow("mp3 frame") << QByteArray("\xff\xfb\x90\x64\0\0", 6) << AudioFormat::Mp3;
    QTest::newRow("mp3 after id3") << QByteArray("ID3\x03\0\0\0\0\0\x01x\xff\xfb\x90\x64", 15) << AudioFormat::Mp3;
    QTest::newRow("bad mp3 bitrate") << QByteArray("\xff\xfb\xf0\x64", 4) << AudioFormat::Unknown;
    QTest::newRow("id3 only") << QByteArray("ID3\x03\0\0\0\0\0\x01x", 11) << AudioFormat::Unknown;
    QTest::newRow("riff but not wave") << QByteArray("RIFF\0\0\0\0AVI LIST", 16) << AudioFormat::Unknown;
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html>") << AudioFormat::Unknown;
    QTest::newRow("json") << QByteArray(R"({"error":"x"})") << AudioFormat::Unknown;
    QTest::newRow("empty") << QByteArray() << AudioFormat::Unknown;
    QTest::newRow("short") << QByteArray("RI") << AudioFormat::Unknown;
}

void TestAudioCodec::sniffing()
{
    QFETCH(QByteArray, bytes);
    QFETCH(AudioFormat, format);
    QCOMPARE(sniffAudioFormat(bytes), format);
}

void TestAudioCodec::extensions_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<AudioFormat>("format");
    QTest::newRow("path") << u"/tmp/take.wav"_s << AudioFormat::Wav;
    QTest::newRow("upper case") << u"take.FLAC"_s << AudioFormat::Flac;
    QTest::newRow("bare") << u"ogg"_s << AudioFormat::Ogg;
    QTest::newRow("dotted") << u".mp3"_s << AudioFormat::Mp3;
    QTest::newRow("unknown") << u"take.aiff"_s << AudioFormat::Unknown;
    QTest::newRow("none") << u"take"_s << AudioFormat::Unknown;
}

void TestAudioCodec::extensions()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, format);
    QCOMPARE(audioFormatFromName(name), format);
    if (format != AudioFormat::Unknown)
        QCOMPARE(audioFormatFromName(audioFormatExtension(format)), format);
}

void TestAudioCodec::probeReadsEveryFormat_data()
{
    QTest::addColumn<AudioFormat>("format");
    QTest::newRow("wav") << AudioFormat::Wav;
    QTest::newRow("flac") << AudioFormat::Flac;
    QTest::newRow("ogg") << AudioFormat::Ogg;
    QTest::newRow("mp3") << AudioFormat::Mp3;
}

void TestAudioCodec::probeReadsEveryFormat()
{
    QFETCH(AudioFormat, format);
    const QByteArray wav = TestAudio::sineWav(2.0, 32000, 1);
    QString whyNot;
    const auto encoded = format == AudioFormat::Wav ? std::optional(wav) : AudioCodec::convert(wav, format, &whyNot);
    QVERIFY2(encoded.has_value(), qPrintable(whyNot));
    QCOMPARE(sniffAudioFormat(*encoded), format);
    const auto info = AudioCodec::probe(*encoded, &whyNot);
    QVERIFY2(info.has_value(), qPrintable(whyNot));
    QCOMPARE(info->format, format);
    QCOMPARE(info->sampleRate, 32000);
    QCOMPARE(info->channels, 1);
    // Lossy codecs pad the start and end by up to a couple of frames' worth of samples.
    QVERIFY2(std::abs(info->durationSeconds() - 2.0) < 0.1, qPrintable(QString::number(info->durationSeconds())));
}

void TestAudioCodec::probeRejectsWhatIsNotAudio_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reasonMentions");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("html") << QByteArray("<html><body>Bad gateway</body></html>") << u"not WAV"_s;
    QTest::newRow("json") << QByteArray(R"({"image":"base64..."})") << u"not WAV"_s;
    QTest::newRow("garbage") << QByteArray(4096, '\x5a') << u"not WAV"_s;
    QTest::newRow("wav header only") << TestAudio::sineWav(0) << u"WAV"_s;
    QTest::newRow("mp3 sync then noise") << (QByteArray("\xff\xfb\x90\x64", 4) + QByteArray(64, '\x01')) << u"MP3"_s;
}

void TestAudioCodec::probeRejectsWhatIsNotAudio()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reasonMentions);
    QString whyNot;
    QVERIFY(!AudioCodec::probe(bytes, &whyNot).has_value());
    QVERIFY2(whyNot.contains(reasonMentions), qPrintable(whyNot));
}

void TestAudioCodec::convertKeepsRateChannelsAndLength()
{
    const QByteArray stereo = TestAudio::sineWav(1.5, 44100, 2);
    const auto flac = AudioCodec::convert(stereo, AudioFormat::Flac);
    QVERIFY(flac.has_value());
    const auto backToWav = AudioCodec::convert(*flac, AudioFormat::Wav);
    QVERIFY(backToWav.has_value());
    // FLAC is lossless: the samples survive the round trip exactly.
    QCOMPARE(backToWav->size(), stereo.size());
    QCOMPARE(backToWav->mid(backToWav->size() - 4000), stereo.mid(stereo.size() - 4000));
    const auto info = AudioCodec::probe(*backToWav);
    QVERIFY(info.has_value());
    QCOMPARE(info->channels, 2);
    QCOMPARE(info->sampleRate, 44100);
    QCOMPARE(info->frames, qint64(66150));
}

QTEST_GUILESS_MAIN(TestAudioCodec)
#include "tst_AudioCodec.moc"
