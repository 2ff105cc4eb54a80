// Tempo and downbeat on material whose answer is known: synthesised drum patterns (straight and swung) and
// sketch-engine takes, whose plan is the truth and whose first bar starts on the first sample.
#include "LabelledMaterial.h"
#include "analysis/Analyser.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(material::Groove)

namespace {

analysis::Tempo tempoOf(const material::Clip& clip, double priorBpm = 0, double usualBpm = 0)
{
    return analysis::detectTempo(clip.samples.data(), clip.frames(), clip.sampleRate,
                                 {.bpm = priorBpm, .usualBpm = usualBpm});
}

QString describe(const material::Clip& clip, const analysis::Tempo& tempo)
{
    return u"%1: found %2 BPM (%3), confidence %4, downbeat %5 s"_s.arg(QString::fromStdString(clip.name))
        .arg(tempo.bpm, 0, 'f', 2)
        .arg(QString::fromStdString(tempo.reason))
        .arg(tempo.confidence, 0, 'f', 2)
        .arg(tempo.firstDownbeatSeconds, 0, 'f', 3);
}

/// How far `found` is from `truth` on a circle one bar of `beatSeconds` * 4 round.
double barDistance(double found, double truth, double beatSeconds)
{
    const double bar = 4 * beatSeconds;
    const double off = std::fmod(std::abs(found - truth), bar);
    return std::min(off, bar - off);
}

} // namespace

class TestTempoDetector final : public QObject
{
    Q_OBJECT

private slots:
    void drumPatternsAtKnownTempi_data();
    void drumPatternsAtKnownTempi();
    void mostOfSixtyToOneEightyIsRight();
    void longClipsArePreciseToATenth();
    void downbeatOfDrumsThatStartLate_data();
    void downbeatOfDrumsThatStartLate();
    void sketchEngineTakes_data();
    void sketchEngineTakes();
    void sketchEngineTakesStartOnADownbeat();
    void promptTempoSettlesTheOctave();
    void promptTempoNeverForcesAnAnswer();
    void promptGenreSettlesTheOctave();
    void shortClips_data();
    void shortClips();
    void noPulseIsSaidSo();
};

void TestTempoDetector::drumPatternsAtKnownTempi_data()
{
    QTest::addColumn<material::Groove>("groove");
    QTest::addColumn<double>("bpm");
    QTest::addColumn<double>("swing");
    for (const material::Groove groove : material::Grooves) {
        for (const double bpm : {72.0, 96.0, 118.5, 140.0}) {
            const bool shuffle = groove == material::Groove::Shuffle;
            for (const double swing : shuffle ? std::vector<double>{0.33} : std::vector<double>{0.0, 0.2}) {
                QTest::addRow("%s %.1f bpm swing %d%%", material::grooveName(groove), bpm, int(swing * 100))
                    << groove << bpm << swing;
            }
        }
    }
}

void TestTempoDetector::drumPatternsAtKnownTempi()
{
    QFETCH(material::Groove, groove);
    QFETCH(double, bpm);
    QFETCH(double, swing);
    const material::Clip clip = material::drums(groove, bpm, swing, 10);
    const analysis::Tempo tempo = tempoOf(clip);
    QVERIFY2(std::abs(tempo.bpm - bpm) <= 1, qPrintable(describe(clip, tempo)));
    QVERIFY(tempo.reason.empty());
    QVERIFY2(tempo.confidence > 0.2 && tempo.confidence <= 1, qPrintable(describe(clip, tempo)));
    QCOMPARE(tempo.beatPeriodSeconds, 60 / tempo.bpm);
}

