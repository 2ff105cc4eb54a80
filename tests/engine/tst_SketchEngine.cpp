#include "engine/SketchEngine.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <optional>
#include <set>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int Rate = engine::SampleRate;

engine::SketchParams params(const char* prompt, int seconds, std::uint32_t seed = 7)
{
    return engine::SketchParams{prompt, seconds, seed};
}

double rms(const std::vector<std::int16_t>& pcm)
{
    double sum = 0;
    for (const std::int16_t s : pcm)
        sum += static_cast<double>(s) * s;
    return pcm.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(pcm.size())) / 32768.0;
}

double pearson(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b)
{
    const std::size_t n = std::min(a.size(), b.size());
    double meanA = 0;
    double meanB = 0;
    for (std::size_t i = 0; i < n; ++i) {
        meanA += a[i];
        meanB += b[i];
    }
    meanA /= static_cast<double>(n);
    meanB /= static_cast<double>(n);
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = a[i] - meanA;
        const double y = b[i] - meanB;
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    return ab / std::sqrt(aa * bb);
}

std::uint32_t le32(const std::vector<std::uint8_t>& bytes, std::size_t at)
{
    return bytes[at] | (bytes[at + 1] << 8U) | (bytes[at + 2] << 16U) |
           (static_cast<std::uint32_t>(bytes[at + 3]) << 24U);
}

std::uint16_t le16(const std::vector<std::uint8_t>& bytes, std::size_t at)
{
    return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8U));
}

QByteArray fourCc(const std::vector<std::uint8_t>& bytes, std::size_t at)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data() + at), 4);
}

// --- An onset/beat tempo estimate that knows nothing about the engine ---------------------------------------------

void fft(std::vector<std::complex<double>>& x)
{
    const std::size_t n = x.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1U;
        for (; j & bit; bit >>= 1U)
            j ^= bit;
        j ^= bit;
        if (i < j)
            std::swap(x[i], x[j]);
    }
    for (std::size_t length = 2; length <= n; length <<= 1U) {
        const double angle = -2.0 * std::numbers::pi / static_cast<double>(length);
        const std::complex<double> step(std::cos(angle), std::sin(angle));
        for (std::size_t i = 0; i < n; i += length) {
            std::complex<double> w(1.0, 0.0);
            for (std::size_t k = 0; k < length / 2; ++k) {
                const std::complex<double> u = x[i + k];
                const std::complex<double> v = x[i + k + length / 2] * w;
                x[i + k] = u + v;
                x[i + k + length / 2] = u - v;
                w *= step;
            }
        }
    }
}

/// Spectral flux of log-compressed magnitudes: 1024-sample Hann frames every 5 ms, positive changes summed over
/// bins, then the local mean (about a quarter second) removed and negatives dropped.
std::vector<double> onsetStrength(const std::vector<std::int16_t>& pcm, int hop)
{
    constexpr std::size_t Frame = 1024;
    std::vector<double> window(Frame);
    for (std::size_t i = 0; i < Frame; ++i)
        window[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / Frame);
    std::vector<double> previous(Frame / 2, 0.0);
    std::vector<double> flux;
    std::vector<std::complex<double>> buffer(Frame);
    for (std::size_t start = 0; start + Frame <= pcm.size(); start += static_cast<std::size_t>(hop)) {
        for (std::size_t i = 0; i < Frame; ++i)
            buffer[i] = std::complex<double>(pcm[start + i] / 32768.0 * window[i], 0.0);
        fft(buffer);
        double sum = 0;
        for (std::size_t k = 1; k < Frame / 2; ++k) {
            const double magnitude = std::log1p(100.0 * std::abs(buffer[k]));
            sum += std::max(0.0, magnitude - previous[k]);
            previous[k] = magnitude;
        }
        flux.push_back(sum);
    }
    const int half = 25;
    std::vector<double> strength(flux.size(), 0.0);
    for (std::size_t i = 0; i < flux.size(); ++i) {
        const std::size_t from = i >= static_cast<std::size_t>(half) ? i - half : 0;
        const std::size_t to = std::min(flux.size(), i + half + 1);
        double mean = 0;
        for (std::size_t j = from; j < to; ++j)
            mean += flux[j];
        mean /= static_cast<double>(to - from);
        strength[i] = std::max(0.0, flux[i] - mean);
    }
    return strength;
}

