#include "TestAudio.h"
#include "TestFormats.h"
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
    void replacesAnOldFile();
    void rescuesNeverOverwrite();
    void rescueFailureSaysWhy();
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
    TestFormats::fileNameRows(u"take"_s, {AudioFormat::Flac, AudioFormat::Ogg, AudioFormat::Mp3});
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

void TestClipFile::replacesAnOldFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("an older take");
    old.close();
    QString error;
    QVERIFY2(ClipFile::write(TestAudio::sineWav(0.2), path, &error), qPrintable(error));
    QCOMPARE(readAll(path), TestAudio::sineWav(0.2));
}

void TestClipFile::rescuesNeverOverwrite()
{
    QTemporaryDir dir;
    const GenerationRequest request{u"Lo-fi, soothing!"_s, 10, 7};
    const QByteArray first = TestAudio::sineWav(0.1), second = TestAudio::sineWav(0.2);
    QString error;
    const QString a = ClipFile::rescue(request, first, AudioFormat::Wav, dir.path(), &error);
    QVERIFY2(!a.isEmpty(), qPrintable(error));
    const QString b = ClipFile::rescue(request, second, AudioFormat::Wav, dir.path(), &error);
    QVERIFY2(!b.isEmpty(), qPrintable(error));
    QCOMPARE(a, dir.filePath(u"rescued/lo-fi-soothing_7.wav"_s));
    QCOMPARE(b, dir.filePath(u"rescued/lo-fi-soothing_7 (2).wav"_s));
    QCOMPARE(readAll(a), first); // both paid takes are kept
    QCOMPARE(readAll(b), second);
    QCOMPARE(QDir(dir.filePath(u"rescued"_s)).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestClipFile::rescueFailureSaysWhy()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"data"_s)); // a file where the data folder should be
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QString error;
    const QString path = ClipFile::rescue(GenerationRequest{u"jazz"_s, 10, 1}, TestAudio::sineWav(0.1),
                                          AudioFormat::Wav, dir.filePath(u"data"_s), &error);
    QVERIFY(path.isEmpty());
    QVERIFY2(error.contains(u"rescued"_s), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{u"data"_s});
}

QTEST_GUILESS_MAIN(TestClipFile)
#include "tst_ClipFile.moc"