void TestTempoDetector::mostOfSixtyToOneEightyIsRight()
{
    // Every groove every 10 BPM from 60 to 180, 8 s each: the octave is the hard part at both ends, so allow some
    // misses, but only octave errors (twice or half the tempo), never some other tempo.
    int right = 0;
    int total = 0;
    QStringList misses;
    for (const material::Groove groove : material::Grooves) {
        for (double bpm = 60; bpm <= 180; bpm += 10) {
            const material::Clip clip =
                material::drums(groove, bpm, groove == material::Groove::Shuffle ? 0.33 : 0.0, 8);
            const analysis::Tempo tempo = tempoOf(clip);
            ++total;
            if (std::abs(tempo.bpm - bpm) <= 1) {
                ++right;
                continue;
            }
            misses << describe(clip, tempo);
            const double ratio = tempo.bpm / bpm;
            QVERIFY2(std::abs(ratio - 2) < 0.02 || std::abs(ratio - 0.5) < 0.01, qPrintable(describe(clip, tempo)));
        }
    }
    qInfo("%d of %d within 1 BPM; misses:\n%s", right, total, qPrintable(misses.join(u'\n')));
    QVERIFY2(right >= total * 9 / 10, qPrintable(u"%1 of %2"_s.arg(right).arg(total)));
}

void TestTempoDetector::longClipsArePreciseToATenth()
{
    // The beat period is fitted over the whole clip, so a tempo between whole numbers reads as itself.
    for (const auto& [groove, bpm, swing] :
         {std::tuple{material::Groove::Rock, 123.4, 0.0}, std::tuple{material::Groove::Shuffle, 97.3, 0.33},
          std::tuple{material::Groove::BoomBap, 86.7, 0.2}}) {
        const material::Clip clip = material::drums(groove, bpm, swing, 30);
        const analysis::Tempo tempo = tempoOf(clip);
        QVERIFY2(std::abs(tempo.bpm - bpm) <= 0.1, qPrintable(describe(clip, tempo)));
    }
}

void TestTempoDetector::downbeatOfDrumsThatStartLate_data()
{
    QTest::addColumn<material::Groove>("groove");
    QTest::addColumn<double>("bpm");
    QTest::addColumn<double>("offset");
    QTest::newRow("rock 100, 0.3 s in") << material::Groove::Rock << 100.0 << 0.3;
    QTest::newRow("rock 132, 1.1 s in") << material::Groove::Rock << 132.0 << 1.1;
    QTest::newRow("four on the floor 124, 0.2 s in") << material::Groove::FourOnFloor << 124.0 << 0.2;
    QTest::newRow("boom-bap 90, 0.75 s in") << material::Groove::BoomBap << 90.0 << 0.75;
    QTest::newRow("shuffle 110, 0.5 s in") << material::Groove::Shuffle << 110.0 << 0.5;
}

void TestTempoDetector::downbeatOfDrumsThatStartLate()
{
    QFETCH(material::Groove, groove);
    QFETCH(double, bpm);
    QFETCH(double, offset);
    const material::Clip clip =
        material::drums(groove, bpm, groove == material::Groove::Shuffle ? 0.33 : 0.0, 12, 32000, offset);
    const analysis::Tempo tempo = tempoOf(clip);
    QVERIFY2(std::abs(tempo.bpm - bpm) <= 1, qPrintable(describe(clip, tempo)));
    QVERIFY2(tempo.firstDownbeatSeconds >= 0 && tempo.firstDownbeatSeconds < 4 * tempo.beatPeriodSeconds,
             qPrintable(describe(clip, tempo)));
    QVERIFY2(barDistance(tempo.firstDownbeatSeconds, offset, tempo.beatPeriodSeconds) <= 0.05,
             qPrintable(describe(clip, tempo)));
}

void TestTempoDetector::sketchEngineTakes_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<uint>("seed");
    QTest::newRow("techno at 128 bpm") << QByteArray("techno at 128 bpm") << 3U;
    QTest::newRow("lo-fi") << QByteArray("lo-fi hip hop with a soothing piano") << 3U;
    QTest::newRow("deep house") << QByteArray("deep house") << 2U;
    QTest::newRow("energetic rock") << QByteArray("energetic rock") << 1U;
    QTest::newRow("funk") << QByteArray("funky groove with bass") << 2U;
    QTest::newRow("hip hop at 90") << QByteArray("hip hop beat 90 bpm") << 1U;
    QTest::newRow("synthwave") << QByteArray("synthwave") << 3U;
    QTest::newRow("jazz") << QByteArray("jazz trio with brass") << 1U;
}

