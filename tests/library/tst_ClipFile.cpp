#include "TestAudio.h"
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
    void defaultFileName();
    void rescuesNeverOverwrite();
    void rescueFailureSaysWhy();
};

static QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestClipFile::defaultFileName()
{
    QCOMPARE(ClipFile::defaultFileName(GenerationRequest{u"Lo-fi, soothing!"_s, 10, 7}, AudioFormat::Wav),
             u"lo-fi-soothing_7.wav"_s);
    QCOMPARE(ClipFile::defaultFileName(GenerationRequest{u"../../etc/passwd"_s, 10, 0}, AudioFormat::Mp3),
             u"etc-passwd_0.mp3"_s);
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
    // A file where the data folder should be, and another where the temporary folder should be.
    QTemporaryDir dir;
    for (const QString& name : {u"data"_s, u"tmp"_s}) {
        QFile blocker(dir.filePath(name));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    const QByteArray previousTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", QFile::encodeName(dir.filePath(u"tmp"_s)));
    QString error;
    const QString path = ClipFile::rescue(GenerationRequest{u"jazz"_s, 10, 1}, TestAudio::sineWav(0.1),
                                          AudioFormat::Wav, dir.filePath(u"data"_s), &error);
    QVERIFY(path.isEmpty());
    QVERIFY2(error.contains(u"data/rescued"_s) && error.contains(u"tmp/musicgen-rescued"_s), qPrintable(error));

    // The temporary folder is the last resort when the data folder cannot be written.
    QVERIFY(QFile::remove(dir.filePath(u"tmp"_s)));
    QVERIFY(QDir().mkpath(dir.filePath(u"tmp"_s)));
    const QString rescued = ClipFile::rescue(GenerationRequest{u"jazz"_s, 10, 1}, TestAudio::sineWav(0.1),
                                             AudioFormat::Wav, dir.filePath(u"data"_s), &error);
    if (previousTmp.isEmpty())
        qunsetenv("TMPDIR");
    else
        qputenv("TMPDIR", previousTmp);
    QCOMPARE(rescued, dir.filePath(u"tmp/musicgen-rescued/jazz_1.wav"_s));
    QCOMPARE(readAll(rescued), TestAudio::sineWav(0.1));
}

QTEST_GUILESS_MAIN(TestClipFile)
#include "tst_ClipFile.moc"
