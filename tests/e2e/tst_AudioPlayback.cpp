#include "audio/AudioCodec.h"
#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "library/HistoryModel.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

/// Real sound through the real window: a private PulseAudio server with a null sink stands in for the sound
/// card, parec records its monitor, and the recording must be the take: not silent, and as long as it.
class TestAudioPlayback final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aTakePlaysThroughTheSoundSystem();

private:
    QTemporaryDir m_runtime;
    QProcess m_pulse;
};

void TestAudioPlayback::initTestCase()
{
    for (const char* tool : {"pulseaudio", "parec"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QSKIP(qPrintable(
                u"%1 is not installed (scripts/setup --tests installs it)"_s.arg(QString::fromLatin1(tool))));
    }
    // Everything PulseAudio keeps goes into a folder of this test, so it neither sees nor disturbs a desktop's
    // own sound server.
    qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
    qputenv("PULSE_RUNTIME_PATH", m_runtime.filePath(u"pulse"_s).toUtf8());
    qputenv("PULSE_STATE_PATH", m_runtime.filePath(u"state"_s).toUtf8());
    qputenv("PULSE_SERVER", u"unix:%1"_s.arg(m_runtime.filePath(u"pulse/native"_s)).toUtf8());
    m_pulse.setProcessChannelMode(QProcess::MergedChannels);
    m_pulse.start(u"pulseaudio"_s,
                  {u"--daemonize=no"_s, u"-n"_s, u"--exit-idle-time=-1"_s, u"--disallow-exit"_s, u"--use-pid-file=no"_s,
                   u"--system=false"_s, u"--load=module-null-sink sink_name=null"_s,
                   u"--load=module-native-protocol-unix"_s, u"--load=module-always-sink"_s});
    QVERIFY(m_pulse.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_runtime.filePath(u"pulse/native"_s)), 15000);
    QCOMPARE(QProcess::execute(u"pactl"_s, {u"set-default-sink"_s, u"null"_s}), 0);
}

void TestAudioPlayback::cleanupTestCase()
{
    if (m_pulse.state() != QProcess::NotRunning) {
        m_pulse.terminate();
        m_pulse.waitForFinished(5000);
    }
}

void TestAudioPlayback::aTakePlaysThroughTheSoundSystem()
{
    QTemporaryDir home;
    {
        Settings settings(home.filePath(u"settings.ini"_s));
        settings.setProvider(Settings::ProviderChoice::Offline);
        settings.setAutoPlay(true);
        settings.sync();
    }
    Studio studio({home.filePath(u"data"_s), home.filePath(u"settings.ini"_s)}, std::make_unique<MediaPlayerBackend>());
    MainWindow window(&studio.settings(), &studio.session(), &studio.library(), &studio.player(), &studio.analysis());
    window.show();

    const QString recording = home.filePath(u"recording.wav"_s);
    QProcess recorder;
    recorder.start(u"parec"_s,
                   {u"-d"_s, u"null.monitor"_s, u"--file-format=wav"_s, u"--rate=32000"_s, u"--channels=1"_s,
                    u"--format=s16le"_s, u"--latency-msec=20"_s, u"--process-time-msec=10"_s, recording});
    QVERIFY(recorder.waitForStarted());
    // parec can take a second to start capturing; play only once a quarter second of silence is on disk, so
    // the take's first beat is recorded.
    const qint64 quarterSecond = 44 + 32000 * 2 / 4;
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(recording).size() > quarterSecond, 15000);

    auto* prompt = window.findChild<QPlainTextEdit*>(u"promptEdit"_s);
    prompt->setPlainText(u"techno at 128 bpm"_s);
    window.findChild<QSlider*>(u"durationSlider"_s)->setValue(3);
    QTest::mouseClick(window.findChild<QPushButton*>(u"generateButton"_s), Qt::LeftButton);
    Player& player = studio.player();
    QTRY_COMPARE_WITH_TIMEOUT(player.state(), PlayerBackend::State::Playing, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(player.state(), PlayerBackend::State::Stopped, 20000);
    QTest::qWait(1500);
    recorder.terminate(); // parec finishes the WAV header on SIGTERM
    QVERIFY(recorder.waitForFinished(5000));

    QFile file(recording);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const auto info = AudioCodec::probe(bytes);
    QVERIFY2(info.has_value(), "parec wrote a readable WAV file");
    // 10 ms windows: the take is where the recording is not silent.
    const auto peaks = AudioCodec::peaks(bytes, int(info->frames / (info->sampleRate / 100)));
    QVERIFY(peaks.has_value());
    int first = -1, last = -1;
    double energy = 0;
    for (int i = 0; i < peaks->maximum.size(); ++i) {
        const float level = std::max(peaks->maximum[i], -peaks->minimum[i]);
        if (level > 0.01F) {
            if (first < 0)
                first = i;
            last = i;
            energy += double(level) * level;
        }
    }
    QVERIFY2(first >= 0, "the recording is not silent");
    const double soundingSeconds = (last - first + 1) / 100.0;
    qInfo("recorded %.2f s, of which %.2f s sounding (take: 3.00 s)", info->durationSeconds(), soundingSeconds);
    // The take fades to silence over its last few hundred milliseconds, below the threshold.
    QVERIFY2(soundingSeconds > 2.6 && soundingSeconds < 3.2, qPrintable(QString::number(soundingSeconds)));
    const double meanPeak = std::sqrt(energy / (last - first + 1));
    QVERIFY2(meanPeak > 0.1, qPrintable(QString::number(meanPeak))); // at −14 LUFS the take is loud, not a whisper

    const Take take = window.historyModel()->takeAt(0);
    QCOMPARE(take.requestedDuration, 3);
}

QTEST_MAIN(TestAudioPlayback)
#include "tst_AudioPlayback.moc"
