#include "platform/Settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSettings final : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void valuesSurviveARestart();
    void corruptValuesFallBackToDefaults_data();
    void corruptValuesFallBackToDefaults();
    void invalidValuesAreNotStored();
    void anUnreadableFileIsNotACrash();

private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
};

void TestSettings::defaults()
{
    Settings settings(path("defaults.ini"));
    QCOMPARE(settings.provider(), Settings::ProviderChoice::Automatic);
    QCOMPARE(settings.timeoutSeconds(), 300);
    QCOMPARE(settings.idleTimeoutSeconds(), 60);
    QCOMPARE(settings.retries(), 2);
    QCOMPARE(settings.parallelTakes(), 1);
    QCOMPARE(settings.autoPlay(), true);
    QCOMPARE(settings.auditionOnSelect(), true);
    QCOMPARE(settings.outputDeviceId(), QByteArray());
    QVERIFY(settings.favouritesDir().endsWith(u"/MusicGen Studio"_s));
    QCOMPARE(settings.fileNameTemplate(), u"{prompt}_{seed}_{duration}s"_s);
    QCOMPARE(settings.exportFormat(), AudioFormat::Wav);
    QCOMPARE(settings.costPerTake(), 0.037);
    QCOMPARE(settings.lastDuration(), 10);
    QCOMPARE(settings.lastSeed(), 42);
    QVERIFY(settings.warnings().isEmpty());
}

void TestSettings::valuesSurviveARestart()
{
    {
        Settings settings(path("restart.ini"));
        settings.setProvider(Settings::ProviderChoice::CustomEndpoint);
        settings.setCustomApiBase(QUrl(u"http://127.0.0.1:9000/v1"_s));
        settings.setTimeoutSeconds(120);
        settings.setParallelTakes(4);
        settings.setAutoPlay(false);
        settings.setAuditionOnSelect(false);
        settings.setOutputDeviceId("alsa_output.null");
        settings.setFavouritesDir(u"/tmp/fav"_s);
        settings.setFileNameTemplate(u"{id}-{prompt}"_s);
        settings.setExportFormat(AudioFormat::Flac);
        settings.setCostPerTake(0.05);
        settings.setLastPrompt(u"dreamy 🎹 «pads»"_s);
        settings.setLastDuration(25);
        settings.setLastSeed(-1);
        settings.setNewSeedEveryTake(true);
        settings.setWindowGeometry(QByteArray("\x01\x02\x00\xff", 4));
        QVERIFY(settings.sync());
    }
    Settings settings(path("restart.ini"));
    QCOMPARE(settings.provider(), Settings::ProviderChoice::CustomEndpoint);
    QCOMPARE(settings.customApiBase(), QUrl(u"http://127.0.0.1:9000/v1"_s));
    QCOMPARE(settings.timeoutSeconds(), 120);
    QCOMPARE(settings.parallelTakes(), 4);
    QCOMPARE(settings.autoPlay(), false);
    QCOMPARE(settings.auditionOnSelect(), false);
    QCOMPARE(settings.outputDeviceId(), QByteArray("alsa_output.null"));
    QCOMPARE(settings.favouritesDir(), u"/tmp/fav"_s);
    QCOMPARE(settings.fileNameTemplate(), u"{id}-{prompt}"_s);
    QCOMPARE(settings.exportFormat(), AudioFormat::Flac);
    QCOMPARE(settings.costPerTake(), 0.05);
    QCOMPARE(settings.lastPrompt(), u"dreamy 🎹 «pads»"_s);
    QCOMPARE(settings.lastDuration(), 25);
    QCOMPARE(settings.lastSeed(), -1);
    QCOMPARE(settings.newSeedEveryTake(), true);
    QCOMPARE(settings.windowGeometry(), QByteArray("\x01\x02\x00\xff", 4));
    QVERIFY(settings.warnings().isEmpty());
}

void TestSettings::corruptValuesFallBackToDefaults_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("provider") << QByteArray("provider=suno");
    QTest::newRow("timeout text") << QByteArray("timeoutSeconds=soon");
    QTest::newRow("timeout negative") << QByteArray("timeoutSeconds=-5");
    QTest::newRow("parallel takes 9") << QByteArray("parallelTakes=9");
    QTest::newRow("auto play") << QByteArray("autoPlay=maybe");
    QTest::newRow("audition on select") << QByteArray("auditionOnSelect=often");
    QTest::newRow("export format") << QByteArray("exportFormat=aiff");
    QTest::newRow("cost") << QByteArray("costPerTake=free");
    QTest::newRow("api base") << QByteArray("customApiBase=ftp://x");
    QTest::newRow("empty favourites folder") << QByteArray("favouritesDir=");
}

void TestSettings::corruptValuesFallBackToDefaults()
{
    QFETCH(QByteArray, line);
    const QString file = path("corrupt.ini");
    QFile::remove(file);
    QFile ini(file);
    QVERIFY(ini.open(QIODevice::WriteOnly));
    ini.write("[General]\n" + line + "\n[window]\nlastDuration=99\n");
    ini.close();

    Settings settings(file);
    Settings defaults(path("pristine.ini"));
    QCOMPARE(settings.provider(), defaults.provider());
    QCOMPARE(settings.timeoutSeconds(), defaults.timeoutSeconds());
    QCOMPARE(settings.parallelTakes(), defaults.parallelTakes());
    QCOMPARE(settings.autoPlay(), defaults.autoPlay());
    QCOMPARE(settings.auditionOnSelect(), defaults.auditionOnSelect());
    QCOMPARE(settings.exportFormat(), defaults.exportFormat());
    QCOMPARE(settings.costPerTake(), defaults.costPerTake());
    QCOMPARE(settings.customApiBase(), defaults.customApiBase());
    QCOMPARE(settings.favouritesDir(), defaults.favouritesDir());
    QCOMPARE(settings.lastDuration(), 10);
    QCOMPARE(settings.warnings().size(), 2); // the corrupt line and lastDuration=99
}

void TestSettings::invalidValuesAreNotStored()
{
    Settings settings(path("invalid.ini"));
    settings.setParallelTakes(12);
    settings.setLastSeed(10000);
    QCOMPARE(settings.parallelTakes(), 1);
    QCOMPARE(settings.lastSeed(), 42);
}

void TestSettings::anUnreadableFileIsNotACrash()
{
    const QString file = path("garbage.ini");
    QFile ini(file);
    QVERIFY(ini.open(QIODevice::WriteOnly));
    static const char garbage[] = "\x00\xff[[[=\n\x01\x02garbage";
    ini.write(garbage, sizeof garbage - 1);
    ini.close();
    Settings settings(file);
    QCOMPARE(settings.timeoutSeconds(), 300);
    QCOMPARE(settings.provider(), Settings::ProviderChoice::Automatic);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_Settings.moc"
