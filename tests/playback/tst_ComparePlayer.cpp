#include "playback/ComparePlayer.h"

#include "RenderedMixOutput.h"
#include "TestAudio.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using State = PlayerBackend::State;

namespace {

constexpr int Rate = 8000;

/// The level slot `slot` is recorded at, so the mix shows which take is heard: 0.1, 0.2, 0.3, 0.4.
float levelOf(int slot)
{
    return 0.1F * float(slot + 1);
}

/// The mix level of the heard slot at the default master volume (80 %) with `gainDb`.
float heardLevel(int slot, double gainDb = 0, int percent = 80)
{
    return float(levelOf(slot) * std::pow(percent / 100.0, 2.0) * std::pow(10.0, gainDb / 20.0));
}

bool near(float a, float b)
{
    return std::abs(a - b) < 2e-3F;
}

} // namespace

class TestComparePlayer final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void twoToFourTakesOnly();
    void decodedThenAllPlayFromTheStartWithTheFirstHeard();
    void switchingChangesTheTakeHeardAndNothingElse();
    void switchingWhilePausedPlays();
    void pauseHoldsAndPlayGoesOn();
    void seekMovesEveryTake();
    void loudnessIsMatchedToTheQuietest();
    void unknownLoudnessPlaysUnchanged();
    void masterVolumeAndOutputDevice();
    void thePositionIsWhatIsHeard();
    void leaveStopsAndLetsGo();
    void comparingAgainRightAfterLeavingPlays();
    void aComparisonLeftWhileDecodingIsNeverPlayed();
    void aShorterTakeFallsSilentUntilTheLongestEnds();
    void takesOfOtherRatesAndChannelsPlayTogether();
    void aTakeThatCannotBeReadSaysWhatToDo();
    void anOutputThatFailsSaysWhatToDo();

private:
    /// A take `ms` long at `level` (see levelOf), written as a WAV file.
    QString takeFile(int slot, int ms = 2000, int rate = Rate, int channels = 1);
    QList<ComparePlayer::Slot> takes(const QList<std::optional<double>>& loudness);
    /// Starts comparing `loudness.size()` takes and waits until they are decoded.
    void startWith(const QList<std::optional<double>>& loudness);
    /// The level of the mix after `ms` more of it were rendered (the last frame's first channel).
    float levelAfter(int ms);

    std::unique_ptr<QTemporaryDir> m_dir;
    ComparePlayer* m_compare = nullptr;
    RenderedMixOutput* m_output = nullptr;
};

void TestComparePlayer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_compare = new ComparePlayer([this] { return m_output = new RenderedMixOutput; });
}

void TestComparePlayer::cleanup()
{
    delete m_compare;
    m_output = nullptr;
}

QString TestComparePlayer::takeFile(int slot, int ms, int rate, int channels)
{
    const QString path = m_dir->filePath(u"take%1-%2-%3.wav"_s.arg(slot).arg(rate).arg(channels));
    const auto sample = qint16(std::lround(levelOf(slot) * 32768));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(TestAudio::pcmWav(std::vector<qint16>(size_t(qint64(ms) * rate / 1000 * channels), sample), rate,
                                     channels)) < 0)
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QList<ComparePlayer::Slot> TestComparePlayer::takes(const QList<std::optional<double>>& loudness)
{
    QList<ComparePlayer::Slot> chosen;
    for (int i = 0; i < loudness.size(); ++i)
        chosen << ComparePlayer::Slot{u"take%1"_s.arg(i), takeFile(i), loudness.at(i)};
    return chosen;
}

void TestComparePlayer::startWith(const QList<std::optional<double>>& loudness)
{
    QString error;
    QVERIFY2(m_compare->start(takes(loudness), &error), qPrintable(error));
    QCOMPARE(m_compare->slotCount(), loudness.size());
    QTRY_VERIFY(m_compare->isReady());
}

float TestComparePlayer::levelAfter(int ms)
{
    const std::vector<float> mix = m_output->render(ms);
    return mix.empty() ? NAN : mix.back();
}

void TestComparePlayer::twoToFourTakesOnly()
{
    QString error;
    QVERIFY(!m_compare->start(takes({-14.0}), &error));
    QVERIFY2(error.contains(u"two to four"_s), qPrintable(error));
    QVERIFY(!m_compare->start(takes({1, 2, 3, 4, 5}), &error));
    QVERIFY(!m_compare->isActive());
    QVERIFY(m_compare->start(takes({1, 2, 3, 4})));
    QCOMPARE(m_compare->slotCount(), 4);
}

