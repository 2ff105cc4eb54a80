#include "playback/CompareMixer.h"

#include <QTest>

#include <algorithm>
#include <cmath>

namespace {

constexpr int Rate = 1000; // a frame a millisecond: the ramps are 5 frames long
constexpr int Ramp = CompareMixer::RampMs * Rate / 1000;

/// A mono take of `frames` frames at a constant `level`: what a frame of the mix holds shows which take it is.
std::vector<float> level(float value, qint64 frames)
{
    return std::vector<float>(size_t(frames), value);
}

std::vector<float> render(CompareMixer& mixer, qint64 frames)
{
    std::vector<float> out(size_t(frames * mixer.channels()), -9.0F);
    mixer.render(out.data(), frames);
    return out;
}

bool near(float a, float b)
{
    return std::abs(a - b) < 1e-4F;
}

} // namespace

class TestCompareMixer final : public QObject
{
    Q_OBJECT

private slots:
    void silentUntilPlayed();
    void playsTheHeardTakeAtItsGain();
    void aSwitchCrossfadesWithNoGapAndKeepsThePosition();
    void pauseFadesOutAndHoldsThePosition();
    void aSeekFadesOutMovesAndFadesIn();
    void aSeekWhilePausedMovesAtOnce();
    void aShorterTakeFallsSilentAndTheLongestEndsTheMix();
    void playingAfterTheEndStartsAgain();
    void stereoFramesAreMixedChannelByChannel();
    void clearedRendersSilence();
};

void TestCompareMixer::silentUntilPlayed()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 100), level(0.25F, 100)});
    mixer.setGains({1.0F, 0.0F});
    const auto out = render(mixer, 20);
    QVERIFY(std::all_of(out.begin(), out.end(), [](float s) { return s == 0; }));
    QCOMPARE(mixer.position(), qint64(0));
    QVERIFY(!mixer.isPlaying());
}

void TestCompareMixer::playsTheHeardTakeAtItsGain()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 100), level(0.25F, 100)});
    mixer.setGains({0.5F, 0.0F});
    mixer.setPlaying(true);
    const auto out = render(mixer, 20);
    // Fades in over the ramp, then holds at 0.5 × 0.5; the other take is not heard at all.
    QVERIFY(out[0] > 0 && out[0] < 0.25F);
    for (int i = 1; i < Ramp; ++i)
        QVERIFY(out[size_t(i)] >= out[size_t(i - 1)]);
    for (size_t i = Ramp; i < out.size(); ++i)
        QVERIFY2(near(out[i], 0.25F), qPrintable(QString::number(out[i])));
    QCOMPARE(mixer.position(), qint64(20));
}

void TestCompareMixer::aSwitchCrossfadesWithNoGapAndKeepsThePosition()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 100), level(0.25F, 100)});
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    render(mixer, 30);
    mixer.setGains({0.0F, 1.0F});
    QCOMPARE(mixer.position(), qint64(30)); // the switch moves nothing
    const auto out = render(mixer, 20);
    QCOMPARE(mixer.position(), qint64(50));
    // From one level to the other in RampMs, never below the quieter one: no gap, no dip, no jump.
    for (size_t i = 0; i < Ramp; ++i)
        QVERIFY2(out[i] >= 0.25F - 1e-4F && out[i] <= 0.5F + 1e-4F, qPrintable(QString::number(out[i])));
    QVERIFY(out[0] > 0.25F + 0.01F);
    for (size_t i = Ramp; i < out.size(); ++i)
        QVERIFY(near(out[i], 0.25F));
}

void TestCompareMixer::pauseFadesOutAndHoldsThePosition()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 100), level(0.25F, 100)});
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    render(mixer, 30);
    mixer.setPlaying(false);
    const auto out = render(mixer, 20);
    QVERIFY(out[0] > 0.3F);            // still fading
    QCOMPARE(out[size_t(Ramp)], 0.0F); // then silent
    QCOMPARE(out.back(), 0.0F);
    const qint64 held = mixer.position(); // the fade's few frames played, no more
    QVERIFY(held >= 30 && held <= 30 + Ramp);
    render(mixer, 50);
    QCOMPARE(mixer.position(), held);
    // Switching while paused changes the level before any sound: it fades in as the other take.
    mixer.setGains({0.0F, 1.0F});
    mixer.setPlaying(true);
    const auto resumed = render(mixer, 20);
    QVERIFY(resumed[0] > 0 && resumed[0] < 0.25F);
    QVERIFY(near(resumed.back(), 0.25F));
    QCOMPARE(mixer.position(), held + 20);
}