/// Tempo from the onset strength's autocorrelation over lags for 60..200 bpm. Each lag scores the autocorrelation at
/// the lag and its next three multiples (a comb), so a beat that keeps recurring wins over a syncopation that happens
/// to repeat once; a broad log-normal prior around 120 bpm (as in Ellis 2007) tells a beat from its double or half.
/// The best lag is refined by parabolic interpolation.
double estimateBpm(const std::vector<std::int16_t>& pcm)
{
    const int hop = Rate / 200;
    const std::vector<double> strength = onsetStrength(pcm, hop);
    const double hopsPerMinute = 60.0 * Rate / hop;
    const int minLag = static_cast<int>(std::floor(hopsPerMinute / 200.0));
    const int maxLag = static_cast<int>(std::ceil(hopsPerMinute / 60.0));
    auto autocorrelation = [&](int lag) {
        const auto offset = static_cast<std::size_t>(lag);
        double sum = 0;
        for (std::size_t i = 0; i + offset < strength.size(); ++i)
            sum += strength[i] * strength[i + offset];
        return sum / static_cast<double>(strength.size() - offset);
    };
    std::vector<double> score(static_cast<std::size_t>(maxLag + 2), 0.0);
    for (int lag = minLag - 1; lag <= maxLag + 1; ++lag) {
        double comb = 0;
        for (int multiple = 1; multiple <= 4; ++multiple)
            comb += autocorrelation(multiple * lag);
        const double octaves = std::log2(hopsPerMinute / lag / 120.0);
        score[static_cast<std::size_t>(lag)] = comb * std::exp(-0.5 * octaves * octaves);
    }
    int best = minLag;
    for (int lag = minLag; lag <= maxLag; ++lag) {
        if (score[static_cast<std::size_t>(lag)] > score[static_cast<std::size_t>(best)])
            best = lag;
    }
    const double left = score[static_cast<std::size_t>(best - 1)];
    const double centre = score[static_cast<std::size_t>(best)];
    const double right = score[static_cast<std::size_t>(best + 1)];
    const double denominator = left - 2.0 * centre + right;
    const double shift = denominator != 0.0 ? std::clamp(0.5 * (left - right) / denominator, -0.5, 0.5) : 0.0;
    return hopsPerMinute / (best + shift);
}

struct FfmpegLoudness
{
    double integrated = 0;
    double truePeak = 0;
};

} // namespace

class TestSketchEngine final : public QObject
{
    Q_OBJECT

private slots:
    void sameInputsGiveTheSameBytes();
    void matchesTheReferenceBytes_data();
    void matchesTheReferenceBytes();
    void differentSeedsGiveDifferentClips_data();
    void differentSeedsGiveDifferentClips();
    void exactDuration_data();
    void exactDuration();
    void durationAndSeedOutOfRangeAreSafe();
    void notSilentAndNotClipping_data();
    void notSilentAndNotClipping();
    void loudnessMeasuredByFfmpeg_data();
    void loudnessMeasuredByFfmpeg();
    void minorMoodsUseAMinorScale_data();
    void minorMoodsUseAMinorScale();
    void planFollowsThePrompt();
    void melodyRepeatsAndVaries();
    void endsInSilenceWithoutCuttingANote();
    void tempoFoundByAnIndependentEstimate_data();
    void tempoFoundByAnIndependentEstimate();
    void anyPromptBytesRender();

private:
    static std::optional<FfmpegLoudness> measureWithFfmpeg(const QString& path, QString* why);
};

