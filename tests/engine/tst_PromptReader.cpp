#include "engine/SketchEngine.h"

#include <QTest>

#include <cstdint>
#include <string>

namespace {

QByteArrayList toList(const std::vector<std::string>& values)
{
    QByteArrayList list;
    for (const std::string& value : values)
        list.append(QByteArray::fromStdString(value));
    return list;
}

engine::PromptTraits read(const QByteArray& prompt)
{
    return engine::readPrompt(std::string_view(prompt.constData(), static_cast<std::size_t>(prompt.size())));
}

} // namespace

class TestPromptReader final : public QObject
{
    Q_OBJECT

private slots:
    void reads_data();
    void reads();
    void tempoForms_data();
    void tempoForms();
    void keys_data();
    void keys();
    void genreSpellings_data();
    void genreSpellings();
    void caseAndOrderDoNotMatter();
    void negationExcludesOnlyTheNextInstrument();
    void anyBytesAreSafe();
};

void TestPromptReader::reads_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<QByteArray>("genre");
    QTest::addColumn<QByteArrayList>("moods");
    QTest::addColumn<QByteArrayList>("instruments");
    QTest::addColumn<double>("bpm");

    QTest::newRow("issue example") << QByteArray("lo-fi hip hop with a soothing piano, 80 bpm") << QByteArray("lofi")
                                   << QByteArrayList{"soothing"} << QByteArrayList{"piano"} << 80.0;
    QTest::newRow("techno") << QByteArray("techno at 128 bpm") << QByteArray("techno") << QByteArrayList{}
                            << QByteArrayList{} << 128.0;
    QTest::newRow("sad piano") << QByteArray("sad piano in A minor") << QByteArray() << QByteArrayList{"sad"}
                               << QByteArrayList{"piano"} << 0.0;
    QTest::newRow("epic orchestral") << QByteArray("epic cinematic orchestral") << QByteArray("cinematic")
                                     << QByteArrayList{"epic"} << QByteArrayList{} << 0.0;
    QTest::newRow("orchestral alone") << QByteArray("an orchestral piece") << QByteArray("cinematic")
                                      << QByteArrayList{} << QByteArrayList{} << 0.0;
    QTest::newRow("jazz trio") << QByteArray("jazz trio with brass") << QByteArray("jazz") << QByteArrayList{}
                               << QByteArrayList{"brass"} << 0.0;
    QTest::newRow("drum and bass is a genre") << QByteArray("drum and bass, energetic") << QByteArray("dnb")
                                              << QByteArrayList{"energetic"} << QByteArrayList{} << 0.0;
    QTest::newRow("drums and bass are instruments") << QByteArray("rock with drums and a bass") << QByteArray("rock")
                                                    << QByteArrayList{} << QByteArrayList{"drums", "bass"} << 0.0;
    QTest::newRow("moods in order, deduplicated")
        << QByteArray("melancholic, chill, rainy and melancholy") << QByteArray()
        << QByteArrayList{"melancholic", "chill"} << QByteArrayList{} << 0.0;
    QTest::newRow("every instrument")
        << QByteArray("bells, flute, brass, synth, pad, bass, drums, guitar, strings, piano, organ, sax, choir, harp")
        << QByteArray() << QByteArrayList{}
        << QByteArrayList{"bells",  "flute",   "brass", "synth", "pad", "bass",  "drums",
                          "guitar", "strings", "piano", "organ", "sax", "choir", "harp"}
        << 0.0;
    QTest::newRow("synonyms") << QByteArray("violin and trumpet over a rhodes, glockenspiel on top") << QByteArray()
                              << QByteArrayList{} << QByteArrayList{"strings", "brass", "epiano", "bells"} << 0.0;
    QTest::newRow("more specific genre wins")
        << QByteArray("hip hop, lo-fi style") << QByteArray("lofi") << QByteArrayList{} << QByteArrayList{} << 0.0;
    QTest::newRow("folk") << QByteArray("folk song with acoustic guitar and flute") << QByteArray("folk")
                          << QByteArrayList{} << QByteArrayList{"guitar", "flute"} << 0.0;
    QTest::newRow("house bassline") << QByteArray("deep house with a rolling bassline") << QByteArray("house")
                                    << QByteArrayList{} << QByteArrayList{"bass"} << 0.0;
    QTest::newRow("synthwave") << QByteArray("retrowave synthwave night drive") << QByteArray("synthwave")
                               << QByteArrayList{} << QByteArrayList{} << 0.0;
    QTest::newRow("reggae") << QByteArray("roots reggae, happy") << QByteArray("reggae") << QByteArrayList{"happy"}
                            << QByteArrayList{} << 0.0;
    QTest::newRow("funk") << QByteArray("funky groove") << QByteArray("funk") << QByteArrayList{"groovy"}
                          << QByteArrayList{} << 0.0;
    QTest::newRow("classical") << QByteArray("classical string quartet") << QByteArray("classical") << QByteArrayList{}
                               << QByteArrayList{"strings"} << 0.0;
    QTest::newRow("ambient") << QByteArray("dark ambient drone") << QByteArray("ambient") << QByteArrayList{"dark"}
                             << QByteArrayList{} << 0.0;
    QTest::newRow("pop") << QByteArray("upbeat pop song") << QByteArray("pop") << QByteArrayList{"happy"}
                         << QByteArrayList{} << 0.0;
    QTest::newRow("unknown words ignored")
        << QByteArray("zxqv blorp quux 12345 !!") << QByteArray() << QByteArrayList{} << QByteArrayList{} << 0.0;
    QTest::newRow("empty") << QByteArray() << QByteArray() << QByteArrayList{} << QByteArrayList{} << 0.0;
}

