#include "FolderPerTest.h"
#include "TestDatabase.h"
#include "analysis/TakeAnalysis.h"
#include "engine/SketchEngine.h"
#include "generation/AnalysisBackfill.h"
#include "library/Library.h"
#include "library/LibraryService.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Takes as a provider hands them over, with the engine's audio: "offline" ones say the engine made them; "segmind"
// ones carry the same kind of audio, so their tempo and key must be found by listening.
GenerationResult engineTake(const QString& prompt, int seed, const QString& provider)
{
    GenerationResult result;
    result.request = GenerationRequest{prompt, 12, seed};
    const std::vector<std::uint8_t> wav = engine::renderWav({prompt.toStdString(), 12, std::uint32_t(seed)});
    result.audio = QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
    result.audioInfo = AudioInfo{AudioFormat::Wav, engine::SampleRate, 1, 12 * engine::SampleRate};
    result.providerId = provider;
    result.model = provider == "offline"_L1 ? QString::fromLatin1(engine::ModelId) : u"meta-musicgen-medium"_s;
    result.endpoint = u"built-in"_s;
    result.attempts = 1;
    return result;
}

const char* const Prompts[] = {
    "techno 128 bpm in F minor with a driving kick",
    "house groove 122 bpm in A minor",
    "drum and bass at 174 bpm",
    "hip hop beat 90 bpm in D minor",
};

} // namespace

class TestAnalysisBackfill final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void aLibraryFromBeforeTheAnalysisIsMigratedAndAnalysed();
    void aStoppedBackfillGoesOnWhereItStopped();
    void audioThatDoesNotDecodeIsNotTriedAgain();

private:
    /// A library whose takes were kept without an analysis, as every take before this version was.
    QList<Take> makeUnanalysedLibrary(int count);
    /// Runs a backfill over the library to its end; returns how many takes it analysed.
    int runBackfill(LibraryService& service);
};

QList<Take> TestAnalysisBackfill::makeUnanalysedLibrary(int count)
{
    Library library(folderPath());
    if (!library.open().ok)
        return {};
    QList<Take> takes;
    for (int i = 0; i < count; ++i) {
        const auto take =
            library.add(engineTake(QString::fromLatin1(Prompts[i % 4]), i, i % 2 ? u"segmind"_s : u"offline"_s));
        if (!take)
            return {};
        takes << *take;
    }
    return takes;
}

int TestAnalysisBackfill::runBackfill(LibraryService& service)
{
    AnalysisBackfill backfill(&service);
    QSignalSpy finished(&backfill, &AnalysisBackfill::finished);
    backfill.start();
    if (finished.isEmpty() && !finished.wait(60000))
        return -1;
    return finished.first().first().toInt();
}