void TestComparePlayer::decodedThenAllPlayFromTheStartWithTheFirstHeard()
{
    QSignalSpy states(m_compare, &ComparePlayer::stateChanged);
    QSignalSpy durations(m_compare, &ComparePlayer::durationChanged);
    QVERIFY(m_compare->start(takes({std::nullopt, std::nullopt, std::nullopt})));
    QVERIFY(m_compare->isActive());
    QCOMPARE(m_compare->state(), State::Stopped); // decoding, in the pool
    QTRY_VERIFY(m_compare->isReady());
    QCOMPARE(m_compare->state(), State::Playing);
    QCOMPARE(states.size(), 1);
    QCOMPARE(m_compare->duration(), qint64(2000));
    QCOMPARE(durations.constLast().constFirst().toLongLong(), qint64(2000));
    QCOMPARE(m_output->calls, QStringList{u"start "_s});
    QCOMPARE(m_compare->current(), 0);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
    QCOMPARE(m_compare->takeIdAt(2), u"take2"_s);
    QCOMPARE(m_compare->takeIdAt(3), QString());
}

void TestComparePlayer::switchingChangesTheTakeHeardAndNothingElse()
{
    startWith({std::nullopt, std::nullopt});
    QVERIFY(near(levelAfter(500), heardLevel(0)));
    QSignalSpy current(m_compare, &ComparePlayer::currentChanged);
    QSignalSpy positions(m_compare, &ComparePlayer::positionChanged);
    m_compare->switchTo(1);
    QCOMPARE(current.size(), 1);
    QCOMPARE(m_compare->current(), 1);
    QCOMPARE(positions.size(), 0); // nothing moved
    QCOMPARE(m_compare->state(), State::Playing);
    // The next sound the device takes is the other take (after the few milliseconds of the crossfade), from where
    // the first had got to: the device's clock runs on.
    QVERIFY(near(levelAfter(CompareMixer::RampMs + 5), heardLevel(1)));
    QTRY_COMPARE(m_compare->position(), qint64(500 + CompareMixer::RampMs + 5));
    QCOMPARE(m_output->calls, QStringList{u"start "_s}); // no restart, no reload
    m_compare->switchTo(1);
    m_compare->switchTo(7); // no such slot
    QCOMPARE(current.size(), 1);
}

void TestComparePlayer::switchingWhilePausedPlays()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(300);
    m_compare->pause();
    QCOMPARE(m_compare->state(), State::Paused);
    QCOMPARE(levelAfter(50), 0.0F);
    m_compare->switchTo(1);
    QCOMPARE(m_compare->state(), State::Playing);
    QVERIFY(near(levelAfter(50), heardLevel(1)));
}

void TestComparePlayer::pauseHoldsAndPlayGoesOn()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(400);
    QTRY_COMPARE(m_compare->position(), qint64(400));
    m_compare->togglePlayPause();
    QCOMPARE(m_compare->state(), State::Paused);
    levelAfter(500);
    QTest::qWait(60);
    QVERIFY(m_compare->position() <= 400 + CompareMixer::RampMs); // held after its fade-out
    m_compare->togglePlayPause();
    QCOMPARE(m_compare->state(), State::Playing);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
    QTRY_VERIFY(m_compare->position() >= 450);
    QVERIFY(m_compare->position() <= 450 + CompareMixer::RampMs);
}

void TestComparePlayer::seekMovesEveryTake()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(100);
    QSignalSpy positions(m_compare, &ComparePlayer::positionChanged);
    m_compare->seek(1500);
    QCOMPARE(positions.constLast().constFirst().toLongLong(), qint64(1500));
    levelAfter(20);
    m_compare->switchTo(1);
    levelAfter(100);
    QTRY_VERIFY(m_compare->position() >= 1600);
    QVERIFY(m_compare->position() <= 1620);
    m_compare->seek(99'000); // no further than the longest take
    QCOMPARE(m_compare->position(), qint64(2000));
}

void TestComparePlayer::loudnessIsMatchedToTheQuietest()
{
    QSignalSpy gains(m_compare, &ComparePlayer::gainsChanged);
    startWith({-10.0, -16.0, -22.0});
    QCOMPARE(m_compare->gainDb(0), -12.0);
    QCOMPARE(m_compare->gainDb(1), -6.0);
    QCOMPARE(m_compare->gainDb(2), 0.0);
    QVERIFY(m_compare->matchesLoudness());
    QVERIFY(near(levelAfter(50), heardLevel(0, -12)));
    m_compare->switchTo(1);
    QVERIFY(near(levelAfter(50), heardLevel(1, -6)));
    const qsizetype before = gains.size();
    m_compare->setMatchLoudness(false);
    QCOMPARE(gains.size(), before + 1);
    QCOMPARE(m_compare->gainDb(0), 0.0);
    QCOMPARE(m_compare->gainDb(1), 0.0);
    QVERIFY(near(levelAfter(50), heardLevel(1)));
    m_compare->setMatchLoudness(true);
    QVERIFY(near(levelAfter(50), heardLevel(1, -6)));
}