void TestPromptReader::reads()
{
    QFETCH(QByteArray, prompt);
    QFETCH(QByteArray, genre);
    QFETCH(QByteArrayList, moods);
    QFETCH(QByteArrayList, instruments);
    QFETCH(double, bpm);
    const engine::PromptTraits traits = read(prompt);
    QCOMPARE(QByteArray::fromStdString(traits.genre), genre);
    QCOMPARE(toList(traits.moods), moods);
    QCOMPARE(toList(traits.instruments), instruments);
    QCOMPARE(traits.bpm, bpm);
}

void TestPromptReader::tempoForms_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<double>("bpm");
    QTest::newRow("90 bpm") << QByteArray("chill beat 90 bpm") << 90.0;
    QTest::newRow("90bpm") << QByteArray("chill beat 90bpm") << 90.0;
    QTest::newRow("at 128 BPM") << QByteArray("techno at 128 BPM") << 128.0;
    QTest::newRow("bpm first") << QByteArray("BPM: 100, pop") << 100.0;
    QTest::newRow("bpm glued") << QByteArray("bpm100") << 100.0;
    QTest::newRow("tempo") << QByteArray("tempo 75") << 75.0;
    QTest::newRow("tempo of") << QByteArray("a tempo of 140 please") << 140.0;
    QTest::newRow("beats per minute") << QByteArray("174 beats per minute dnb") << 174.0;
    QTest::newRow("b.p.m.") << QByteArray("120 b.p.m. house") << 120.0;
    QTest::newRow("decimal") << QByteArray("92.5 bpm") << 92.5;
    QTest::newRow("first wins") << QByteArray("80 bpm or maybe 100 bpm") << 80.0;
    QTest::newRow("absurd ignored") << QByteArray("9000 bpm") << 0.0;
    QTest::newRow("too slow ignored") << QByteArray("5 bpm") << 0.0;
    QTest::newRow("huge number ignored") << QByteArray("123456789012345678901234567890 bpm") << 0.0;
    QTest::newRow("number without unit") << QByteArray("dnb 174") << 0.0;
    QTest::newRow("decade is not a tempo") << QByteArray("80s synth pop") << 0.0;
}

void TestPromptReader::tempoForms()
{
    QFETCH(QByteArray, prompt);
    QFETCH(double, bpm);
    QCOMPARE(read(prompt).bpm, bpm);
}

