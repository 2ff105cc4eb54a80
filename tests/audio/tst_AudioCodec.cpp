#include "TestAudio.h"
#include "TestFormats.h"
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
    void decodeReadsEveryFormat_data();
    void decodeReadsEveryFormat();
    void peaksOfSilenceAndSquare();
    void peaksMixChannels();
    void peaksRefuseNonsense();
};

namespace {

// `seconds` of silence, then `seconds` of a full-scale square wave (50 samples up, 50 down).
QByteArray silenceThenSquare(double seconds, int sampleRate = 32000)
{
    const auto half = size_t(seconds * sampleRate);
    std::vector<qint16> samples(2 * half, 0);
    for (size_t i = half; i < samples.size(); ++i)
        samples[i] = (i / 50) % 2 ? qint16(-32768) : qint16(32767);
    return TestAudio::pcmWav(samples, sampleRate);
}

} // namespace

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
    for (const auto& [extension, format] : TestFormats::Every)
        QTest::newRow(extension) << format;
}

void TestAudioCodec::probeReadsEveryFormat()
{
    QFETCH(AudioFormat, format);
    QString whyNot;
    const QByteArray encoded = TestFormats::sine(format, 2.0, &whyNot); // 32 kHz mono
    QVERIFY2(!encoded.isEmpty(), qPrintable(whyNot));
    QCOMPARE(sniffAudioFormat(encoded), format);
    const auto info = AudioCodec::probe(encoded, &whyNot);
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
    whyNot.clear();
    QVERIFY(!AudioCodec::decode(bytes, &whyNot).has_value());
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

void TestAudioCodec::decodeReadsEveryFormat_data()
{
    probeReadsEveryFormat_data();
}

void TestAudioCodec::decodeReadsEveryFormat()
{
    QFETCH(AudioFormat, format);
    QString whyNot;
    const QByteArray encoded = TestFormats::sine(format, 2.0, &whyNot); // 440 Hz at 16000/32768, 32 kHz mono
    QVERIFY2(!encoded.isEmpty(), qPrintable(whyNot));
    const auto decoded = AudioCodec::decode(encoded, &whyNot);
    QVERIFY2(decoded.has_value(), qPrintable(whyNot));
    QCOMPARE(decoded->sampleRate, 32000);
    QCOMPARE(decoded->channels, 1);
    const auto seconds = double(decoded->samples.size()) / 32000;
    QVERIFY2(std::abs(seconds - 2.0) < 0.1, qPrintable(QString::number(seconds)));
    // The tone's level survives every codec: RMS of a sine is its amplitude over sqrt(2).
    double energy = 0;
    for (const float sample : decoded->samples)
        energy += double(sample) * sample;
    const double rms = std::sqrt(energy / double(decoded->samples.size()));
    QVERIFY2(std::abs(rms - 16000.0 / 32768 / std::sqrt(2.0)) < 0.02, qPrintable(QString::number(rms)));
}

void TestAudioCodec::peaksOfSilenceAndSquare()
{
    const QByteArray wav = silenceThenSquare(1.0);
    QString whyNot;
    const auto peaks = AudioCodec::peaks(wav, 100, &whyNot);
    QVERIFY2(peaks, qPrintable(whyNot));
    QCOMPARE(peaks->minimum.size(), 100);
    QCOMPARE(peaks->maximum.size(), 100);
    for (int i = 0; i < 100; ++i) {
        QVERIFY(peaks->minimum[i] <= peaks->maximum[i]);
        if (i < 50) { // silence
            QCOMPARE(peaks->minimum[i], 0.0F);
            QCOMPARE(peaks->maximum[i], 0.0F);
        } else { // each slice holds whole periods of the square
            QVERIFY2(peaks->minimum[i] == -1.0F, qPrintable(QString::number(peaks->minimum[i])));
            QVERIFY2(peaks->maximum[i] > 0.999F, qPrintable(QString::number(peaks->maximum[i])));
        }
    }
    // More slices than frames: every frame lands in a slice of its own, the rest stay empty.
    const auto fine = AudioCodec::peaks(TestAudio::pcmWav({16384, -16384, 0}), 6);
    QVERIFY(fine);
    QCOMPARE(fine->maximum, (QList<float>{0.5F, 0.0F, 0.0F, 0.0F, 0.0F, 0.0F}));
    QCOMPARE(fine->minimum, (QList<float>{0.0F, 0.0F, -0.5F, 0.0F, 0.0F, 0.0F}));
}

void TestAudioCodec::peaksMixChannels()
{
    // Left at +half scale, right at -half scale: they cancel out in the mix a waveform shows.
    std::vector<qint16> samples;
    for (int i = 0; i < 3200; ++i)
        samples.insert(samples.end(), {16384, -16384});
    const auto cancelled = AudioCodec::peaks(TestAudio::pcmWav(samples, 32000, 2), 10);
    QVERIFY(cancelled);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(cancelled->minimum[i], 0.0F);
        QCOMPARE(cancelled->maximum[i], 0.0F);
    }
    const auto sine = AudioCodec::peaks(TestAudio::sineWav(0.5, 32000, 2), 10);
    QVERIFY(sine);
    for (int i = 0; i < 10; ++i) {
        QVERIFY(std::abs(sine->maximum[i] - 16000.0F / 32768) < 0.001F);
        QVERIFY(std::abs(sine->minimum[i] + 16000.0F / 32768) < 0.001F);
    }
}

void TestAudioCodec::peaksRefuseNonsense()
{
    QString whyNot;
    QVERIFY(!AudioCodec::peaks(QByteArray("<html>"), 10, &whyNot));
    QVERIFY2(whyNot.contains(u"not WAV"_s), qPrintable(whyNot));
    QVERIFY(!AudioCodec::peaks(TestAudio::sineWav(0.1), 0));
}

QTEST_GUILESS_MAIN(TestAudioCodec)
#include "tst_AudioCodec.moc"