void TestComparePlayer::unknownLoudnessPlaysUnchanged()
{
    startWith({-10.0, std::nullopt, -20.0});
    QCOMPARE(m_compare->gainDb(0), -10.0);
    QCOMPARE(m_compare->gainDb(1), 0.0);
    QCOMPARE(m_compare->gainDb(2), 0.0);
    m_compare->switchTo(1);
    QVERIFY(near(levelAfter(50), heardLevel(1)));
}

void TestComparePlayer::masterVolumeAndOutputDevice()
{
    m_compare->setOutputDevice("usb-headphones");
    startWith({std::nullopt, std::nullopt});
    QCOMPARE(m_output->calls, QStringList{u"start usb-headphones"_s});
    m_compare->setVolume(50);
    QVERIFY(near(levelAfter(50), heardLevel(0, 0, 50)));
    m_compare->setVolume(0);
    QCOMPARE(levelAfter(50), 0.0F);
    m_compare->setVolume(80);
    m_compare->setOutputDevice("speakers"); // moves the comparison there as it plays
    QCOMPARE(m_output->calls.constLast(), u"start speakers"_s);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
}

void TestComparePlayer::thePositionIsWhatIsHeard()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(1000);
    m_output->queued = Rate / 50; // 20 ms still in the device
    QTRY_COMPARE(m_compare->position(), qint64(980));
}

void TestComparePlayer::leaveStopsAndLetsGo()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(100);
    m_compare->leave();
    QVERIFY(!m_compare->isActive());
    QVERIFY(!m_compare->isReady());
    QCOMPARE(m_compare->state(), State::Stopped);
    // Faded out, not cut: the mix goes to silence over the ramp, then the output is let go.
    const std::vector<float> fade = m_output->render(20);
    QVERIFY(fade.front() > 0 && fade.front() < heardLevel(0));
    QCOMPARE(fade.back(), 0.0F);
    QTRY_COMPARE(m_output->calls, (QStringList{u"start "_s, u"stop"_s}));
    QVERIFY(!m_output->isRunning());
    // A new comparison uses the same output.
    RenderedMixOutput* output = m_output;
    startWith({std::nullopt, std::nullopt, std::nullopt});
    QCOMPARE(m_output, output);
    m_compare->switchTo(2);
    QVERIFY(near(levelAfter(50), heardLevel(2)));
}

void TestComparePlayer::comparingAgainRightAfterLeavingPlays()
{
    startWith({std::nullopt, std::nullopt});
    levelAfter(100);
    m_compare->leave();
    startWith({std::nullopt, std::nullopt}); // while the first one's fade-out is still being heard
    QTest::qWait(400);                       // past the moment the first would have let go of the output
    QVERIFY(m_output->isRunning());
    QCOMPARE(m_compare->state(), State::Playing);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
}

void TestComparePlayer::aComparisonLeftWhileDecodingIsNeverPlayed()
{
    QVERIFY(m_compare->start(takes({std::nullopt, std::nullopt, std::nullopt, std::nullopt})));
    // Another comparison before the first is decoded: only the second is heard.
    QList<ComparePlayer::Slot> second = takes({std::nullopt, std::nullopt});
    std::swap(second[0], second[1]);
    QVERIFY(m_compare->start(second));
    QTRY_VERIFY(m_compare->isReady());
    QTest::qWait(100); // the first decode has long finished
    QCOMPARE(m_compare->slotCount(), 2);
    QCOMPARE(m_output->calls.count(u"start "_s), 1);
    QVERIFY(near(levelAfter(50), heardLevel(1))); // slot 0 holds take 1 now
    m_compare->leave();
    QVERIFY(m_compare->start(takes({std::nullopt, std::nullopt})));
    m_compare->leave();
    QTRY_VERIFY(!m_output->isRunning()); // let go once the fade-out has been heard
    QTest::qWait(100);                   // the second decode has long finished
    QVERIFY(!m_compare->isReady());
    QVERIFY(!m_output->isRunning());
}