void TestPromptReader::keys_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<int>("root");
    QTest::addColumn<int>("mode");
    QTest::newRow("in D minor") << QByteArray("sad strings in D minor") << 2 << 1;
    QTest::newRow("F# major") << QByteArray("F# major happy pop") << 6 << 0;
    QTest::newRow("Bb minor") << QByteArray("dark ambient in Bb minor") << 10 << 1;
    QTest::newRow("lower case") << QByteArray("in c major") << 0 << 0;
    QTest::newRow("a minor, lower case") << QByteArray("piano in a minor") << 9 << 1;
    QTest::newRow("sharp spelled out") << QByteArray("C sharp minor waltz") << 1 << 1;
    QTest::newRow("flat spelled out") << QByteArray("e-flat major") << 3 << 0;
    QTest::newRow("unicode flat") << QByteArray("in E\xE2\x99\xAD minor") << 3 << 1;
    QTest::newRow("unicode sharp") << QByteArray("in G\xE2\x99\xAF major") << 8 << 0;
    QTest::newRow("maj/min") << QByteArray("Ab maj") << 8 << 0;
    QTest::newRow("compact Am") << QByteArray("rock ballad in Am") << 9 << 1;
    QTest::newRow("compact C#m") << QByteArray("key of C#m") << 1 << 1;
    QTest::newRow("key of G") << QByteArray("folk in the key of G") << 7 << -1;
    QTest::newRow("in E") << QByteArray("blues in E") << 4 << -1;
    QTest::newRow("in A capital") << QByteArray("in A, slowly") << 9 << -1;
    QTest::newRow("article is not a key") << QByteArray("in a dreamy mood") << -1 << -1;
    QTest::newRow("some minor key") << QByteArray("something in a minor key") << -1 << 1;
    QTest::newRow("mode only") << QByteArray("minor key techno") << -1 << 1;
    QTest::newRow("no key") << QByteArray("happy pop") << -1 << -1;
    QTest::newRow("am is not a key without context") << QByteArray("I am happy") << -1 << -1;
}

void TestPromptReader::keys()
{
    QFETCH(QByteArray, prompt);
    QFETCH(int, root);
    QFETCH(int, mode);
    const engine::PromptTraits traits = read(prompt);
    QCOMPARE(traits.keyRoot, root);
    QCOMPARE(traits.keyMode, mode);
}

void TestPromptReader::genreSpellings_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<QByteArray>("genre");
    const QList<QPair<QByteArray, QByteArrayList>> spellings = {
        {"lofi", {"lo-fi", "lofi", "Lo Fi", "LOFI", "chillhop"}},
        {"hiphop", {"hip hop", "hip-hop", "HipHop", "boom bap", "rap"}},
        {"house", {"house", "deep house", "disco"}},
        {"techno", {"techno", "Techno", "acid", "trance"}},
        {"dnb", {"drum and bass", "drum & bass", "drum'n'bass", "drum n bass", "DnB", "d&b", "jungle"}},
        {"ambient", {"ambient", "drone", "soundscape"}},
        {"cinematic", {"cinematic", "orchestral", "film score", "soundtrack", "trailer"}},
        {"jazz", {"jazz", "jazzy", "bebop", "bossa nova"}},
        {"rock", {"rock", "punk", "metal", "indie rock"}},
        {"pop", {"pop", "k-pop", "indie pop"}},
        {"synthwave", {"synthwave", "synth wave", "retrowave", "outrun", "80s"}},
        {"reggae", {"reggae", "dub", "ska"}},
        {"funk", {"funk", "funky"}},
        {"folk", {"folk", "country", "celtic", "acoustic"}},
        {"classical", {"classical", "baroque", "sonata"}},
    };
    for (const auto& [genre, words] : spellings) {
        for (const QByteArray& word : words)
            QTest::newRow((genre + " / " + word).constData()) << word << genre;
    }
}

void TestPromptReader::genreSpellings()
{
    QFETCH(QByteArray, prompt);
    QFETCH(QByteArray, genre);
    QCOMPARE(QByteArray::fromStdString(read(prompt).genre), genre);
}