void TestSketchEngine::sameInputsGiveTheSameBytes()
{
    for (const char* prompt : {"lo-fi hip hop with a soothing piano, 80 bpm", "epic cinematic orchestral"}) {
        const auto first = engine::renderWav(params(prompt, 8, 7));
        const auto second = engine::renderWav(params(prompt, 8, 7));
        QVERIFY2(first == second, prompt);
        const engine::SketchPlan a = engine::plan(params(prompt, 8, 7));
        const engine::SketchPlan b = engine::plan(params(prompt, 8, 7));
        QCOMPARE(a.summary, b.summary);
        QCOMPARE(a.notes.size(), b.notes.size());
        QCOMPARE(engine::renderPcm(a), engine::renderPcm(params(prompt, 8, 7)));
    }
}

void TestSketchEngine::matchesTheReferenceBytes_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<quint64>("fnv1a");
    // FNV-1a 64 of the WAV files as rendered by g++ 12 -O2, clang 14 -O2 with sanitizers, -O0 and -O3 -march=native
    // on x86-64: all the same. A mismatch on another compiler or CPU means determinism broke there. When the
    // engine's sound is changed on purpose, render these again and update the numbers in the same commit.
    QTest::newRow("lofi") << QByteArray("lo-fi hip hop with a soothing piano, 80 bpm")
                          << quint64(0x298d1eb1798d0deeULL);
    QTest::newRow("techno") << QByteArray("techno at 128 bpm") << quint64(0xedde98e9f05d8f68ULL);
    QTest::newRow("cinematic") << QByteArray("epic cinematic orchestral") << quint64(0x1edf6e512e3da18eULL);
}

void TestSketchEngine::matchesTheReferenceBytes()
{
    QFETCH(QByteArray, prompt);
    QFETCH(quint64, fnv1a);
    const auto wav = engine::renderWav(params(prompt.constData(), 4, 7));
    quint64 hash = 0xcbf29ce484222325ULL;
    for (const std::uint8_t byte : wav) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    }
    QCOMPARE(QByteArray::number(hash, 16), QByteArray::number(fnv1a, 16));
}

void TestSketchEngine::differentSeedsGiveDifferentClips_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::newRow("lofi, tempo from the seed") << QByteArray("lo-fi hip hop with a soothing piano");
    QTest::newRow("techno, tempo fixed") << QByteArray("techno at 128 bpm");
    QTest::newRow("sad piano, key fixed") << QByteArray("sad piano in A minor");
}

void TestSketchEngine::differentSeedsGiveDifferentClips()
{
    QFETCH(QByteArray, prompt);
    const auto a = engine::renderPcm(params(prompt.constData(), 10, 1));
    const auto b = engine::renderPcm(params(prompt.constData(), 10, 2));
    QVERIFY(a != b);
    const double r = pearson(a, b);
    QVERIFY2(std::fabs(r) < 0.3, qPrintable(u"correlation %1"_s.arg(r)));
    const engine::SketchPlan planA = engine::plan(params(prompt.constData(), 10, 1));
    const engine::SketchPlan planB = engine::plan(params(prompt.constData(), 10, 2));
    QVERIFY(planA.summary != planB.summary || planA.notes.size() != planB.notes.size() ||
            planA.notes.front().midi != planB.notes.front().midi);
}

void TestSketchEngine::exactDuration_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QByteArray>("prompt");
    QTest::newRow("1 s") << 1 << QByteArray("techno at 128 bpm");
    QTest::newRow("7 s") << 7 << QByteArray("jazz trio with brass");
    QTest::newRow("30 s") << 30 << QByteArray("dreamy ambient pads with bells");
}

