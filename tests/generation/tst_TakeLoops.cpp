#include "analysis/TakeAnalysis.h"
#include "audio/AudioCodec.h"
#include "engine/SketchEngine.h"
#include "generation/TakeLoops.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/// An offline take as the library keeps it, analysed as the app analyses it, with its stored audio.
struct Parent
{
    Take take;
    QByteArray audio;
};

Parent offlineTake(const QString& prompt, int seconds)
{
    Parent parent;
    const engine::SketchPlan plan = engine::plan({prompt.toStdString(), seconds, 5});
    const std::vector<std::uint8_t> wav = engine::encodeWav(engine::renderPcm(plan));
    parent.audio = QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
    Take& take = parent.take;
    take.id = u"abcd234567"_s;
    take.prompt = prompt;
    take.requestedDuration = seconds;
    take.seed = 5;
    take.provider = u"offline"_s;
    take.model = QString::fromLatin1(engine::ModelId);
    take.setAnalysis(*TakeAnalysis::analyse(parent.audio, take.request(), take.model));
    return parent;
}

} // namespace

/// A take's loop as the new take it becomes: its audio, its recipe and its analysis, or why there is none.
class TestTakeLoops final : public QObject
{
    Q_OBJECT

private slots:
    void aLoopIsANewTakeOfItsParentsBars();
    void theMusiciansTempoDecidesTheBars();
    void saysWhyThereIsNoLoop();
};

void TestTakeLoops::aLoopIsANewTakeOfItsParentsBars()
{
    const Parent parent = offlineTake(u"house at 124 bpm in A minor with piano and pads"_s, 20);
    QCOMPARE(parent.take.tempo(), 124.0);
    QString error;
    const auto loop = TakeLoops::make(parent.take, parent.audio, 4, 1, &error);
    QVERIFY2(loop, qPrintable(error));

    // The audio: four bars at 124 BPM in a WAV that loops by itself.
    const auto info = AudioCodec::probe(loop->wav);
    QVERIFY(info);
    QCOMPARE(info->format, AudioFormat::Wav);
    QCOMPARE(info->sampleRate, engine::SampleRate);
    QCOMPARE(info->frames, std::llround(4 * 4 * 60.0 / 124 * engine::SampleRate));
    QVERIFY(loop->wav.contains("smpl") && loop->wav.contains("acid"));

    // The recipe: which bars of which take, the parent's prompt, seed and model, made here at no cost.
    const Take& recipe = loop->recipe;
    QCOMPARE(recipe.parentId, parent.take.id);
    QCOMPARE(recipe.loopStartBar, 1);
    QCOMPARE(recipe.loopBars, 4);
    QCOMPARE(recipe.prompt, parent.take.prompt);
    QCOMPARE(recipe.seed, parent.take.seed);
    QCOMPARE(recipe.model, parent.take.model);
    QCOMPARE(recipe.provider, u"loop"_s);
    QCOMPARE(recipe.requestedDuration, 8); // 7.74 s
    QCOMPARE(recipe.cost(), 0.0);
    QVERIFY(recipe.requestId.isEmpty());

    // The analysis: the parent's tempo and key, a grid that starts on the loop's first sample, the loop's own loudness.
    QCOMPARE(recipe.analysisVersion, TakeAnalysis::Version);
    QCOMPARE(recipe.bpm, 124.0);
    QCOMPARE(recipe.key(), parent.take.key());
    QCOMPARE(recipe.downbeatSeconds, 0.0);
    const auto measured = TakeAnalysis::analyse(loop->wav);
    QVERIFY(measured && measured->loudnessLufs && recipe.loudnessLufs && recipe.truePeakDbtp);
    QVERIFY2(std::abs(*recipe.loudnessLufs - *measured->loudnessLufs) < 0.05,
             qPrintable(u"%1 LUFS, measured again %2"_s.arg(*recipe.loudnessLufs).arg(*measured->loudnessLufs)));
    QVERIFY(std::abs(*recipe.truePeakDbtp - *measured->truePeakDbtp) < 0.1);
}

void TestTakeLoops::theMusiciansTempoDecidesTheBars()
{
    // Detected at double the tempo, corrected by the musician: bars are the musician's.
    Parent parent = offlineTake(u"lo-fi hip hop at 80 bpm in D minor"_s, 20);
    parent.take.bpm = 160;
    parent.take.bpmByUser = 80;
    const auto loop = TakeLoops::make(parent.take, parent.audio, 2, 0);
    QVERIFY(loop);
    QCOMPARE(AudioCodec::probe(loop->wav)->frames, std::llround(2 * 4 * 60.0 / 80 * engine::SampleRate));
    QCOMPARE(loop->recipe.bpm, 160.0);
    QCOMPARE(loop->recipe.bpmByUser, std::optional<double>(80));
    QCOMPARE(loop->recipe.tempo(), 80.0);
}

void TestTakeLoops::saysWhyThereIsNoLoop()
{
    const Parent parent = offlineTake(u"techno at 130 bpm"_s, 6);
    QString error;

    Take unanalysed = parent.take;
    unanalysed.setAnalysis(MusicAnalysis{});
    QVERIFY(!TakeLoops::make(unanalysed, parent.audio, 1, 0, &error));
    QCOMPARE(error, u"take abcd234567 has no tempo yet: wait for its analysis (musicgen-cli analyze abcd234567 runs it "
                    "now), then cut the loop"_s);

    Take noPulse = parent.take;
    noPulse.bpm = 0;
    QVERIFY(!TakeLoops::make(noPulse, parent.audio, 1, 0, &error));
    QCOMPARE(error, u"take abcd234567 has no tempo: its analysis found no steady pulse, so it has no bars to cut"_s);

    QVERIFY(!TakeLoops::make(parent.take, "not audio", 1, 0, &error));
    QCOMPARE(error, u"the audio of take abcd234567 cannot be read: it is not WAV, MP3, FLAC or Ogg audio"_s);

    // 6 s at 130 BPM: three whole bars of 1.85 s.
    QVERIFY(!TakeLoops::make(parent.take, parent.audio, 4, 0, &error));
    QCOMPARE(error, u"the take holds only 3 whole bars at 130 BPM: ask for 3 or fewer"_s);
}

QTEST_GUILESS_MAIN(TestTakeLoops)
#include "tst_TakeLoops.moc"