void TestComparePlayer::aShorterTakeFallsSilentUntilTheLongestEnds()
{
    QList<ComparePlayer::Slot> chosen = takes({std::nullopt, std::nullopt});
    chosen[0].audioPath = takeFile(0, 1000);
    QVERIFY(m_compare->start(chosen));
    QTRY_VERIFY(m_compare->isReady());
    QCOMPARE(m_compare->duration(), qint64(2000));
    QCOMPARE(levelAfter(1200), 0.0F); // the heard take ended at 1 s
    QCOMPARE(m_compare->state(), State::Playing);
    m_compare->switchTo(1);
    QVERIFY(near(levelAfter(50), heardLevel(1)));
    QSignalSpy positions(m_compare, &ComparePlayer::positionChanged);
    levelAfter(1000); // past the longest take's end
    QTRY_COMPARE(m_compare->state(), State::Stopped);
    QCOMPARE(m_compare->position(), qint64(0));
    QCOMPARE(positions.constLast().constFirst().toLongLong(), qint64(0));
    m_compare->play(); // plays again from the start
    QCOMPARE(m_compare->state(), State::Playing);
    levelAfter(100);
    QTRY_COMPARE(m_compare->position(), qint64(100));
}

void TestComparePlayer::takesOfOtherRatesAndChannelsPlayTogether()
{
    QList<ComparePlayer::Slot> chosen = takes({std::nullopt, std::nullopt});
    chosen[1].audioPath = takeFile(1, 2000, 11025, 2);
    QVERIFY(m_compare->start(chosen));
    QTRY_VERIFY(m_compare->isReady());
    QCOMPARE(m_compare->duration(), qint64(2000)); // the same length at the higher rate
    const std::vector<float> mono = m_output->render(100);
    QCOMPARE(mono.size(), size_t(11025 / 10 * 2)); // stereo at 11025 Hz; the mono take in both ears
    QVERIFY(near(mono[mono.size() - 2], heardLevel(0)) && near(mono.back(), heardLevel(0)));
    m_compare->switchTo(1);
    QVERIFY(near(levelAfter(100), heardLevel(1)));
}

void TestComparePlayer::aTakeThatCannotBeReadSaysWhatToDo()
{
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    QList<ComparePlayer::Slot> chosen = takes({std::nullopt, std::nullopt, std::nullopt});
    chosen[1].audioPath = m_dir->filePath(u"gone.wav"_s);
    QFile notAudio(chosen[2].audioPath);
    QVERIFY(notAudio.open(QIODevice::WriteOnly) && notAudio.write("not audio at all") > 0);
    notAudio.close();
    QVERIFY(m_compare->start(chosen));
    QTRY_VERIFY(m_compare->isReady());
    QCOMPARE(failed.size(), 2);
    QVERIFY2(failed.at(0).constFirst().toString().startsWith(u"Take 2 cannot be played"_s),
             qPrintable(failed.at(0).constFirst().toString()));
    QVERIFY(failed.at(0).constFirst().toString().contains(u"play that take on its own"_s));
    QVERIFY(failed.at(1).constFirst().toString().startsWith(u"Take 3 cannot be played"_s));
    // The take that can be played plays; the others are silence.
    QCOMPARE(m_compare->state(), State::Playing);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
    m_compare->switchTo(1);
    QCOMPARE(levelAfter(50), 0.0F);

    // None playable: said take by take, and nothing plays.
    m_compare->leave();
    failed.clear();
    QVERIFY(m_compare->start({chosen[1], chosen[2]}));
    QTRY_COMPARE(failed.size(), 2);
    QTest::qWait(50);
    QVERIFY(!m_compare->isReady());
    QCOMPARE(m_compare->state(), State::Stopped);
}

void TestComparePlayer::anOutputThatFailsSaysWhatToDo()
{
    startWith({std::nullopt, std::nullopt});
    m_compare->leave();
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    m_output->failWith = u"No sound output was found. Connect speakers or headphones."_s;
    QVERIFY(m_compare->start(takes({std::nullopt, std::nullopt})));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.constFirst().constFirst().toString(), m_output->failWith);
    QCOMPARE(m_compare->state(), State::Paused);
    // Playing again opens the output again: the device may be back.
    m_output->failWith.clear();
    m_output->calls.clear();
    m_compare->play();
    QCOMPARE(m_output->calls, QStringList{u"start "_s});
    QCOMPARE(m_compare->state(), State::Playing);
    QVERIFY(near(levelAfter(50), heardLevel(0)));
    // An output that stops by itself while playing: paused, said, and opened again by the next switch.
    emit m_output->failed(u"Null Output stopped playing the comparison."_s);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(m_compare->state(), State::Paused);
    m_compare->switchTo(1);
    QCOMPARE(m_output->calls, (QStringList{u"start "_s, u"start "_s}));
    QCOMPARE(m_compare->state(), State::Playing);
}

QTEST_GUILESS_MAIN(TestComparePlayer)
#include "tst_ComparePlayer.moc"
