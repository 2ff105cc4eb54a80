// The whole analysis: analyse() agrees with its parts, gives the same answer every time, reads stereo and other
// rates as it reads mono, and answers nonsense with reasons instead of numbers.
#include "LabelledMaterial.h"
#include "analysis/Analyser.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

analysis::Result analyseClip(const material::Clip& clip)
{
    return analysis::analyse(clip.samples.data(), clip.frames(), clip.channels, clip.sampleRate, clip.prior);
}

void compareResults(const analysis::Result& a, const analysis::Result& b)
{
    QCOMPARE(a.tempo.bpm, b.tempo.bpm);
    QCOMPARE(a.tempo.confidence, b.tempo.confidence);
    QCOMPARE(a.tempo.beatPeriodSeconds, b.tempo.beatPeriodSeconds);
    QCOMPARE(a.tempo.firstDownbeatSeconds, b.tempo.firstDownbeatSeconds);
    QCOMPARE(a.tempo.reason, b.tempo.reason);
    QCOMPARE(a.key.root, b.key.root);
    QCOMPARE(a.key.minor, b.key.minor);
    QCOMPARE(a.key.confidence, b.key.confidence);
    QCOMPARE(a.key.reason, b.key.reason);
    QCOMPARE(a.loudness.valid, b.loudness.valid);
    QCOMPARE(a.loudness.integratedLufs, b.loudness.integratedLufs);
    QCOMPARE(a.loudness.truePeakDbtp, b.loudness.truePeakDbtp);
}

/// Every value within its documented range, and a reason wherever there is no answer.
void checkRanges(const analysis::Result& result)
{
    const analysis::Tempo& tempo = result.tempo;
    QVERIFY(std::isfinite(tempo.bpm) && (tempo.bpm == 0 || (tempo.bpm >= 40 && tempo.bpm <= 240)));
    QVERIFY(tempo.confidence >= 0 && tempo.confidence <= 1);
    QCOMPARE(tempo.bpm == 0, !tempo.reason.empty());
    if (tempo.bpm > 0) {
        QVERIFY(std::abs(tempo.beatPeriodSeconds - 60 / tempo.bpm) < 1e-9);
        QVERIFY(tempo.firstDownbeatSeconds >= 0 && tempo.firstDownbeatSeconds < 4 * tempo.beatPeriodSeconds);
    }
    const analysis::Key& key = result.key;
    QVERIFY(key.root >= -1 && key.root <= 11);
    QVERIFY(key.confidence >= 0 && key.confidence <= 1);
    QCOMPARE(key.root < 0, !key.reason.empty());
    if (result.loudness.valid)
        QVERIFY(std::isfinite(result.loudness.integratedLufs) && std::isfinite(result.loudness.truePeakDbtp));
}

} // namespace

class TestAnalyser final : public QObject
{
    Q_OBJECT

private slots:
    void analyseIsItsParts();
    void sameInputSameAnswer();
    void stereoAndOtherRatesReadLikeMono();
    void sketchEngineTakesAsTheEngineMadeThem();
    void nonsenseGetsReasonsNotNumbers();
};

void TestAnalyser::analyseIsItsParts()
{
    const material::Clip clip = material::sketch("funky groove with bass in E minor", 10, 4);
    const analysis::Result whole = analyseClip(clip);
    analysis::Result parts;
    parts.tempo = analysis::detectTempo(clip.samples.data(), clip.frames(), clip.sampleRate, clip.prior);
    parts.key = analysis::detectKey(clip.samples.data(), clip.frames(), clip.sampleRate, clip.prior);
    parts.loudness = analysis::measureLoudness(clip.samples.data(), clip.frames(), 1, clip.sampleRate);
    compareResults(whole, parts);
    checkRanges(whole);
}

void TestAnalyser::sameInputSameAnswer()
{
    const material::Clip clip = material::stereoAt(material::sketch("energetic rock", 8, 1), 44100);
    const analysis::Result first = analyseClip(clip);
    const analysis::Result second = analyseClip(clip);
    compareResults(first, second);
}

