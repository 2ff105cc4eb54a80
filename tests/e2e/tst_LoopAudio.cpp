#include "HeardLoop.h"
#include "LabelledMaterial.h"
#include "PulseNullSink.h"
#include "RecordPlayback.h"
#include "TestAudio.h"
#include "audio/AudioCodec.h"
#include "audio/AudioLoop.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/// Music with a pulse the ear follows, bass and drums sounding across every bar line, so a gap or a step at the wrap
/// has something to interrupt.
constexpr const char* Prompt = "drum and bass at 174 bpm in E minor";
constexpr int Laps = 4;

/// The 16-bit samples of `audio` (mono) as a WAV file.
QByteArray wavOf(const std::vector<float>& audio, int sampleRate)
{
    std::vector<qint16> pcm(audio.size());
    std::transform(audio.begin(), audio.end(), pcm.begin(),
                   [](float x) { return qint16(std::clamp(std::lround(x * 32768.0F), -32768L, 32767L)); });
    return TestAudio::pcmWav(pcm, sampleRate);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QString describe(const HeardLoop::Wrap& wrap)
{
    return u"gap %1 ms, step score %2, quietest %3 of the loop's"_s.arg(wrap.gapMs, 0, 'f', 3)
        .arg(wrap.score, 0, 'f', 2)
        .arg(wrap.quiet, 0, 'f', 2);
}

} // namespace

/// A loop played round and round through the app's player into a PulseAudio null sink, recorded with parec and taken
/// apart lap by lap where the loop's head is heard: every wrap must be heard as any other moment of the music (no
/// time between the laps, no step the music itself does not make, no dip into silence), and the same check must
/// fail the loop a player restarts at its end.
class TestLoopAudio final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void aLoopGoesRoundWithoutAGapOrAClick();
    void restartingAtTheEndIsHeardAsAGap();
    void theWholeTakeLoopKeepsPlaying();
    void aTakeStartsWhereAsked();

private:
    /// recordPlayback() into a file of its own; nothing when it failed.
    std::vector<float> record(
        const std::function<void()>& play, double seconds, const std::function<bool()>& done = [] { return true; });

    /// `wav`, `seconds` long, played as a take with the whole-take loop on, recorded until it started again
    /// `restarts` times and has played on a little.
    std::vector<float> recordWholeTakeLoop(const QByteArray& wav, double seconds, int restarts);

    PulseNullSink m_sound;
    QTemporaryDir m_dir;
    int m_sampleRate = 0;
    std::vector<float> m_take;
    QString m_takePath;
    QByteArray m_loopWav;
    std::vector<float> m_loop; ///< as the loop's file holds it
    qint64 m_offsetMs = 0;
    double m_loopSeconds = 0;
};