void TestSketchEngine::exactDuration()
{
    QFETCH(int, seconds);
    QFETCH(QByteArray, prompt);
    const std::vector<std::uint8_t> wav = engine::renderWav(params(prompt.constData(), seconds));
    const std::uint32_t samples = static_cast<std::uint32_t>(seconds) * Rate;
    QCOMPARE(wav.size(), std::size_t{44} + 2 * samples);
    QCOMPARE(fourCc(wav, 0), QByteArray("RIFF"));
    QCOMPARE(le32(wav, 4), 36 + 2 * samples);
    QCOMPARE(fourCc(wav, 8), QByteArray("WAVE"));
    QCOMPARE(fourCc(wav, 12), QByteArray("fmt "));
    QCOMPARE(le32(wav, 16), 16U);
    QCOMPARE(le16(wav, 20), std::uint16_t{1}); // PCM
    QCOMPARE(le16(wav, 22), std::uint16_t{1}); // mono
    QCOMPARE(le32(wav, 24), static_cast<std::uint32_t>(Rate));
    QCOMPARE(le32(wav, 28), static_cast<std::uint32_t>(2 * Rate));
    QCOMPARE(le16(wav, 32), std::uint16_t{2});  // block align
    QCOMPARE(le16(wav, 34), std::uint16_t{16}); // bits
    QCOMPARE(fourCc(wav, 36), QByteArray("data"));
    QCOMPARE(le32(wav, 40), 2 * samples);
    const engine::SketchPlan sketch = engine::plan(params(prompt.constData(), seconds));
    QCOMPARE(sketch.durationSamples, static_cast<int>(samples));
    QCOMPARE(engine::renderPcm(sketch).size(), std::size_t{samples});
}

void TestSketchEngine::durationAndSeedOutOfRangeAreSafe()
{
    QCOMPARE(engine::renderPcm(params("pop", 0)).size(), std::size_t{Rate});
    QCOMPARE(engine::renderPcm(params("pop", -5)).size(), std::size_t{Rate});
    QCOMPARE(engine::plan(params("pop", 1000)).durationSamples, 30 * Rate);
    QCOMPARE(engine::renderPcm(params("pop", 2, 0xFFFFFFFFU)).size(), std::size_t{2 * Rate});
}

void TestSketchEngine::notSilentAndNotClipping_data()
{
    QTest::addColumn<QByteArray>("prompt");
    for (const char* prompt : {"lo-fi hip hop with a soothing piano, 80 bpm", "techno at 128 bpm",
                               "sad piano in A minor", "epic cinematic orchestral", "jazz trio with brass",
                               "dark ambient", "aggressive rock with distorted guitar", "funky disco house with organ"})
        QTest::newRow(prompt) << QByteArray(prompt);
}

void TestSketchEngine::notSilentAndNotClipping()
{
    QFETCH(QByteArray, prompt);
    const auto pcm = engine::renderPcm(params(prompt.constData(), 8));
    QVERIFY2(rms(pcm) > 0.05, qPrintable(u"RMS %1"_s.arg(rms(pcm))));
    // -1 dBFS sample peak; so no sample sits at full scale, let alone a run of them.
    const int ceiling = static_cast<int>(std::floor(32768.0 * std::pow(10.0, -1.0 / 20.0)));
    int peak = 0;
    for (const std::int16_t s : pcm)
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    QVERIFY2(peak <= ceiling, qPrintable(u"peak %1 > %2"_s.arg(peak).arg(ceiling)));
    // Not silent anywhere in the middle: every second has sound.
    for (std::size_t second = 0; second + 1 < pcm.size() / Rate; ++second) {
        const std::vector<std::int16_t> part(pcm.begin() + static_cast<std::ptrdiff_t>(second * Rate),
                                             pcm.begin() + static_cast<std::ptrdiff_t>((second + 1) * Rate));
        QVERIFY2(rms(part) > 0.01, qPrintable(u"second %1 is nearly silent"_s.arg(second)));
    }
}

