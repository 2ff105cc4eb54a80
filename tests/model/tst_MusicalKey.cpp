#include "model/MusicalKey.h"
#include "model/TakeSearch.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestMusicalKey : public QObject
{
    Q_OBJECT

private slots:
    void namesOfAllKeys();
    void camelotWheelGoesByFifths();
    void compatibleKeysAreTheWheelsNeighbours();
    void parsesWhatMusiciansType_data();
    void parsesWhatMusiciansType();
    void searchReadsFilters_data();
    void searchReadsFilters();
    void searchFiltersAllApply();
};

void TestMusicalKey::namesOfAllKeys()
{
    QCOMPARE((MusicalKey{9, true}.name()), u"A minor"_s);
    QCOMPARE((MusicalKey{9, true}.shortName()), u"Am"_s);
    QCOMPARE((MusicalKey{3, true}.shortName()), u"Ebm"_s);
    QCOMPARE((MusicalKey{6, false}.shortName()), u"F#"_s);
    QCOMPARE((MusicalKey{1, false}.name()), u"Db major"_s);
    QCOMPARE((MusicalKey{1, true}.name()), u"C# minor"_s);
    QCOMPARE(MusicalKey{}.name(), QString());
    QVERIFY(!MusicalKey{}.isValid());
    // Every key's short name fits ID3's TKEY (three characters) and reads back as the same key.
    for (int root = 0; root < 12; ++root) {
        for (const bool minor : {false, true}) {
            const MusicalKey key{root, minor};
            QVERIFY(key.shortName().size() <= 3);
            QCOMPARE(MusicalKey::parse(key.shortName()), std::optional(key));
            QCOMPARE(MusicalKey::parse(key.name()), std::optional(key));
            QCOMPARE(MusicalKey::parse(key.camelot()), std::optional(key));
        }
    }
}

void TestMusicalKey::camelotWheelGoesByFifths()
{
    QCOMPARE((MusicalKey{9, true}.camelot()), u"8A"_s);
    QCOMPARE((MusicalKey{0, false}.camelot()), u"8B"_s);
    QCOMPARE((MusicalKey{8, true}.camelot()), u"1A"_s);   // G#/Ab minor
    QCOMPARE((MusicalKey{11, false}.camelot()), u"1B"_s); // B major
    QCOMPARE((MusicalKey{4, false}.camelot()), u"12B"_s); // E major
    QCOMPARE((MusicalKey{1, true}.camelot()), u"12A"_s);  // C# minor
    QSet<QString> codes;
    for (int root = 0; root < 12; ++root) {
        codes << MusicalKey{root, false}.camelot() << MusicalKey{root, true}.camelot();
        // A fifth up is one step round the wheel.
        const int number = MusicalKey{root, true}.camelot().chopped(1).toInt();
        QCOMPARE((MusicalKey{(root + 7) % 12, true}.camelot().chopped(1).toInt()), number % 12 + 1);
    }
    QCOMPARE(codes.size(), 24);
}

void TestMusicalKey::compatibleKeysAreTheWheelsNeighbours()
{
    const QList<MusicalKey> am = MusicalKey{9, true}.compatible();
    // A minor (8A): itself, C major (8B), E minor (9A), D minor (7A).
    QCOMPARE(am, (QList<MusicalKey>{{9, true}, {0, false}, {4, true}, {2, true}}));
    const QList<MusicalKey> b = MusicalKey{11, false}.compatible();
    // B major (1B): itself, G# minor (1A), F# major (2B), E major (12B).
    QCOMPARE(b, (QList<MusicalKey>{{11, false}, {8, true}, {6, false}, {4, false}}));
    QVERIFY(MusicalKey{}.compatible().isEmpty());
}

void TestMusicalKey::parsesWhatMusiciansType_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("root");
    QTest::addColumn<bool>("minor");
    QTest::newRow("Am") << u"Am"_s << 9 << true;
    QTest::newRow("a minor") << u"a minor"_s << 9 << true;
    QTest::newRow("A min") << u"A min"_s << 9 << true;
    QTest::newRow("8A") << u"8A"_s << 9 << true;
    QTest::newRow("8b") << u"8b"_s << 0 << false;
    QTest::newRow("C") << u"C"_s << 0 << false;
    QTest::newRow("B") << u"B"_s << 11 << false;
    QTest::newRow("Bm") << u"Bm"_s << 11 << true;
    QTest::newRow("Bb") << u"Bb"_s << 10 << false;
    QTest::newRow("Bbm") << u"Bbm"_s << 10 << true;
    QTest::newRow("Ebm") << u"Ebm"_s << 3 << true;
    QTest::newRow("F# major") << u"F# major"_s << 6 << false;
    QTest::newRow("G♯m") << u"G♯m"_s << 8 << true;
    QTest::newRow("E♭ major") << u"E♭ major"_s << 3 << false;
    QTest::newRow("12A") << u"12A"_s << 1 << true;
    QTest::newRow("Cb") << u"Cb"_s << 11 << false;
}