void TestTempoDetector::sketchEngineTakes()
{
    QFETCH(QByteArray, prompt);
    QFETCH(uint, seed);
    const material::Clip clip = material::sketch(prompt.toStdString(), 12, seed);
    QVERIFY(clip.drums);
    const analysis::Tempo tempo = tempoOf(clip, clip.prior.bpm);
    QVERIFY2(std::abs(tempo.bpm - clip.bpm) <= 1, qPrintable(describe(clip, tempo)));
}

void TestTempoDetector::sketchEngineTakesStartOnADownbeat()
{
    // The engine starts its first bar on the first sample. The downbeat is found from where the chords change,
    // where the kick is strongest and where the music starts; most takes must agree with the engine.
    const char* prompts[] = {"lo-fi hip hop with a soothing piano",
                             "energetic rock",
                             "synthwave",
                             "deep house",
                             "funky groove with bass",
                             "happy pop song in G major",
                             "reggae",
                             "folk with acoustic guitar"};
    int right = 0;
    int total = 0;
    QStringList report;
    for (const char* prompt : prompts) {
        const material::Clip clip = material::sketch(prompt, 10, 2);
        const analysis::Tempo tempo = tempoOf(clip, clip.prior.bpm);
        if (std::abs(tempo.bpm - clip.bpm) > 1)
            continue; // a wrong tempo has no meaningful downbeat; the tempo tests above count those
        ++total;
        const bool onTime = barDistance(tempo.firstDownbeatSeconds, 0, tempo.beatPeriodSeconds) <= 0.05;
        right += onTime;
        report << (onTime ? u"  right: "_s : u"  wrong: "_s) + describe(clip, tempo);
    }
    qInfo("%d of %d downbeats within 50 ms:\n%s", right, total, qPrintable(report.join(u'\n')));
    QVERIFY2(total >= 6, qPrintable(report.join(u'\n')));
    QVERIFY2(right * 4 >= total * 3, qPrintable(report.join(u'\n')));
}

void TestTempoDetector::promptTempoSettlesTheOctave()
{
    // Rock at 180: half as fast is as good a reading of the same drums. The prompt's tempo decides.
    const material::Clip clip = material::drums(material::Groove::Rock, 180, 0, 20);
    const analysis::Tempo alone = tempoOf(clip);
    QVERIFY2(std::abs(alone.bpm - 180) <= 1 || std::abs(alone.bpm - 90) <= 1, qPrintable(describe(clip, alone)));
    const analysis::Tempo fast = tempoOf(clip, 180);
    QVERIFY2(std::abs(fast.bpm - 180) <= 1, qPrintable(describe(clip, fast)));
    const analysis::Tempo slow = tempoOf(clip, 90);
    QVERIFY2(std::abs(slow.bpm - 90) <= 1, qPrintable(describe(clip, slow)));
}

void TestTempoDetector::promptGenreSettlesTheOctave()
{
    // A genre with a usual tempo centres the octave preference on it; a prompt without one leaves 120.
    const analysis::Prior dnb = analysis::priorFromPrompt("drum and bass with a heavy bassline");
    QVERIFY2(dnb.usualBpm >= 165 && dnb.usualBpm <= 180, qPrintable(QString::number(dnb.usualBpm)));
    QCOMPARE(dnb.bpm, 0.0);
    QCOMPARE(analysis::priorFromPrompt("something nice").usualBpm, 0.0);
    const analysis::Prior lofi = analysis::priorFromPrompt("lo-fi beat in D minor at 75 bpm");
    QCOMPARE(lofi.bpm, 75.0);
    QCOMPARE(lofi.keyRoot, 2);
    QCOMPARE(lofi.keyMode, 1);
    QVERIFY2(lofi.usualBpm >= 65 && lofi.usualBpm <= 90, qPrintable(QString::number(lofi.usualBpm)));

    // Drum and bass's half-time feel reads as 87 to a listener at large, and as 174 to one who knows the genre.
    const material::Clip clip = material::sketch("drum and bass", 10, 1);
    const analysis::Tempo alone = tempoOf(clip);
    QVERIFY2(std::abs(alone.bpm - clip.bpm / 2) <= 1, qPrintable(describe(clip, alone)));
    const analysis::Tempo knowing = tempoOf(clip, 0, dnb.usualBpm);
    QVERIFY2(std::abs(knowing.bpm - clip.bpm) <= 1, qPrintable(describe(clip, knowing)));
}