void TestLoopAudio::initTestCase()
{
    if (const QString missing = PulseNullSink::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    QString why;
    QVERIFY2(m_sound.start(&why), qPrintable(why));

    const material::Clip clip = material::sketch(Prompt, 16, 5);
    m_sampleRate = clip.sampleRate;
    m_take = clip.samples;
    m_takePath = m_dir.filePath(u"take.wav"_s);
    QVERIFY(writeFile(m_takePath, wavOf(m_take, m_sampleRate)));
    // Four bars from bar 2, so that the region, and where the take goes on after the loop, lie well inside the take.
    const AudioLoop::Bars bars{clip.bpm, clip.firstDownbeat, 4, 2};
    const auto loop = AudioLoop::cut({clip.samples, clip.sampleRate, clip.channels}, bars, &why);
    QVERIFY2(loop, qPrintable(why));
    const auto wav = AudioLoop::toWav(*loop, {bars.bpm, bars.beats(), {}}, &why);
    QVERIFY2(wav, qPrintable(why));
    m_loopWav = *wav;
    const auto heard = AudioCodec::decode(m_loopWav, &why);
    QVERIFY2(heard, qPrintable(why));
    m_loop = heard->samples;
    const AudioLoop::Span span = AudioLoop::span(bars, m_sampleRate);
    m_offsetMs = span.first * 1000 / m_sampleRate;
    m_loopSeconds = double(span.frames) / m_sampleRate;
    // The wrap is not quiet: the end of the loop and its head both sound, so a gap could not hide in silence.
    const auto tenMs = std::size_t(m_sampleRate / 100);
    QVERIFY(HeardLoop::rms(m_loop, 0, tenMs) > 0.02);
    QVERIFY(HeardLoop::rms(m_loop, m_loop.size() - tenMs, m_loop.size()) > 0.02);
}

std::vector<float> TestLoopAudio::record(const std::function<void()>& play, double seconds,
                                         const std::function<bool()>& done)
{
    static int recordings = 0;
    QString why;
    std::optional<std::vector<float>> heard =
        recordPlayback(m_dir.filePath(u"heard-%1.wav"_s.arg(++recordings)), m_sampleRate, play, seconds, done, &why);
    if (!heard)
        qWarning("%s", qPrintable(why));
    return heard.value_or(std::vector<float>());
}

void TestLoopAudio::aLoopGoesRoundWithoutAGapOrAClick()
{
    Player player(new MediaPlayerBackend);
    player.load(u"take"_s, m_takePath, false);
    QList<qint64> loopPositions, takePositions;
    qint64 leftAt = -1;
    connect(&player, &Player::positionChanged, this, [&](qint64 ms) {
        if (player.isLoopingRegion())
            loopPositions << ms;
        else if (leftAt >= 0)
            takePositions << ms;
    });
    const std::vector<float> heard = record(
        [&] {
            QString why;
            QVERIFY2(player.playLoop(m_loopWav, m_offsetMs, &why), qPrintable(why));
        },
        Laps * m_loopSeconds + 1.5,
        [&] {
            // Out of the loop, the take goes on from where the loop was.
            if (leftAt < 0) {
                leftAt = player.position();
                player.stopLoop();
            }
            return player.state() == PlayerBackend::State::Playing && player.position() > leftAt + 500;
        });
    QVERIFY(!heard.empty());
    QVERIFY(!player.isLoopingRegion());
    // Never the take's start, nor a place in the loop's stream reported late.
    for (const qint64 ms : std::as_const(takePositions))
        QVERIFY2(ms >= leftAt && ms < leftAt + 3000, qPrintable(u"%1 after leaving at %2"_s.arg(ms).arg(leftAt)));

    // The playhead stayed inside the region the loop came from.
    QVERIFY(loopPositions.size() > Laps);
    const qint64 regionEnd = m_offsetMs + qint64(std::ceil(m_loopSeconds * 1000));
    for (const qint64 ms : std::as_const(loopPositions))
        QVERIFY2(ms >= m_offsetMs && ms < regionEnd,
                 qPrintable(u"%1 outside %2..%3"_s.arg(ms).arg(m_offsetMs).arg(regionEnd)));

    const HeardLoop::Heard laps = HeardLoop::listen(heard, m_loop, m_sampleRate);
    QVERIFY2(laps.headUniqueness < 0.9, "the loop's head is heard only where a lap begins");
    qInfo("%zu laps heard; typical step %.4f, median %.4f", laps.heads.size(), laps.continuity.typicalStep,
          laps.continuity.medianStep);
    QVERIFY2(laps.wraps.size() >= Laps, qPrintable(u"%1 wraps heard"_s.arg(laps.wraps.size())));
    for (const HeardLoop::Wrap& wrap : laps.wraps) {
        qInfo("wrap at %.3f s: %s", wrap.at / m_sampleRate, qPrintable(describe(wrap)));
        QVERIFY2(wrap.isSeamless(m_sampleRate), qPrintable(describe(wrap)));
    }
}

std::vector<float> TestLoopAudio::recordWholeTakeLoop(const QByteArray& wav, double seconds, int restarts)
{
    const QString path = m_dir.filePath(u"whole-take.wav"_s);
    if (!writeFile(path, wav))
        return {};
    Player player(new MediaPlayerBackend);
    player.setLoop(true);
    int restarted = 0;
    qint64 last = 0;
    connect(&player, &Player::positionChanged, this, [&](qint64 ms) {
        if (ms < last - qint64(seconds * 500))
            ++restarted;
        last = ms;
    });
    return record([&] { player.load(u"take"_s, path, true); }, restarts * seconds,
                  [&] { return restarted >= restarts && player.position() > 300; });
}

void TestLoopAudio::restartingAtTheEndIsHeardAsAGap()
{
    // The loop's own file played to its end and started again, as the whole-take loop does: the measure above must
    // hear every one of those wraps.
    const std::vector<float> heard = recordWholeTakeLoop(m_loopWav, m_loopSeconds, 2);
    QVERIFY(!heard.empty());
    const HeardLoop::Heard laps = HeardLoop::listen(heard, m_loop, m_sampleRate);
    QVERIFY2(laps.wraps.size() >= 2, qPrintable(u"%1 wraps heard"_s.arg(laps.wraps.size())));
    for (const HeardLoop::Wrap& wrap : laps.wraps) {
        qInfo("wrap at %.3f s: %s", wrap.at / m_sampleRate, qPrintable(describe(wrap)));
        QVERIFY2(!wrap.isSeamless(m_sampleRate), qPrintable(describe(wrap)));
        QVERIFY2(wrap.gapMs > 5 && wrap.quiet < 0.5, qPrintable(describe(wrap)));
    }
}

void TestLoopAudio::theWholeTakeLoopKeepsPlaying()
{
    // A second of music, started again at its end time after time: every time, it is heard again (QMediaPlayer, asked
    // to go back to the start once at the end, goes silent or stalls after a few).
    const auto second = std::size_t(m_sampleRate);
    const std::vector<float> take(m_loop.begin(), m_loop.begin() + std::ptrdiff_t(second));
    const QByteArray wav = wavOf(take, m_sampleRate);
    const int restarts = 8;
    const std::vector<float> heard = recordWholeTakeLoop(wav, 1.0, restarts);
    QVERIFY(!heard.empty());
    const HeardLoop::Heard laps = HeardLoop::listen(heard, take, m_sampleRate);
    QVERIFY2(laps.heads.size() >= restarts + 1, qPrintable(u"%1 laps heard"_s.arg(laps.heads.size())));
}

void TestLoopAudio::aTakeStartsWhereAsked()
{
    // A sweep: every place in it sounds different, so what is heard says where playing began.
    const int seconds = 8;
    std::vector<float> sweep(std::size_t(seconds * m_sampleRate));
    double phase = 0;
    for (std::size_t i = 0; i < sweep.size(); ++i) {
        phase += 2 * M_PI * 150 * std::pow(8.0, double(i) / double(sweep.size())) / m_sampleRate;
        sweep[i] = float(0.5 * std::sin(phase));
    }
    const QString path = m_dir.filePath(u"sweep.wav"_s);
    QVERIFY(writeFile(path, wavOf(sweep, m_sampleRate)));
    const qint64 startMs = 3000;
    Player player(new MediaPlayerBackend);
    const std::vector<float> heard = record([&] { player.load(u"sweep"_s, path, true, startMs); }, 1.5);
    QVERIFY(!heard.empty());
    QVERIFY(player.position() >= startMs);

    const auto onset = std::size_t(
        std::find_if(heard.begin(), heard.end(), [](float x) { return std::abs(x) > 0.01F; }) - heard.begin());
    const auto tenth = std::size_t(m_sampleRate / 10);
    QVERIFY2(onset + tenth < heard.size(), "the sweep was heard");
    const std::vector<float> first(heard.begin() + std::ptrdiff_t(onset),
                                   heard.begin() + std::ptrdiff_t(onset + tenth));
    const std::vector<HeardLoop::Match> found = HeardLoop::find(sweep, first, 0.9, sweep.size());
    QCOMPARE(found.size(), std::size_t(1));
    const double heardFromMs = found.front().at * 1000 / m_sampleRate;
    qInfo("asked to start at %lld ms, first heard %.1f ms", startMs, heardFromMs);
    QVERIFY2(std::abs(heardFromMs - double(startMs)) < 50, qPrintable(QString::number(heardFromMs)));
}

QTEST_GUILESS_MAIN(TestLoopAudio)
#include "tst_LoopAudio.moc"