void TestAnalyser::stereoAndOtherRatesReadLikeMono()
{
    const material::Clip drums = material::drums(material::Groove::BoomBap, 93, 0.2, 10);
    const material::Clip chords = material::chords(10, true, material::Progression::Cadence, 12);
    for (const int rate : {16000, 22050, 44100, 48000, 96000}) {
        const analysis::Result beat = analyseClip(material::stereoAt(drums, rate));
        QVERIFY2(std::abs(beat.tempo.bpm - 93) <= 1, qPrintable(u"%1 Hz: %2 BPM"_s.arg(rate).arg(beat.tempo.bpm)));
        const analysis::Result harmony = analyseClip(material::stereoAt(chords, rate));
        QVERIFY2(harmony.key.root == 10 && harmony.key.minor,
                 qPrintable(u"%1 Hz: root %2 minor %3"_s.arg(rate).arg(harmony.key.root).arg(harmony.key.minor)));
        checkRanges(beat);
        checkRanges(harmony);
    }
}

void TestAnalyser::sketchEngineTakesAsTheEngineMadeThem()
{
    // Various prompts, seeds and lengths: tempo (where drums keep time) and key as the engine planned them, most of
    // the time; every answer within range.
    const char* prompts[] = {"lo-fi hip hop with a soothing piano",
                             "techno at 128 bpm",
                             "sad piano in A minor",
                             "deep house",
                             "energetic rock",
                             "folk with acoustic guitar",
                             "synthwave",
                             "happy pop song in G major"};
    int tempoRight = 0;
    int tempoTotal = 0;
    int keyRight = 0;
    int keyTotal = 0;
    QStringList misses;
    std::uint32_t seed = 10;
    for (const char* prompt : prompts) {
        for (const int seconds : {6, 15}) {
            const material::Clip clip = material::sketch(prompt, seconds, ++seed);
            const analysis::Result result = analyseClip(clip);
            checkRanges(result);
            if (clip.drums) {
                ++tempoTotal;
                if (std::abs(result.tempo.bpm - clip.bpm) <= 1)
                    ++tempoRight;
                else
                    misses << u"%1: %2 BPM"_s.arg(QString::fromStdString(clip.name)).arg(result.tempo.bpm);
            }
            ++keyTotal;
            if (result.key.root == clip.keyRoot && result.key.minor == clip.minor)
                ++keyRight;
            else
                misses << u"%1: key %2%3"_s.arg(QString::fromStdString(clip.name))
                              .arg(result.key.root)
                              .arg(result.key.minor ? u"m"_s : QString());
        }
    }
    qInfo("tempo %d of %d, key %d of %d; misses:\n%s", tempoRight, tempoTotal, keyRight, keyTotal,
          qPrintable(misses.join(u'\n')));
    QVERIFY2(tempoRight * 10 >= tempoTotal * 9, qPrintable(misses.join(u'\n')));
    QVERIFY2(keyRight * 10 >= keyTotal * 8, qPrintable(misses.join(u'\n')));
}

void TestAnalyser::nonsenseGetsReasonsNotNumbers()
{
    const float nothing = 0;
    analysis::Result result = analysis::analyse(&nothing, 0, 1, 32000);
    QCOMPARE(result.tempo.reason, std::string("not enough audio"));
    QCOMPARE(result.key.reason, std::string("not enough audio"));
    QVERIFY(!result.loudness.valid);
    result = analysis::analyse(nullptr, 1000, 2, 48000);
    checkRanges(result);
    QVERIFY(!result.loudness.valid);
    result = analysis::analyse(&nothing, 1, 0, 48000);
    checkRanges(result);
    result = analysis::analyse(&nothing, 1, 1, 0);
    checkRanges(result);

    // Not numbers, infinities and samples far past full scale, mixed into a take: still answers, in range.
    material::Clip clip = material::sketch("deep house", 8, 3);
    for (std::size_t i = 0; i < clip.samples.size(); i += 997)
        clip.samples[i] = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t i = 500; i < clip.samples.size(); i += 10007)
        clip.samples[i] = i % 2 ? std::numeric_limits<float>::infinity() : -1e30F;
    result = analyseClip(clip);
    checkRanges(result);

    std::vector<float> allNaN(32000 * 4, std::numeric_limits<float>::quiet_NaN());
    result = analysis::analyse(allNaN.data(), allNaN.size(), 1, 32000);
    checkRanges(result);
    QCOMPARE(result.tempo.reason, std::string("silent"));
    QCOMPARE(result.key.reason, std::string("silent"));
    QVERIFY(!result.loudness.valid);
}

QTEST_GUILESS_MAIN(TestAnalyser)
#include "tst_Analyser.moc"
