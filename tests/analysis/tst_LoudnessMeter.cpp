// Loudness and true peak against a known tone and against ffmpeg's ebur128 filter, an implementation independent of
// libebur128 (skipped when ffmpeg is not on PATH).
#include "FfmpegMeter.h"
#include "LabelledMaterial.h"
#include "analysis/Analyser.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(material::Clip)

namespace {

analysis::Loudness loudnessOf(const material::Clip& clip)
{
    return analysis::measureLoudness(clip.samples.data(), clip.frames(), clip.channels, clip.sampleRate);
}

/// A 997 Hz sine (the frequency BS.1770 calibrates with) of `amplitude` for `seconds`, in one channel.
material::Clip sine(double amplitude, double seconds, int sampleRate = 48000)
{
    material::Clip clip;
    clip.name = "997 Hz sine";
    clip.sampleRate = sampleRate;
    clip.samples.resize(std::size_t(seconds * sampleRate));
    for (std::size_t i = 0; i < clip.samples.size(); ++i)
        clip.samples[i] = float(amplitude * std::sin(2 * M_PI * 997 * double(i) / sampleRate));
    return clip;
}

material::Clip scaled(material::Clip clip, float gain)
{
    for (float& sample : clip.samples)
        sample *= gain;
    clip.name += " at " + std::to_string(int(std::lround(20 * std::log10(gain)))) + " dB";
    return clip;
}

} // namespace

class TestLoudnessMeter final : public QObject
{
    Q_OBJECT

private slots:
    void knownTone();
    void monoIsOneChannelNotDualMono();
    void matchesFfmpeg_data();
    void matchesFfmpeg();
    void silenceAndShortAudioHaveNoLoudness();
    void damagedSamplesAreSilence();
};

void TestLoudnessMeter::knownTone()
{
    // BS.1770: a full-scale 997 Hz sine in one channel reads -3.01 LUFS; at half scale, 6.02 dB less. Its true peak
    // is its amplitude.
    const analysis::Loudness half = loudnessOf(sine(0.5, 5));
    QVERIFY(half.valid);
    QVERIFY2(std::abs(half.integratedLufs - (-3.01 - 6.02)) < 0.05, qPrintable(QString::number(half.integratedLufs)));
    QVERIFY2(std::abs(half.truePeakDbtp - (-6.02)) < 0.05, qPrintable(QString::number(half.truePeakDbtp)));
    const analysis::Loudness quiet = loudnessOf(sine(0.01, 5, 32000));
    QVERIFY2(std::abs(quiet.integratedLufs - (-3.01 - 40)) < 0.05, qPrintable(QString::number(quiet.integratedLufs)));
}

void TestLoudnessMeter::monoIsOneChannelNotDualMono()
{
    // The same signal in both channels of a stereo file is twice the power of the mono file: 3.01 LU louder.
    const material::Clip mono = material::chords(9, true, material::Progression::Cadence, 6);
    material::Clip stereo = mono;
    stereo.channels = 2;
    stereo.samples.clear();
    for (const float sample : mono.samples)
        stereo.samples.insert(stereo.samples.end(), {sample, sample});
    const analysis::Loudness one = loudnessOf(mono);
    const analysis::Loudness two = loudnessOf(stereo);
    QVERIFY(one.valid && two.valid);
    QVERIFY2(std::abs(two.integratedLufs - one.integratedLufs - 3.01) < 0.01,
             qPrintable(u"%1 and %2"_s.arg(one.integratedLufs).arg(two.integratedLufs)));
    QCOMPARE(two.truePeakDbtp, one.truePeakDbtp);
}

void TestLoudnessMeter::matchesFfmpeg_data()
{
    QTest::addColumn<material::Clip>("clip");
    const material::Clip lofi = material::sketch("lo-fi hip hop with a soothing piano", 12, 1);
    QTest::newRow("sketch take, mono 32 kHz") << lofi;
    QTest::newRow("sketch take, stereo 48 kHz") << material::stereoAt(lofi, 48000);
    QTest::newRow("quiet sketch take") << scaled(material::sketch("calm ambient with bells", 8, 2), 0.05F);
    const material::Clip drums = material::drums(material::Groove::Rock, 100, 0, 8);
    QTest::newRow("drums over full scale, mono 32 kHz") << drums;
    QTest::newRow("drums, stereo 44.1 kHz") << material::stereoAt(drums, 44100);
    QTest::newRow("chords, mono 32 kHz") << material::chords(2, true, material::Progression::PopLoop, 10);
    QTest::newRow("short sketch take") << material::sketch("synthwave", 2, 5);
}

void TestLoudnessMeter::matchesFfmpeg()
{
    if (QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty())
        QSKIP("ffmpeg is not on PATH: its ebur128 filter is the meter this compares with");
    QFETCH(material::Clip, clip);
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const std::string path = folder.filePath(u"clip.wav"_s).toStdString();
    QVERIFY(material::writeFloatWav(clip, path));
    std::string why;
    const auto theirs = ffmpeg::measure(path, &why);
    QVERIFY2(theirs, why.c_str());
    const analysis::Loudness ours = loudnessOf(clip);
    QVERIFY(ours.valid);
    const QString figures = u"%1 LUFS against ffmpeg's %2; %3 dBTP against %4"_s.arg(ours.integratedLufs, 0, 'f', 3)
                                .arg(theirs->integrated, 0, 'f', 3)
                                .arg(ours.truePeakDbtp, 0, 'f', 2)
                                .arg(theirs->truePeak, 0, 'f', 1);
    qInfo("%s", qPrintable(figures));
    QVERIFY2(std::abs(ours.integratedLufs - theirs->integrated) <= 0.05, qPrintable(figures));
    // ffmpeg resamples to 48 kHz before it oversamples, and prints the peak to a tenth of a dB.
    QVERIFY2(std::abs(ours.truePeakDbtp - theirs->truePeak) <= 0.25, qPrintable(figures));
}

void TestLoudnessMeter::silenceAndShortAudioHaveNoLoudness()
{
    const std::vector<float> silence(48000 * 3, 0.0F);
    QVERIFY(!analysis::measureLoudness(silence.data(), silence.size(), 1, 48000).valid);
    QVERIFY(!analysis::measureLoudness(silence.data(), 0, 1, 48000).valid);
    QVERIFY(!analysis::measureLoudness(silence.data(), silence.size(), 0, 48000).valid);
    // The first gating block is 400 ms long.
    QVERIFY(!loudnessOf(sine(0.5, 0.3)).valid);
    QVERIFY(loudnessOf(sine(0.5, 0.5)).valid);
}

void TestLoudnessMeter::damagedSamplesAreSilence()
{
    material::Clip clip = sine(0.5, 5);
    const analysis::Loudness clean = loudnessOf(clip);
    for (std::size_t i = 1000; i < clip.samples.size(); i += 4801)
        clip.samples[i] = std::numeric_limits<float>::quiet_NaN();
    clip.samples[50] = std::numeric_limits<float>::infinity();
    const analysis::Loudness damaged = loudnessOf(clip);
    QVERIFY(damaged.valid);
    QVERIFY(std::isfinite(damaged.integratedLufs) && std::isfinite(damaged.truePeakDbtp));
    QVERIFY2(std::abs(damaged.integratedLufs - clean.integratedLufs) < 0.1,
             qPrintable(QString::number(damaged.integratedLufs)));
}

QTEST_GUILESS_MAIN(TestLoudnessMeter)
#include "tst_LoudnessMeter.moc"