void TestTempoDetector::promptTempoNeverForcesAnAnswer()
{
    const material::Clip clip = material::drums(material::Groove::Rock, 100, 0, 12);
    for (const double prior : {130.0, 75.0, 160.0}) {
        const analysis::Tempo tempo = tempoOf(clip, prior);
        QVERIFY2(std::abs(tempo.bpm - 100) <= 1, qPrintable(describe(clip, tempo) + u", prompt %1"_s.arg(prior)));
    }
}

void TestTempoDetector::shortClips_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("bpm");
    QTest::addColumn<bool>("answers");
    QTest::newRow("0.5 s") << 0.5 << 120.0 << false;
    QTest::newRow("1 s") << 1.0 << 120.0 << false;
    QTest::newRow("1.5 s at 90: two beats") << 1.5 << 90.0 << false;
    QTest::newRow("2 s at 120: four beats") << 2.0 << 120.0 << true;
    QTest::newRow("3 s at 120") << 3.0 << 120.0 << true;
    QTest::newRow("4 s at 96") << 4.0 << 96.0 << true;
    QTest::newRow("8 s at 84") << 8.0 << 84.0 << true;
}

void TestTempoDetector::shortClips()
{
    QFETCH(double, seconds);
    QFETCH(double, bpm);
    QFETCH(bool, answers);
    const material::Clip clip = material::drums(material::Groove::Rock, bpm, 0, seconds);
    const analysis::Tempo tempo = tempoOf(clip);
    if (answers) {
        QVERIFY2(std::abs(tempo.bpm - bpm) <= 1, qPrintable(describe(clip, tempo)));
    } else {
        QCOMPARE(tempo.bpm, 0.0);
        QCOMPARE(tempo.reason, std::string("not enough audio"));
        QCOMPARE(tempo.beatPeriodSeconds, 0.0);
    }
}

void TestTempoDetector::noPulseIsSaidSo()
{
    const std::vector<float> silence(32000 * 10, 0.0F);
    analysis::Tempo tempo = analysis::detectTempo(silence.data(), silence.size(), 32000);
    QCOMPARE(tempo.bpm, 0.0);
    QCOMPARE(tempo.reason, std::string("silent"));

    tempo = analysis::detectTempo(silence.data(), 0, 32000);
    QCOMPARE(tempo.reason, std::string("not enough audio"));

    std::vector<float> noise(32000 * 10);
    std::uint32_t state = 7;
    for (float& sample : noise) {
        state = state * 1664525U + 1013904223U;
        sample = float(state >> 8) / float(1U << 24) - 0.5F;
    }
    tempo = analysis::detectTempo(noise.data(), noise.size(), 32000);
    QCOMPARE(tempo.bpm, 0.0);
    QCOMPARE(tempo.reason, std::string("no steady pulse"));

    // One chord held for ten seconds: pitched, but nothing to tap to.
    std::vector<float> held(32000 * 10);
    for (std::size_t i = 0; i < held.size(); ++i) {
        const double t = double(i) / 32000;
        held[i] = float(
            0.1 * (std::sin(2 * M_PI * 261.63 * t) + std::sin(2 * M_PI * 329.63 * t) + std::sin(2 * M_PI * 392.0 * t)));
    }
    tempo = analysis::detectTempo(held.data(), held.size(), 32000);
    QCOMPARE(tempo.bpm, 0.0);
    QCOMPARE(tempo.reason, std::string("no steady pulse"));
}

QTEST_GUILESS_MAIN(TestTempoDetector)
#include "tst_TempoDetector.moc"
