#include "audio/AudioCodec.h"
#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "library/HistoryModel.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include "PulseNullSink.h"

#include <QApplication>
#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
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
    void aTakePlaysThroughTheSoundSystem();

private:
    PulseNullSink m_sound;
};

void TestAudioPlayback::initTestCase()
{
    if (const QString missing = PulseNullSink::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    QString why;
    QVERIFY2(m_sound.start(&why), qPrintable(why));
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
    MainWindow window(studio.windowParts());
    window.show();

    MonitorRecording recorder(home.filePath(u"recording.wav"_s));
    QString why;
    QVERIFY2(recorder.start(&why), qPrintable(why));

    auto* prompt = window.findChild<QPlainTextEdit*>(u"promptEdit"_s);
    prompt->setPlainText(u"techno at 128 bpm"_s);
    window.findChild<QSlider*>(u"durationSlider"_s)->setValue(3);
    QTest::mouseClick(window.findChild<QPushButton*>(u"generateButton"_s), Qt::LeftButton);
    Player& player = studio.player();
    QTRY_COMPARE_WITH_TIMEOUT(player.state(), PlayerBackend::State::Playing, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(player.state(), PlayerBackend::State::Stopped, 20000);
    QTest::qWait(1500);
    QVERIFY2(recorder.stop(&why), qPrintable(why));

    QFile file(recorder.path());
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
