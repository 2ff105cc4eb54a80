#include "TestAudio.h"
#include "TestFormats.h"
#include "audio/AudioCodec.h"
#include "audio/AudioFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// Writing a take to a file the musician named: `generate --output` and `export` go through AudioFile::write.
class TestAudioFile final : public QObject
{
    Q_OBJECT

private slots:
    void sameFormatKeepsTheBytes();
    void otherFormatsAreConverted_data();
    void otherFormatsAreConverted();
    void failuresLeaveNoFile();
    void replacesAnOldFileOnlyWhenAsked();

private:
    static AtomicFile::WriteResult write(const QByteArray& audio, const QString& path,
                                         AtomicFile::Mode mode = AtomicFile::Mode::NoReplace)
    {
        return AudioFile::write(path, audio, audioFormatFromName(path), mode);
    }
};

static QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestAudioFile::sameFormatKeepsTheBytes()
{
    QTemporaryDir dir;
    const QByteArray wav = TestAudio::sineWav(1.0);
    const AtomicFile::WriteResult written = write(wav, dir.filePath(u"take.WAV"_s));
    QVERIFY2(written.ok(), qPrintable(written.error));
    QCOMPARE(readAll(dir.filePath(u"take.WAV"_s)), wav);
}

void TestAudioFile::otherFormatsAreConverted_data()
{
    TestFormats::fileNameRows(u"take"_s, {AudioFormat::Flac, AudioFormat::Ogg, AudioFormat::Mp3});
}

void TestAudioFile::otherFormatsAreConverted()
{
    QFETCH(QString, name);
    QFETCH(AudioFormat, format);
    QTemporaryDir dir;
    const AtomicFile::WriteResult written = write(TestAudio::sineWav(1.0), dir.filePath(name));
    QVERIFY2(written.ok(), qPrintable(written.error));
    const auto info = AudioCodec::probe(readAll(dir.filePath(name)));
    QVERIFY(info.has_value());
    QCOMPARE(info->format, format);
}

void TestAudioFile::failuresLeaveNoFile()
{
    QTemporaryDir dir;
    AtomicFile::WriteResult written = write(TestAudio::sineWav(1.0), dir.filePath(u"take.aiff"_s));
    QVERIFY(!written.ok());
    QVERIFY(written.error.contains(u".wav"_s));
    QVERIFY(!write(QByteArray("<html>"), dir.filePath(u"take.flac"_s)).ok());
    written = write(TestAudio::sineWav(1.0), dir.filePath(u"missing/take.wav"_s));
    QVERIFY(!written.ok());
    QVERIFY(written.error.contains(u"could not write"_s));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
}

void TestAudioFile::replacesAnOldFileOnlyWhenAsked()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("an older take");
    old.close();
    const AtomicFile::WriteResult refused = write(TestAudio::sineWav(0.2), path);
    QVERIFY(refused.alreadyExists);
    QCOMPARE(readAll(path), QByteArray("an older take"));
    const AtomicFile::WriteResult written = write(TestAudio::sineWav(0.2), path, AtomicFile::Mode::Replace);
    QVERIFY2(written.ok(), qPrintable(written.error));
    QCOMPARE(readAll(path), TestAudio::sineWav(0.2));
}

QTEST_GUILESS_MAIN(TestAudioFile)
#include "tst_AudioFile.moc"