void TestMusicalKey::parsesWhatMusiciansType()
{
    QFETCH(QString, text);
    QFETCH(int, root);
    QFETCH(bool, minor);
    QCOMPARE(MusicalKey::parse(text), std::optional(MusicalKey{root, minor}));
    for (const QString& bad : {u""_s, u"H"_s, u"13A"_s, u"0B"_s, u"8C"_s, u"A dorian"_s, u"Amm"_s, u"#"_s})
        QVERIFY2(!MusicalKey::parse(bad), qPrintable(bad));
}

void TestMusicalKey::searchReadsFilters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<QList<MusicalKey>>("keys");
    const QList<MusicalKey> none;
    QTest::newRow("words") << u"lo-fi piano"_s << QStringList{u"lo-fi"_s, u"piano"_s} << 0.0 << 0.0 << none;
    QTest::newRow("bpm:120") << u"bpm:120"_s << QStringList{} << 119.5 << 120.5 << none;
    QTest::newRow("range") << u"piano bpm:118-124"_s << QStringList{u"piano"_s} << 117.5 << 124.5 << none;
    QTest::newRow("decimal") << u"BPM:87.5"_s << QStringList{} << 87.45 << 87.55 << none;
    QTest::newRow("key:Am") << u"key:Am"_s << QStringList{} << 0.0 << 0.0 << QList<MusicalKey>{{9, true}};
    QTest::newRow("quoted") << u"key:\"A minor\" jazz"_s << QStringList{u"jazz"_s} << 0.0 << 0.0
                            << QList<MusicalKey>{{9, true}};
    QTest::newRow("unquoted") << u"key:A minor jazz"_s << QStringList{u"jazz"_s} << 0.0 << 0.0
                              << QList<MusicalKey>{{9, true}};
    QTest::newRow("camelot") << u"key:8A"_s << QStringList{} << 0.0 << 0.0 << QList<MusicalKey>{{9, true}};
    QTest::newRow("compatible") << u"compatible:Am bpm:90"_s << QStringList{} << 89.5 << 90.5
                                << MusicalKey{9, true}.compatible();
    // What is not a filter is searched for as typed.
    QTest::newRow("bpm:fast") << u"bpm:fast"_s << QStringList{u"bpm:fast"_s} << 0.0 << 0.0 << none;
    QTest::newRow("backwards") << u"bpm:124-118"_s << QStringList{u"bpm:124-118"_s} << 0.0 << 0.0 << none;
    QTest::newRow("key:H") << u"key:H"_s << QStringList{u"key:H"_s} << 0.0 << 0.0 << none;
    QTest::newRow("time 12:30") << u"12:30"_s << QStringList{u"12:30"_s} << 0.0 << 0.0 << none;
    QTest::newRow("bpm:0") << u"bpm:0"_s << QStringList{u"bpm:0"_s} << 0.0 << 0.0 << none;
    QTest::newRow("empty filters") << u"bpm: key:"_s << QStringList{u"bpm:"_s, u"key:"_s} << 0.0 << 0.0 << none;
    // A mode word after a key that has one already is a word of its own.
    QTest::newRow("key:Am minor") << u"key:Am minor"_s << QStringList{u"minor"_s} << 0.0 << 0.0
                                  << QList<MusicalKey>{{9, true}};
    QTest::newRow("key:8A major") << u"key:8A major"_s << QStringList{u"major"_s} << 0.0 << 0.0
                                  << QList<MusicalKey>{{9, true}};
}

void TestMusicalKey::searchReadsFilters()
{
    QFETCH(QString, text);
    QFETCH(QStringList, words);
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(QList<MusicalKey>, keys);
    const TakeSearch search = TakeSearch::parse(text);
    QCOMPARE(search.words, words);
    QCOMPARE(search.keys, keys.isEmpty() ? std::nullopt : std::optional(keys));
    QCOMPARE(bool(search.tempo), high > 0);
    if (search.tempo) {
        QCOMPARE(search.tempo->first, low);
        QCOMPARE(search.tempo->second, high);
    }
}

void TestMusicalKey::searchFiltersAllApply()
{
    const TakeSearch tempos = TakeSearch::parse(u"bpm:100-130 bpm:120-140"_s);
    QCOMPARE(tempos.tempo, std::optional(std::pair{119.5, 130.5}));
    const TakeSearch apart = TakeSearch::parse(u"bpm:128 bpm:90"_s);
    QVERIFY(apart.tempo && apart.tempo->first >= apart.tempo->second); // nothing is in both
    // A minor is among the keys that mix with E minor; F# minor is not.
    QCOMPARE(TakeSearch::parse(u"compatible:Em key:Am"_s).keys, std::optional(QList<MusicalKey>{{9, true}}));
    QCOMPARE(TakeSearch::parse(u"key:Am compatible:F#m"_s).keys, std::optional(QList<MusicalKey>{}));
    QVERIFY(!TakeSearch::parse(u"piano"_s).keys);
}

QTEST_GUILESS_MAIN(TestMusicalKey)
#include "tst_MusicalKey.moc"
