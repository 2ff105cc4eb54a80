#include "FolderPerTest.h"
#include "TestTakes.h"
#include "library/Library.h"
#include "library/TakeSidecar.h"

#include <QTest>

using namespace Qt::StringLiterals;

/// Takes found by what the analysis measured: tempo ranges, keys, compatible keys, together with words; and the
/// musician's tempo correction kept in both of a take's records.
class TestAnalysisSearch final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void findsByTempoAndKey_data();
    void findsByTempoAndKey();
    void theMusiciansTempoWinsAndSurvivesReanalysis();
    void aTempoOutOfRangeIsRefused();

private:
    /// Four analysed takes: 92 BPM A minor piano, 124 BPM C major house, 174.6 BPM E minor dnb, and 120 BPM D minor
    /// techno; plus one take not analysed yet.
    bool fill(Library& library);
    QStringList promptsFound(Library& library, const QString& search);
};

bool TestAnalysisSearch::fill(Library& library)
{
    struct Row
    {
        const char* prompt;
        double bpm;
        MusicalKey key;
    };
    const Row rows[] = {{"lo-fi piano", 92, {9, true}},
                        {"house groove", 124, {0, false}},
                        {"dnb roller", 174.6, {4, true}},
                        {"techno piano", 120, {2, true}}};
    for (const Row& row : rows) {
        const auto take = library.add(TestTakes::result(QString::fromLatin1(row.prompt)));
        MusicAnalysis analysis;
        analysis.version = 1;
        analysis.bpm = row.bpm;
        analysis.key = row.key;
        analysis.loudnessLufs = -14;
        if (!take || !library.setAnalysis(take->id, analysis))
            return false;
    }
    return bool(library.add(TestTakes::result(u"not analysed piano"_s)));
}

QStringList TestAnalysisSearch::promptsFound(Library& library, const QString& search)
{
    TakeQuery query;
    query.search = search;
    QStringList prompts;
    for (const Take& take : library.takes(query))
        prompts << take.prompt;
    prompts.sort();
    return prompts;
}

void TestAnalysisSearch::findsByTempoAndKey_data()
{
    QTest::addColumn<bool>("fullText");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("prompts");
    for (const bool fullText : {true, false}) {
        const char* path = fullText ? "fts" : "like";
        auto row = [&](const char* name, const QString& search, const QStringList& prompts) {
            QTest::addRow("%s: %s", path, name) << fullText << search << prompts;
        };
        row("exact tempo", u"bpm:124"_s, {u"house groove"_s});
        row("shown tempo", u"bpm:175"_s, {u"dnb roller"_s});
        row("decimal tempo", u"bpm:174.6"_s, {u"dnb roller"_s});
        row("range", u"bpm:118-124"_s, {u"house groove"_s, u"techno piano"_s});
        row("range and word", u"piano bpm:90-130"_s, {u"lo-fi piano"_s, u"techno piano"_s});
        row("key", u"key:Am"_s, {u"lo-fi piano"_s});
        row("key in words", u"key:\"A minor\""_s, {u"lo-fi piano"_s});
        row("camelot", u"key:8B"_s, {u"house groove"_s});
        // A minor mixes with itself, C major, E minor and D minor.
        row("compatible", u"compatible:Am"_s,
            {u"dnb roller"_s, u"house groove"_s, u"lo-fi piano"_s, u"techno piano"_s});
        row("compatible and tempo", u"compatible:Am bpm:100-200"_s,
            {u"dnb roller"_s, u"house groove"_s, u"techno piano"_s});
        row("nothing in range", u"bpm:60-80"_s, {});
        row("a filter that is not one", u"bpm:fast"_s, {});
        row("filters that exclude each other", u"key:Am compatible:F#m"_s, {});
        row("both tempo ranges", u"bpm:80-125 bpm:110-200"_s, {u"house groove"_s, u"techno piano"_s});
    }
}

void TestAnalysisSearch::findsByTempoAndKey()
{
    QFETCH(bool, fullText);
    QFETCH(QString, search);
    QFETCH(QStringList, prompts);
    LibraryOptions options;
    options.useFullTextSearch = fullText;
    Library library(folderPath(), options);
    QVERIFY(library.open().ok);
    QVERIFY(fill(library));
    QCOMPARE(promptsFound(library, search), prompts);
    TakeQuery query;
    query.search = search;
    QCOMPARE(library.count(query), prompts.size());
}

void TestAnalysisSearch::theMusiciansTempoWinsAndSurvivesReanalysis()
{
    Library library(folderPath());
    QVERIFY(library.open().ok);
    QVERIFY(fill(library));
    TakeQuery byWord;
    byWord.search = u"dnb"_s;
    const Take dnb = library.takes(byWord).first();
    QVERIFY(library.setTempoByUser(dnb.id, dnb.bpm / 2));
    QCOMPARE(promptsFound(library, u"bpm:87.3"_s), QStringList{u"dnb roller"_s});
    QVERIFY(promptsFound(library, u"bpm:175"_s).isEmpty());

    // A new analysis changes what was detected, never what the musician said.
    MusicAnalysis again = library.find(dnb.id)->analysis();
    again.bpm = 175.0;
    QVERIFY(library.setAnalysis(dnb.id, again));
    const Take now = *library.find(dnb.id);
    QCOMPARE(now.bpm, 175.0);
    QCOMPARE(now.bpmByUser, std::optional(dnb.bpm / 2));
    QCOMPARE(now.tempo(), dnb.bpm / 2);
    // Both records keep it: the sidecar as well as the index.
    const auto sidecar = TakeSidecar::read(library.sidecarPath(now));
    QVERIFY(sidecar);
    QCOMPARE(sidecar->bpmByUser, now.bpmByUser);
    QCOMPARE(sidecar->bpm, 175.0);
    QCOMPARE(sidecar->key(), (MusicalKey{4, true}));

    // Back to the detected tempo.
    QVERIFY(library.setTempoByUser(dnb.id, std::nullopt));
    QCOMPARE(library.find(dnb.id)->tempo(), 175.0);
}

void TestAnalysisSearch::aTempoOutOfRangeIsRefused()
{
    Library library(folderPath());
    QVERIFY(library.open().ok);
    QVERIFY(fill(library));
    const Take take = library.takes({}).first();
    QString error;
    QVERIFY(!library.setTempoByUser(take.id, 1000.0, &error));
    QVERIFY(error.contains(u"between 20 and 400 BPM"_s));
    QVERIFY(!library.setTempoByUser(take.id, std::nan(""), &error));
    QCOMPARE(library.find(take.id)->bpmByUser, std::nullopt);
}

QTEST_GUILESS_MAIN(TestAnalysisSearch)
#include "tst_AnalysisSearch.moc"