std::optional<FfmpegLoudness> TestSketchEngine::measureWithFfmpeg(const QString& path, QString* why)
{
    QProcess ffmpeg;
    ffmpeg.start(u"ffmpeg"_s, {u"-nostats"_s, u"-hide_banner"_s, u"-i"_s, path, u"-filter_complex"_s,
                               u"ebur128=peak=true"_s, u"-f"_s, u"null"_s, u"-"_s});
    if (!ffmpeg.waitForFinished(60000) || ffmpeg.exitCode() != 0) {
        *why = u"ffmpeg failed: "_s + QString::fromUtf8(ffmpeg.readAllStandardError().right(500));
        return std::nullopt;
    }
    const QString log = QString::fromUtf8(ffmpeg.readAllStandardError());
    const qsizetype summaryAt = log.lastIndexOf(u"Summary:"_s);
    const QString summary = summaryAt >= 0 ? log.mid(summaryAt) : QString();
    const auto integrated = QRegularExpression(uR"(I:\s+(-?[\d.]+) LUFS)"_s).match(summary);
    const auto peak = QRegularExpression(uR"(Peak:\s+(-?[\d.]+|-inf) dBFS)"_s).match(summary);
    if (!integrated.hasMatch() || !peak.hasMatch()) {
        *why = u"no summary in ffmpeg output: "_s + summary.left(500);
        return std::nullopt;
    }
    return FfmpegLoudness{integrated.captured(1).toDouble(), peak.captured(1).toDouble()};
}

void TestSketchEngine::loudnessMeasuredByFfmpeg_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<int>("seconds");
    QTest::newRow("lofi") << QByteArray("lo-fi hip hop with a soothing piano, 80 bpm") << 12;
    QTest::newRow("techno") << QByteArray("techno at 128 bpm") << 10;
    QTest::newRow("sad piano") << QByteArray("sad piano in A minor") << 10;
    QTest::newRow("cinematic") << QByteArray("epic cinematic orchestral") << 10;
    QTest::newRow("jazz") << QByteArray("jazz trio with brass") << 10;
    QTest::newRow("ambient") << QByteArray("calm ambient with bells") << 10;
    QTest::newRow("rock") << QByteArray("energetic rock") << 10;
    QTest::newRow("short") << QByteArray("synthwave") << 2;
}

void TestSketchEngine::loudnessMeasuredByFfmpeg()
{
    if (QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty())
        QSKIP("ffmpeg is not on PATH: loudness and true peak are measured with ffmpeg's ebur128 filter");
    QFETCH(QByteArray, prompt);
    QFETCH(int, seconds);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"clip.wav"_s);
    const auto wav = engine::renderWav(params(prompt.constData(), seconds));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(reinterpret_cast<const char*>(wav.data()), static_cast<qint64>(wav.size())),
             static_cast<qint64>(wav.size()));
    file.close();
    QString why;
    const auto measured = measureWithFfmpeg(path, &why);
    QVERIFY2(measured, qPrintable(why));
    const QString figures = u"I %1 LUFS, true peak %2 dBFS"_s.arg(measured->integrated).arg(measured->truePeak);
    qInfo("%s: %s", prompt.constData(), qPrintable(figures));
    QVERIFY2(std::fabs(measured->integrated - engine::TargetLoudnessLufs) <= 1.5, qPrintable(figures));
    QVERIFY2(measured->truePeak <= -0.9, qPrintable(figures));
}

void TestSketchEngine::minorMoodsUseAMinorScale_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<int>("root"); // -1: any
    QTest::addColumn<bool>("minor");
    QTest::newRow("sad piano in A minor") << QByteArray("sad piano in A minor") << 9 << true;
    QTest::newRow("dark ambient") << QByteArray("dark ambient") << -1 << true;
    QTest::newRow("melancholic strings") << QByteArray("melancholic strings") << -1 << true;
    QTest::newRow("sad lofi") << QByteArray("sad lo-fi beat") << -1 << true;
    QTest::newRow("dark techno in F") << QByteArray("dark techno in F") << 5 << true;
    QTest::newRow("happy pop in C major") << QByteArray("happy pop in C major") << 0 << false;
    QTest::newRow("explicit key beats mood") << QByteArray("sad song in D major") << 2 << false;
}

