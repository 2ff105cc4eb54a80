#include "analysis/TakeAnalysis.h"
#include "engine/SketchEngine.h"

#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

/// Takes analysed: what the engine composed for offline takes, the prompt as the prior and what it asked for, what
/// the index and the tags can hold, and how the figures are shown and printed.
class TestTakeAnalysis final : public QObject
{
    Q_OBJECT

private slots:
    void offlineTakesCarryWhatTheEngineComposed();
    void audioThatIsNotAudioIsAnError();
    void implausibleFiguresAreNone();
    void thePromptsAskIsComparedWithTheTake();
    void chipsAndJson();
};

namespace {

QByteArray sketchWav(const GenerationRequest& recipe)
{
    const std::vector<std::uint8_t> wav =
        engine::renderWav({recipe.prompt.toStdString(), recipe.durationSeconds, std::uint32_t(recipe.seed)});
    return QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
}

Take analysedTake(const QString& prompt, double bpm, MusicalKey key)
{
    Take take;
    take.prompt = prompt;
    take.analysisVersion = TakeAnalysis::Version;
    take.bpm = bpm;
    take.keyRoot = key.root;
    take.keyMinor = key.minor;
    return take;
}

} // namespace

void TestTakeAnalysis::offlineTakesCarryWhatTheEngineComposed()
{
    const GenerationRequest recipe{u"lo-fi hip hop with a soothing piano"_s, 6, 11};
    const engine::SketchPlan plan = engine::plan({recipe.prompt.toStdString(), 6, 11});
    const auto found = TakeAnalysis::analyse(sketchWav(recipe), recipe, QString::fromLatin1(engine::ModelId));
    QVERIFY(found);
    QCOMPARE(found->version, TakeAnalysis::Version);
    QCOMPARE(found->bpm, plan.bpm);
    QCOMPARE(found->bpmConfidence, 1.0);
    QCOMPARE(found->downbeatSeconds, 0.0);
    QCOMPARE(found->key, (MusicalKey{plan.keyRoot, plan.minor}));
    QCOMPARE(found->keyConfidence, 1.0);
    QVERIFY(found->loudnessLufs && std::abs(*found->loudnessLufs + 14.0) < 0.3);
    QVERIFY(found->truePeakDbtp && *found->truePeakDbtp <= -0.9);
}

void TestTakeAnalysis::audioThatIsNotAudioIsAnError()
{
    QString why;
    QVERIFY(!TakeAnalysis::analyse(QByteArray(1000, 'x'), {}, {}, &why));
    QCOMPARE(why, u"it is not WAV, MP3, FLAC or Ogg audio"_s);
    QVERIFY(!TakeAnalysis::analyse({}, {}, {}, &why));
    QCOMPARE(why, u"it is empty"_s);
}

void TestTakeAnalysis::implausibleFiguresAreNone()
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double inf = std::numeric_limits<double>::infinity();
    MusicAnalysis wild{1, nan, 0.5, 0.2, {}, MusicalKey{14, true}, 3.0, -inf, nan};
    MusicAnalysis none;
    none.version = 1;
    QCOMPARE(TakeAnalysis::withinRange(wild), none);

    const MusicAnalysis fine{1, 120.4, 0.8, 0.5, {}, MusicalKey{9, true}, 0.4, -14.2, -1.1};
    QCOMPARE(TakeAnalysis::withinRange(fine), fine);

    MusicAnalysis stretched = fine;
    stretched.bpm = 401;
    QCOMPARE(TakeAnalysis::withinRange(stretched).bpm, 0.0);
    QCOMPARE(TakeAnalysis::withinRange(stretched).bpmConfidence, 0.0);
    stretched = fine;
    stretched.bpmConfidence = 7;
    stretched.keyConfidence = -1;
    stretched.downbeatSeconds = 99; // past the first bar of four beats
    const MusicAnalysis kept = TakeAnalysis::withinRange(stretched);
    QCOMPARE(kept.bpmConfidence, 1.0);
    QCOMPARE(kept.keyConfidence, 0.0);
    QCOMPARE(kept.downbeatSeconds, 4 * 60 / 120.4);
}

void TestTakeAnalysis::thePromptsAskIsComparedWithTheTake()
{
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"techno 120 bpm"_s, 96, {})), u"asked 120 BPM, got 96"_s);
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"techno 120 bpm"_s, 121.6, {})), QString());
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"jazz in D minor"_s, 0, {5, false})),
             u"asked D minor, got F major"_s);
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"house at 124 bpm in A minor"_s, 62, {0, false})),
             u"asked 124 BPM, got 62; asked A minor, got C major"_s);
    // A tonic alone asks for the tonic, whatever the mode.
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"folk in D"_s, 0, {2, true})), QString());
    // Nothing asked, or nothing known yet: nothing to say.
    QCOMPARE(TakeAnalysis::promptMismatch(analysedTake(u"lo-fi piano"_s, 80, {9, true})), QString());
    Take unanalysed = analysedTake(u"techno 120 bpm"_s, 0, {});
    unanalysed.analysisVersion = 0;
    QCOMPARE(TakeAnalysis::promptMismatch(unanalysed), QString());
    // The musician's tempo is the take's tempo.
    Take corrected = analysedTake(u"techno 120 bpm"_s, 60, {});
    corrected.bpmByUser = 120;
    QCOMPARE(TakeAnalysis::promptMismatch(corrected), QString());
}

void TestTakeAnalysis::chipsAndJson()
{
    Take take = analysedTake(u"x"_s, 91.96, {9, true});
    take.loudnessLufs = -14.06;
    QCOMPARE(TakeAnalysis::chips(take), (QStringList{u"92 BPM"_s, u"A minor"_s, u"−14.1 LUFS"_s}));
    take.bpm = 87.5;
    QCOMPARE(TakeAnalysis::chips(take).first(), u"87.5 BPM"_s);
    QCOMPARE(TakeAnalysis::chips(Take{}), QStringList());

    QJsonObject object;
    TakeAnalysis::addToJson(object, take.analysis(), 175.0);
    QCOMPARE(object.value("bpm"_L1).toDouble(), 175.0);
    QCOMPARE(object.value("bpm_by_user"_L1).toBool(), true);
    QCOMPARE(object.value("key"_L1).toString(), u"A minor"_s);
    QCOMPARE(object.value("key_short"_L1).toString(), u"Am"_s);
    QCOMPARE(object.value("camelot"_L1).toString(), u"8A"_s);
    QCOMPARE(object.value("lufs"_L1).toDouble(), -14.1);
    QVERIFY(object.value("true_peak_dbtp"_L1).isNull());

    QJsonObject nothing;
    MusicAnalysis noTempo;
    noTempo.version = 1;
    noTempo.tempoNote = u"not enough audio"_s;
    TakeAnalysis::addToJson(nothing, noTempo);
    for (const auto key : {"bpm"_L1, "bpm_confidence"_L1, "downbeat_s"_L1, "key"_L1, "key_short"_L1, "camelot"_L1,
                           "key_confidence"_L1, "lufs"_L1, "true_peak_dbtp"_L1}) {
        QVERIFY2(nothing.contains(key) && nothing.value(key).isNull(), key.data());
    }
    QCOMPARE(nothing.value("tempo_note"_L1).toString(), u"not enough audio"_s);
    QVERIFY(!nothing.contains("bpm_by_user"_L1));
}

QTEST_GUILESS_MAIN(TestTakeAnalysis)
#include "tst_TakeAnalysis.moc"