void TestCompareMixer::aSeekFadesOutMovesAndFadesIn()
{
    CompareMixer mixer;
    // A take whose level is its position, so the mix shows where it plays from.
    std::vector<float> ramp(1000);
    for (size_t i = 0; i < ramp.size(); ++i)
        ramp[i] = float(i) / 1000.0F;
    mixer.load(Rate, 1, {ramp, level(0.1F, 1000)});
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    render(mixer, 100);
    mixer.seek(600);
    QCOMPARE(mixer.position(), qint64(600)); // counted as made at once
    const auto out = render(mixer, 30);
    // Fades out from where it was (level 0.1), moves once silent, and fades in from 0.6 …
    QVERIFY(out[0] < 0.1F);
    QCOMPARE(out[size_t(Ramp - 1)], 0.0F);
    QVERIFY(out[size_t(Ramp)] > 0 && out[size_t(Ramp)] < 0.6F * 0.5F);
    // … to play on from there: the frames after the fade-out are those from 600 on.
    QCOMPARE(mixer.position(), qint64(600 + 30 - Ramp));
    QVERIFY(near(out.back(), float(600 + 30 - Ramp - 1) / 1000.0F));
}

void TestCompareMixer::aSeekWhilePausedMovesAtOnce()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 1000), level(0.25F, 1000)});
    mixer.seek(700);
    QCOMPARE(mixer.position(), qint64(700));
    mixer.seek(5000);
    QCOMPARE(mixer.position(), qint64(1000)); // no further than the longest take
}

void TestCompareMixer::aShorterTakeFallsSilentAndTheLongestEndsTheMix()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 40), level(0.25F, 100)});
    QCOMPARE(mixer.frames(), qint64(100));
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    const auto out = render(mixer, 60);
    QVERIFY(near(out[39], 0.5F));
    QCOMPARE(out[40], 0.0F); // the heard take has ended; the longer one plays on, unheard
    QCOMPARE(mixer.position(), qint64(60));
    QVERIFY(!mixer.reachedEnd());
    mixer.setGains({0.0F, 1.0F});
    const auto rest = render(mixer, 60);
    QVERIFY(near(rest[30], 0.25F));
    QVERIFY(mixer.reachedEnd());
    QVERIFY(!mixer.isPlaying());
    QCOMPARE(mixer.position(), qint64(100));
    QCOMPARE(rest[40], 0.0F); // past the end: silence
}

void TestCompareMixer::playingAfterTheEndStartsAgain()
{
    CompareMixer mixer;
    mixer.load(Rate, 1, {level(0.5F, 50), level(0.25F, 50)});
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    render(mixer, 80);
    QVERIFY(mixer.reachedEnd());
    mixer.setPlaying(true);
    QVERIFY(!mixer.reachedEnd());
    QCOMPARE(mixer.position(), qint64(0));
    QVERIFY(near(render(mixer, 20).back(), 0.5F));
}

void TestCompareMixer::stereoFramesAreMixedChannelByChannel()
{
    CompareMixer mixer;
    mixer.load(Rate, 2, {{0.5F, -0.5F, 0.5F, -0.5F}, {0.1F, 0.2F}});
    mixer.setGains({1.0F, 1.0F});
    mixer.setPlaying(true);
    std::vector<float> out(6, -9.0F);
    mixer.render(out.data(), 3);
    // Fading in: both channels of each frame at the same fraction of the two takes summed.
    QVERIFY(out[0] > 0 && out[1] < 0);
    QVERIFY(near(out[0] / 0.6F, -out[1] / 0.3F));
    QCOMPARE(mixer.position(), qint64(2)); // ends with the longer take, 2 frames
    QCOMPARE(out[4], 0.0F);
}

void TestCompareMixer::clearedRendersSilence()
{
    CompareMixer mixer;
    mixer.load(Rate, 2, {level(0.5F, 200), level(0.25F, 200)});
    mixer.setGains({1.0F, 0.0F});
    mixer.setPlaying(true);
    render(mixer, 20);
    mixer.clear();
    QCOMPARE(mixer.channels(), 2); // an output still running renders silence in its format
    const auto out = render(mixer, 20);
    QVERIFY(std::all_of(out.begin(), out.end(), [](float s) { return s == 0; }));
    QCOMPARE(mixer.frames(), qint64(0));
}

QTEST_GUILESS_MAIN(TestCompareMixer)
#include "tst_CompareMixer.moc"