void TestPromptReader::caseAndOrderDoNotMatter()
{
    const engine::PromptTraits a = read("Sad PIANO and Strings, 70 BPM, in D MINOR, LO-FI");
    const engine::PromptTraits b = read("lofi in d minor: strings and piano, sad, 70bpm");
    QCOMPARE(QByteArray::fromStdString(a.genre), QByteArray("lofi"));
    QCOMPARE(a.genre, b.genre);
    QCOMPARE(a.moods, b.moods);
    QCOMPARE(a.bpm, b.bpm);
    QCOMPARE(a.bpm, 70.0);
    QCOMPARE(a.keyRoot, b.keyRoot);
    QCOMPARE(a.keyRoot, 2);
    QCOMPARE(a.keyMode, b.keyMode);
    QCOMPARE(a.keyMode, 1);
    // Order of first mention is kept, but the same instruments are found.
    QCOMPARE(toList(a.instruments), (QByteArrayList{"piano", "strings"}));
    QCOMPARE(toList(b.instruments), (QByteArrayList{"strings", "piano"}));
}

void TestPromptReader::negationExcludesOnlyTheNextInstrument()
{
    const engine::PromptTraits traits = read("ambient pads, no drums, piano and bass, without vocals");
    QCOMPARE(toList(traits.excludedInstruments), (QByteArrayList{"drums", "choir"}));
    QCOMPARE(toList(traits.instruments), (QByteArrayList{"pad", "piano", "bass"}));
    const engine::PromptTraits named = read("drums, then no drums");
    QVERIFY(named.instruments.empty());
    QCOMPARE(toList(named.excludedInstruments), QByteArrayList{"drums"});
}

void TestPromptReader::anyBytesAreSafe()
{
    // Every single byte, every pair of a few interesting bytes, and a few thousand pseudo-random strings: no
    // crash, and ids stay canonical. (The sanitizer build turns any out-of-bounds read into a failure.)
    for (int byte = 0; byte < 256; ++byte) {
        const char c = static_cast<char>(byte);
        (void)engine::readPrompt(std::string_view(&c, 1));
    }
    const std::string interesting = "a#b&9.\xE2\x99\xAF\xAD bpm minor";
    for (const char x : interesting) {
        for (const char y : interesting) {
            const char pair[2] = {x, y};
            (void)engine::readPrompt(std::string_view(pair, 2));
        }
    }
    std::uint32_t state = 12345;
    auto next = [&] {
        state ^= state << 13U;
        state ^= state >> 17U;
        state ^= state << 5U;
        return state;
    };
    const std::string alphabet =
        "abcdefg #&.'-0123456789 bpm minor major in key of sharp flat lo fi hip hop \xE2\x99\xAF\xFF";
    for (int round = 0; round < 3000; ++round) {
        std::string prompt;
        const std::uint32_t length = next() % 64;
        for (std::uint32_t i = 0; i < length; ++i) {
            const std::uint32_t r = next();
            prompt += (r & 1U) != 0 ? alphabet[(r >> 1U) % alphabet.size()] : static_cast<char>(r >> 8U);
        }
        const engine::PromptTraits traits = engine::readPrompt(prompt);
        QVERIFY(traits.keyRoot >= -1 && traits.keyRoot < 12);
        QVERIFY(traits.keyMode >= -1 && traits.keyMode <= 1);
        QVERIFY(traits.bpm == 0 || (traits.bpm >= 20 && traits.bpm <= 400));
    }
    const std::string huge(200000, '#');
    QVERIFY(engine::readPrompt(huge).genre.empty());
    std::string words;
    for (int i = 0; i < 20000; ++i)
        words += "drum and bass in F# minor 140 bpm ";
    QCOMPARE(QByteArray::fromStdString(engine::readPrompt(words).genre), QByteArray("dnb"));
}

QTEST_GUILESS_MAIN(TestPromptReader)
#include "tst_PromptReader.moc"