void TestAnalysisBackfill::aLibraryFromBeforeTheAnalysisIsMigratedAndAnalysed()
{
    const QList<Take> made = makeUnanalysedLibrary(4);
    QCOMPARE(made.size(), 4);
    // Back to the layout of version 3: no analysis columns, no index on them.
    const QString database = folderPath() + u"/library.sqlite3"_s;
    for (const auto index : {"takes_analysis"_L1, "takes_tempo"_L1, "takes_key"_L1})
        QVERIFY(TestDatabase::exec(database, u"DROP INDEX "_s + index));
    for (const auto column : {"analysis_version"_L1, "bpm"_L1, "bpm_confidence"_L1, "downbeat_seconds"_L1,
                              "bpm_by_user"_L1, "key_root"_L1, "key_minor"_L1, "key_confidence"_L1, "loudness_lufs"_L1,
                              "true_peak_dbtp"_L1, "loop_start_bar"_L1, "loop_bars"_L1})
        QVERIFY(TestDatabase::exec(database, u"ALTER TABLE takes DROP COLUMN "_s + column));
    QVERIFY(TestDatabase::exec(database, u"PRAGMA user_version = 3"_s));

    LibraryService service(folderPath(), {});
    QVERIFY(service.open().ok);
    TakeQuery left;
    left.analysedBefore = TakeAnalysis::Version;
    QCOMPARE(service.count(left), 4);

    AnalysisBackfill backfill(&service);
    QSignalSpy progress(&backfill, &AnalysisBackfill::progress);
    QSignalSpy changed(&service, &LibraryService::takeChanged);
    QSignalSpy finished(&backfill, &AnalysisBackfill::finished);
    backfill.start();
    QVERIFY(backfill.isRunning());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toInt(), 4);
    QCOMPARE(progress.size(), 4);
    QCOMPARE(progress.last(), (QList<QVariant>{4, 4}));
    QTRY_COMPARE(changed.size(), 4);
    QCOMPARE(service.count(left), 0);

    for (const Take& before : made) {
        const auto take = service.find(before.id);
        QVERIFY(take);
        QCOMPARE(take->analysisVersion, TakeAnalysis::Version);
        const engine::SketchPlan plan = engine::plan({take->prompt.toStdString(), 12, std::uint32_t(take->seed)});
        // The engine's own tempo and key for its takes; found by listening for the others.
        QVERIFY2(std::abs(take->bpm - plan.bpm) <= 1.0,
                 qPrintable(u"%1: %2 BPM, composed at %3"_s.arg(take->prompt).arg(take->bpm).arg(plan.bpm)));
        QCOMPARE(take->key(), (MusicalKey{plan.keyRoot, plan.minor}));
        if (take->provider == "offline"_L1) {
            QCOMPARE(take->bpmConfidence, 1.0);
            QCOMPARE(take->keyConfidence, 1.0);
        }
        // Sketches are mastered to -14 LUFS with true peak at or below -1 dBTP.
        QVERIFY(take->loudnessLufs);
        QVERIFY2(std::abs(*take->loudnessLufs + 14.0) < 0.5, qPrintable(QString::number(*take->loudnessLufs)));
        QVERIFY(take->truePeakDbtp && *take->truePeakDbtp < -0.5);
    }
    // Nothing left: the next start counts none and finishes at once.
    QCOMPARE(runBackfill(service), 0);
}

void TestAnalysisBackfill::aStoppedBackfillGoesOnWhereItStopped()
{
    QCOMPARE(makeUnanalysedLibrary(6).size(), 6);
    LibraryService service(folderPath(), {});
    QVERIFY(service.open().ok);
    TakeQuery left;
    left.analysedBefore = TakeAnalysis::Version;
    {
        AnalysisBackfill first(&service);
        QSignalSpy progress(&first, &AnalysisBackfill::progress);
        first.start();
        QVERIFY(progress.wait(60000));
        QCOMPARE(progress.first(), (QList<QVariant>{1, 6}));
        // The window closes here: the take being measured finishes, the rest waits for the next start.
    }
    QTRY_VERIFY(service.count(left) < 6);
    const int remaining = service.count(left);
    QVERIFY(remaining > 0);
    QCOMPARE(runBackfill(service), remaining);
    QTRY_COMPARE(service.count(left), 0);
}

void TestAnalysisBackfill::audioThatDoesNotDecodeIsNotTriedAgain()
{
    const QList<Take> made = makeUnanalysedLibrary(2);
    QCOMPARE(made.size(), 2);
    LibraryService service(folderPath(), {});
    QVERIFY(service.open().ok);
    QFile damaged(service.audioPath(made.first()));
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write(QByteArray(4096, 'x'));
    damaged.close();

    QCOMPARE(runBackfill(service), 2);
    QSignalSpy changed(&service, &LibraryService::takeChanged);
    QTRY_VERIFY(service.find(made.first().id)->analysisVersion == TakeAnalysis::Version);
    const Take unreadable = *service.find(made.first().id);
    QCOMPARE(unreadable.bpm, 0.0);
    QVERIFY(!unreadable.key().isValid());
    QVERIFY(!unreadable.loudnessLufs);
    QTRY_COMPARE(service.find(made.last().id)->analysisVersion, TakeAnalysis::Version);
    QCOMPARE(runBackfill(service), 0);
}

QTEST_GUILESS_MAIN(TestAnalysisBackfill)
#include "tst_AnalysisBackfill.moc"