void TestSketchEngine::minorMoodsUseAMinorScale()
{
    QFETCH(QByteArray, prompt);
    QFETCH(int, root);
    QFETCH(bool, minor);
    for (const std::uint32_t seed : {1U, 2U, 3U}) {
        const engine::SketchPlan sketch = engine::plan(params(prompt.constData(), 20, seed));
        QCOMPARE(sketch.minor, minor);
        if (root >= 0)
            QCOMPARE(sketch.keyRoot, root);
        // The scale is worked out here from the key, not taken from the plan.
        static constexpr int Minor[] = {0, 2, 3, 5, 7, 8, 10};
        static constexpr int Major[] = {0, 2, 4, 5, 7, 9, 11};
        std::set<int> scale;
        for (const int step : minor ? Minor : Major)
            scale.insert((sketch.keyRoot + step) % 12);
        QCOMPARE(std::set<int>(sketch.scale.begin(), sketch.scale.end()), scale);
        int melodyNotes = 0;
        for (const engine::NoteEvent& note : sketch.notes) {
            QVERIFY2(scale.count(note.midi % 12) == 1,
                     qPrintable(u"note %1 (part %2) is outside the key"_s.arg(note.midi).arg(int(note.part))));
            melodyNotes += note.part == engine::Part::Melody ? 1 : 0;
        }
        QVERIFY(melodyNotes >= 4);
    }
}

void TestSketchEngine::planFollowsThePrompt()
{
    const engine::SketchPlan lofi = engine::plan(params("lo-fi hip hop with a soothing piano, 80 bpm", 20));
    QCOMPARE(lofi.genre, std::string("lofi"));
    QCOMPARE(lofi.bpm, 80.0);
    QVERIFY(lofi.swing > 0.1);
    QVERIFY(lofi.drums && !lofi.drumHits.empty());
    QVERIFY(lofi.lofi);
    QCOMPARE(lofi.leadVoice, std::string("piano"));
    QVERIFY(std::find(lofi.instruments.begin(), lofi.instruments.end(), "piano") != lofi.instruments.end());
    QVERIFY(lofi.introBars >= 1);

    const engine::SketchPlan techno = engine::plan(params("techno at 128 bpm", 20));
    QCOMPARE(techno.bpm, 128.0);
    QCOMPARE(techno.swing, 0.0);
    QVERIFY(techno.drums);
    int kicks = 0;
    for (const engine::DrumHit& hit : techno.drumHits)
        kicks += hit.drum == engine::Drum::Kick ? 1 : 0;
    QVERIFY2(kicks >= 30, "four on the floor");

    for (const char* swung : {"hip hop 90 bpm", "jazz trio with brass"})
        QVERIFY2(engine::plan(params(swung, 10)).swing > 0.1, swung);

    const engine::SketchPlan piano = engine::plan(params("sad piano in A minor", 20));
    QVERIFY(!piano.drums);
    QVERIFY(piano.drumHits.empty());
    QCOMPARE(piano.instruments, std::vector<std::string>{"piano"});

    const engine::SketchPlan noDrums = engine::plan(params("ambient techno with pads, no drums", 10));
    QVERIFY(noDrums.drumHits.empty());

    const engine::SketchPlan unknown = engine::plan(params("qwxz vrrp", 10));
    QVERIFY(!unknown.genre.empty());
    QVERIFY(!unknown.notes.empty());
    QVERIFY(!unknown.summary.empty());
}

