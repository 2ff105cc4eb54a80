#include "TestAudio.h"
#include "audio/AudioLoop.h"
#include "playback/LoopDevice.h"

#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;

/// The endless WAV stream a loop plays from: read from the loop's own file, chunks and all, and served lap after lap
/// to the sample, wherever a reader seeks.
class TestLoopDevice final : public QObject
{
    Q_OBJECT

private slots:
    void readsTheLoopFileAsTheLoopCutWritesIt();
    void servesTheSamplesLapAfterLap();
    void seeksIntoAnyLap();
    void refusesWhatIsNoPcmWav_data();
    void refusesWhatIsNoPcmWav();
};

namespace {

/// A two-bar loop at 120 BPM as the loop cut writes it: 16-bit, with its `smpl` and `acid` chunks.
QByteArray loopFile(int channels)
{
    const QByteArray tone = TestAudio::sineWav(5.0, 32000, channels);
    std::vector<float> samples(std::size_t(tone.size() - 44) / 2);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = float(qFromLittleEndian<qint16>(tone.constData() + 44 + 2 * i)) / 32768.0F;
    const auto loop = AudioLoop::cut({samples, 32000, channels}, {120, 0, 2, 0});
    return AudioLoop::toWav(*loop, {120, 8, {}}).value_or(QByteArray());
}

} // namespace

void TestLoopDevice::readsTheLoopFileAsTheLoopCutWritesIt()
{
    const QByteArray file = loopFile(2);
    QVERIFY(file.contains("smpl"));
    QString error;
    const auto wav = LoopDevice::parse(file, &error);
    QVERIFY2(wav, qPrintable(error));
    QCOMPARE(wav->sampleRate, 32000);
    QCOMPARE(wav->channels, 2);
    QCOMPARE(wav->frameBytes, 4);
    QCOMPARE(wav->frames(), 4 * 32000); // two bars of 2 s
    QCOMPARE(wav->milliseconds(), 4000.0);
    QCOMPARE(qFromLittleEndian<quint16>(wav->format.constData()), quint16(1)); // PCM
    const qsizetype data = file.indexOf("data");
    QCOMPARE(wav->samples, file.mid(data + 8, wav->samples.size()));
}

void TestLoopDevice::servesTheSamplesLapAfterLap()
{
    const QByteArray file = loopFile(1);
    const auto wav = LoopDevice::parse(file);
    QVERIFY(wav);
    const auto stream = LoopDevice::open(file);
    QVERIFY(stream);
    const QByteArray header = stream->read(44);
    QVERIFY(header.startsWith("RIFF"));
    QCOMPARE(header.mid(8, 8), QByteArray("WAVEfmt "));
    QCOMPARE(header.mid(20, 16), wav->format);
    QCOMPARE(header.mid(36, 4), QByteArray("data"));
    const qint64 lap = wav->samples.size();
    const qint64 data = qFromLittleEndian<quint32>(header.constData() + 40);
    QCOMPARE(data % lap, 0);                                          // whole laps only
    QVERIFY(data / lap * wav->milliseconds() > 3.0 * 60 * 60 * 1000); // hours of them
    QCOMPARE(qFromLittleEndian<quint32>(header.constData() + 4), quint32(36 + data));
    QCOMPARE(stream->size(), 44 + data);
    QVERIFY(stream->size() <= 0x7FFFFFFF);

    // Reads of any size run across the wrap with nothing between the last sample and the first.
    QByteArray played;
    while (played.size() < 3 * lap + lap / 2)
        played += stream->read(12345);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(played.mid(i * lap, lap), wav->samples);
    QCOMPARE(played.mid(3 * lap, lap / 2), wav->samples.left(lap / 2));
}

void TestLoopDevice::seeksIntoAnyLap()
{
    const QByteArray file = loopFile(1);
    const auto wav = LoopDevice::parse(file);
    const auto stream = LoopDevice::open(file);
    QVERIFY(wav && stream);
    const qint64 lap = wav->samples.size();
    QVERIFY(stream->seek(44 + 1000 * lap + 10));
    QCOMPARE(stream->read(lap), wav->samples.mid(10) + wav->samples.left(10));
    QVERIFY(stream->seek(0));
    QVERIFY(stream->read(4) == "RIFF");
    QVERIFY(stream->seek(stream->size() - 2));
    QCOMPARE(stream->read(100), wav->samples.right(2)); // the stream ends with a whole lap
    QVERIFY(stream->atEnd());
}

void TestLoopDevice::refusesWhatIsNoPcmWav_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("why");
    const QByteArray wav = TestAudio::sineWav(0.5);
    QTest::newRow("not RIFF") << QByteArray("ID3\x04 an MP3 file") << u"not a WAV file"_s;
    QTest::newRow("empty") << QByteArray() << u"not a WAV file"_s;
    QByteArray noData = wav;
    noData.replace(36, 4, "junk");
    QTest::newRow("no data") << noData << u"holds no samples"_s;
    QByteArray noFormat = wav;
    noFormat.replace(12, 4, "junk");
    QTest::newRow("no format") << noFormat << u"has no format"_s;
    QByteArray compressed = wav;
    qToLittleEndian<quint16>(0x55, compressed.data() + 20); // MPEG Layer III in a WAV file
    QTest::newRow("compressed") << compressed << u"compressed"_s;
    QTest::newRow("no whole frame") << wav.left(45) << u"no whole frame"_s;
}

void TestLoopDevice::refusesWhatIsNoPcmWav()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!LoopDevice::parse(file, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
    QVERIFY2(error.contains(u"Cut the loop again"_s), qPrintable(error));
    QVERIFY(!LoopDevice::open(file, &error));
}

QTEST_GUILESS_MAIN(TestLoopDevice)
#include "tst_LoopDevice.moc"
