#include "TestAudio.h"
#include "audio/AudioCodec.h"
#include "library/ClipFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestClipFile final : public QObject
{
    Q_OBJECT

private slots:
    void sameFormatKeepsTheBytes();
    void otherFormatsAreConverted_data();
    void otherFormatsAreConverted();
    void failuresLeaveNoFile();
    void defaultFileName();
};

static QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestClipFile::sameFormatKeepsTheBytes()
{
    QTemporaryDir dir;
    const QByteArray wav = TestAudio::sineWav(1.0);
    QString error;
    QVERIFY2(ClipFile::write(wav, dir.filePath(u"take.WAV"_s), &error), qPrintable(error));
    QCOMPARE(readAll(dir.filePath(u"take.WAV"_s)), wav);
}

void TestClipFile::otherFormatsAreConverted_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<AudioFormat>("format");
    QTest::newRow("flac") << u"take.flac"_s << AudioFormat::Flac;
    QTest::newRow("ogg") << u"take.ogg"_s << AudioFormat::Ogg;
    QTest::newRow("mp3") << u"take.mp3"_s << AudioFormat::Mp3;
}

void TestClipFile::otherFormatsAreConverted()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, format);
    QTemporaryDir dir;
    QString error;
    QVERIFY2(ClipFile::write(TestAudio::sineWav(1.0), dir.filePath(name), &error), qPrintable(error));
    const auto info = AudioCodec::probe(readAll(dir.filePath(name)));
    QVERIFY(info.has_value());
    QCOMPARE(info->format, format);
}

void TestClipFile::failuresLeaveNoFile()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!ClipFile::write(TestAudio::sineWav(1.0), dir.filePath(u"take.aiff"_s), &error));
    QVERIFY(error.contains(u".wav"_s));
    QVERIFY(!ClipFile::write(QByteArray("<html>"), dir.filePath(u"take.flac"_s), &error));
    QVERIFY(!ClipFile::write(TestAudio::sineWav(1.0), dir.filePath(u"missing/take.wav"_s), &error));
    QVERIFY(error.contains(u"could not write"_s));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
}

void TestClipFile::defaultFileName()
{
    QCOMPARE(ClipFile::defaultFileName(GenerationRequest{u"Lo-fi, soothing!"_s, 10, 7}, AudioFormat::Wav),
             u"lo-fi-soothing_7.wav"_s);
    QCOMPARE(ClipFile::defaultFileName(GenerationRequest{u"../../etc/passwd"_s, 10, 0}, AudioFormat::Mp3),
             u"etc-passwd_0.mp3"_s);
}

QTEST_GUILESS_MAIN(TestClipFile)
#include "tst_ClipFile.moc"