void TestSketchEngine::melodyRepeatsAndVaries()
{
    for (const char* prompt : {"lo-fi hip hop with a soothing piano, 80 bpm", "jazz trio with brass", "happy pop"}) {
        const engine::SketchPlan sketch = engine::plan(params(prompt, 30));
        std::vector<int> pitches;
        for (const engine::NoteEvent& note : sketch.notes) {
            if (note.part == engine::Part::Melody)
                pitches.push_back(note.midi);
        }
        QVERIFY2(pitches.size() >= 12, prompt);
        QVERIFY2(std::set<int>(pitches.begin(), pitches.end()).size() >= 4, "more than a couple of pitches");
        // A motif comes back: some run of four intervals occurs at least twice.
        std::set<std::vector<int>> seen;
        bool repeated = false;
        for (std::size_t i = 0; i + 4 < pitches.size() && !repeated; ++i) {
            const std::vector<int> shape = {pitches[i + 1] - pitches[i], pitches[i + 2] - pitches[i + 1],
                                            pitches[i + 3] - pitches[i + 2], pitches[i + 4] - pitches[i + 3]};
            repeated = !seen.insert(shape).second;
        }
        QVERIFY2(repeated, prompt);
    }
}

void TestSketchEngine::endsInSilenceWithoutCuttingANote()
{
    for (const char* prompt : {"techno at 128 bpm", "sad piano in A minor", "jazz trio with brass"}) {
        const engine::SketchPlan sketch = engine::plan(params(prompt, 12));
        QVERIFY(sketch.endingStartSample < sketch.durationSamples);
        QVERIFY2(sketch.durationSamples - sketch.endingStartSample >= Rate, "the final chord has room to ring");
        // The last chord is the tonic, and the melody ends on the tonic.
        int lastMelody = -1;
        for (const engine::NoteEvent& note : sketch.notes) {
            if (note.part == engine::Part::Melody)
                lastMelody = note.midi;
        }
        QCOMPARE(lastMelody % 12, sketch.keyRoot);
        const auto pcm = engine::renderPcm(sketch);
        QCOMPARE(pcm.back(), std::int16_t{0});
        const std::vector<std::int16_t> tail(pcm.end() - Rate / 20, pcm.end());
        QVERIFY2(rms(tail) < 0.01, "faded out by the end");
        const std::vector<std::int16_t> before(pcm.end() - Rate, pcm.end() - Rate / 2);
        QVERIFY2(rms(before) > 0.02, "still sounding a second before the end");
    }
}

void TestSketchEngine::tempoFoundByAnIndependentEstimate_data()
{
    QTest::addColumn<QByteArray>("prompt");
    QTest::addColumn<double>("bpm");
    QTest::newRow("techno at 128 bpm") << QByteArray("techno at 128 bpm") << 128.0;
    QTest::newRow("house 124 bpm") << QByteArray("house 124 bpm") << 124.0;
    QTest::newRow("hip hop 90 bpm") << QByteArray("hip hop 90 bpm") << 90.0;
    QTest::newRow("lo-fi, 80 bpm") << QByteArray("lo-fi hip hop with a soothing piano, 80 bpm") << 80.0;
}

void TestSketchEngine::tempoFoundByAnIndependentEstimate()
{
    QFETCH(QByteArray, prompt);
    QFETCH(double, bpm);
    const double estimate = estimateBpm(engine::renderPcm(params(prompt.constData(), 20)));
    qInfo("%s: estimated %.2f bpm", prompt.constData(), estimate);
    QVERIFY2(std::fabs(estimate - bpm) <= 0.03 * bpm, qPrintable(u"estimated %1 bpm"_s.arg(estimate)));
}

void TestSketchEngine::anyPromptBytesRender()
{
    static const char raw[] = "\0\xff\xfe in C# minor \xE2\x99\xAD 999999 bpm \x80\x81 drum and";
    const std::string bytes(raw, sizeof raw - 1);
    const auto pcm = engine::renderPcm(engine::SketchParams{bytes, 2, 9999});
    QCOMPARE(pcm.size(), std::size_t{2 * Rate});
    QVERIFY(rms(pcm) > 0.02);
}

QTEST_GUILESS_MAIN(TestSketchEngine)
#include "tst_SketchEngine.moc"
