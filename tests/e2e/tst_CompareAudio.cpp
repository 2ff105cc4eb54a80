#include "analysis/LoudnessMeter.h"
#include "analysis/TakeAnalysis.h"
#include "audio/AudioCodec.h"
#include "playback/ComparePlayer.h"

#include "PulseNullSink.h"
#include "TestAudio.h"

#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int FileRate = 48000;
constexpr double MusicSeconds = 6.0;
/// The music is a tone gliding up evenly from LowHz to HighHz, so the pitch heard tells where in it the music is.
constexpr double LowHz = 400;
constexpr double HighHz = 600;

/// The same music at `amplitude` (of full scale), as a 16-bit mono WAV file.
QByteArray glide(double amplitude)
{
    const auto frames = size_t(MusicSeconds * FileRate);
    std::vector<qint16> samples(frames);
    double phase = 0;
    for (size_t i = 0; i < frames; ++i) {
        const double t = double(i) / FileRate;
        phase += 2 * M_PI * (LowHz + (HighHz - LowHz) * t / MusicSeconds) / FileRate;
        const double fade = std::min({1.0, t / 0.02, (MusicSeconds - t) / 0.02}); // no clicks at either end
        samples[i] = qint16(std::lround(32767 * amplitude * fade * std::sin(phase)));
    }
    return TestAudio::pcmWav(samples, FileRate);
}

/// The pitch of `seconds` of recording from `from`: the median period between upward zero crossings (placed between
/// samples), so a dropout of a few milliseconds in the window does not move it.
double pitchAt(const AudioCodec::Decoded& audio, double from, double seconds)
{
    const auto begin = size_t(from * audio.sampleRate);
    const auto end = std::min(audio.samples.size(), size_t((from + seconds) * audio.sampleRate));
    std::vector<double> periods;
    double last = -1;
    for (size_t i = begin + 1; i < end; ++i) {
        const float a = audio.samples[i - 1], b = audio.samples[i];
        if (a < 0 && b >= 0) {
            const double at = double(i - 1) + a / (a - b);
            if (last >= 0)
                periods.push_back(at - last);
            last = at;
        }
    }
    if (periods.empty())
        return 0.0;
    std::nth_element(periods.begin(), periods.begin() + qsizetype(periods.size() / 2), periods.end());
    return audio.sampleRate / periods[periods.size() / 2];
}

double loudnessOf(const AudioCodec::Decoded& audio, double from, double to)
{
    const auto begin = size_t(from * audio.sampleRate);
    const auto end = std::min(audio.samples.size(), size_t(to * audio.sampleRate));
    const analysis::Loudness loudness =
        analysis::meterLoudness(audio.samples.data() + begin, end - begin, 1, audio.sampleRate);
    return loudness.valid ? loudness.integratedLufs : -std::numeric_limits<double>::infinity();
}

/// The ids of the streams playing into the sound server.
QStringList streamIds()
{
    QProcess pactl;
    pactl.start(u"pactl"_s, {u"list"_s, u"short"_s, u"sink-inputs"_s});
    pactl.waitForFinished(10000);
    QStringList ids;
    for (const QString& line : QString::fromLocal8Bit(pactl.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts))
        ids << line.section(u'\t', 0, 0);
    return ids;
}

} // namespace

/// Two takes of the same music 12 dB apart, compared through the real output (a QAudioSink) into a PulseAudio null
/// sink and recorded from its monitor while the first, then the second is heard: with loudness matched they are
/// heard alike, without it 12 dB apart, and the switch carries the music on from where it was. A stream the sound
/// server takes away is said, and plays again.
class TestCompareAudio final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matchedTakesAreHeardAlike();
    void unmatchedTakesAreHeardAsTheyAre();
    void aStreamTakenAwayIsSaidAndPlaysAgain();

private:
    struct Heard
    {
        double firstLufs = 0;  ///< while the first slot was heard
        double secondLufs = 0; ///< while the second was
    };
    void listen(bool matchLoudness, Heard* heard);

    PulseNullSink m_sound;
    QTemporaryDir m_dir;
    QList<ComparePlayer::Slot> m_takes;
};

void TestCompareAudio::initTestCase()
{
    if (const QString missing = PulseNullSink::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    QString why;
    QVERIFY2(m_sound.start(&why), qPrintable(why));
    for (const auto& [id, amplitude] : {std::pair{u"loud"_s, 0.5}, std::pair{u"quiet"_s, 0.5 / std::pow(10, 0.6)}}) {
        const QByteArray wav = glide(amplitude);
        const QString path = m_dir.filePath(id + u".wav"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(wav) == wav.size());
        // Measured as the app measures takes.
        const auto analysis = TakeAnalysis::analyse(wav, {}, {}, &why);
        QVERIFY2(analysis && analysis->loudnessLufs, qPrintable(why));
        m_takes << ComparePlayer::Slot{id, path, analysis->loudnessLufs};
    }
    qInfo("takes: %.2f and %.2f LUFS", *m_takes.at(0).loudnessLufs, *m_takes.at(1).loudnessLufs);
    QVERIFY(std::abs(*m_takes.at(0).loudnessLufs - *m_takes.at(1).loudnessLufs - 12.0) < 0.1);
}

void TestCompareAudio::listen(bool matchLoudness, Heard* heard)
{
    ComparePlayer compare; // heard through the sound server, as in the app
    compare.setVolume(100);
    compare.setMatchLoudness(matchLoudness);
    QSignalSpy failed(&compare, &ComparePlayer::failed);
    MonitorRecording recording(m_dir.filePath(u"heard-%1.wav"_s.arg(matchLoudness ? u"matched"_s : u"as-is"_s)));
    QString why;
    QVERIFY2(recording.start(&why), qPrintable(why));
    QVERIFY2(compare.start(m_takes, &why), qPrintable(why));
    QCOMPARE(compare.gainDb(0), matchLoudness ? *m_takes.at(1).loudnessLufs - *m_takes.at(0).loudnessLufs : 0.0);

    QTRY_VERIFY_WITH_TIMEOUT(compare.position() >= 2500, 20000);
    const qint64 positionBefore = compare.position();
    // What is on disk now was played before the switch; what the switch does is heard a sink's latency later.
    const double switchedAt = recording.secondsRecorded();
    QSignalSpy positions(&compare, &ComparePlayer::positionChanged);
    compare.switchTo(1);
    QTRY_VERIFY_WITH_TIMEOUT(compare.position() >= 5000, 20000);
    const double leftAt = recording.secondsRecorded();
    compare.leave();
    QVERIFY2(recording.stop(&why), qPrintable(why));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));

    // The switch did not start the music again: the comparison went on from where it was.
    qint64 lowestAfter = positionBefore;
    for (const QList<QVariant>& reported : std::as_const(positions))
        lowestAfter = std::min(lowestAfter, reported.constFirst().toLongLong());
    QVERIFY2(lowestAfter > positionBefore - 200, qPrintable(u"%1 after %2"_s.arg(lowestAfter).arg(positionBefore)));

    QFile file(recording.path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto audio = AudioCodec::decode(file.readAll(), &why);
    QVERIFY2(audio, qPrintable(why));
    const auto onset = std::find_if(audio->samples.cbegin(), audio->samples.cend(),
                                    [](float sample) { return std::abs(sample) > 0.02F; });
    QVERIFY2(onset != audio->samples.cend(), "the recording is not silent");
    const double soundFrom = double(onset - audio->samples.cbegin()) / audio->sampleRate;
    // The first slot: from just after the music began to the switch. The second: from well after the switch
    // (a sound server's buffer holds up to half a second) to when the comparison was left.
    const double firstFrom = soundFrom + 0.3, secondFrom = switchedAt + 0.7;
    qInfo("recorded %.2f s: music from %.2f s, switched at %.2f s (position %lld ms), left at %.2f s",
          double(audio->samples.size()) / audio->sampleRate, soundFrom, switchedAt, positionBefore, leftAt);
    QVERIFY2(switchedAt - firstFrom > 1.0 && leftAt - secondFrom > 1.0, "both slots were heard for over a second");
    heard->firstLufs = loudnessOf(*audio, firstFrom, switchedAt);
    heard->secondLufs = loudnessOf(*audio, secondFrom, leftAt);
    // A second of recording apart, one window in each slot: the glide's pitch tells how far the music went on
    // between them. A restart would take it back seconds; a slot out of step, forward or back by as much.
    const double pitchBefore = pitchAt(*audio, switchedAt - 0.3, 0.2);
    const double pitchAfter = pitchAt(*audio, secondFrom - 0.1, 0.2);
    const double apart = secondFrom - (switchedAt - 0.2);
    const double jumpMs = ((pitchAfter - pitchBefore) / ((HighHz - LowHz) / MusicSeconds) - apart) * 1000;
    qInfo("loudness %s: first slot heard at %.2f LUFS, second at %.2f LUFS (%.2f dB apart); the music went on from "
          "%.1f Hz to %.1f Hz, %+.0f ms from where the first slot was",
          matchLoudness ? "matched" : "not matched", heard->firstLufs, heard->secondLufs,
          heard->firstLufs - heard->secondLufs, pitchBefore, pitchAfter, jumpMs);
    QVERIFY2(std::abs(jumpMs) < 100, qPrintable(u"%1 Hz before, %2 Hz after"_s.arg(pitchBefore).arg(pitchAfter)));
}

void TestCompareAudio::matchedTakesAreHeardAlike()
{
    Heard heard;
    listen(true, &heard);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(std::abs(heard.firstLufs - heard.secondLufs) < 1.0,
             qPrintable(u"%1 and %2 LUFS"_s.arg(heard.firstLufs).arg(heard.secondLufs)));
    // Both at the quieter take's loudness: matching turns the louder down, never the quieter up.
    QVERIFY2(std::abs(heard.secondLufs - *m_takes.at(1).loudnessLufs) < 1.5,
             qPrintable(QString::number(heard.secondLufs)));
}

void TestCompareAudio::unmatchedTakesAreHeardAsTheyAre()
{
    Heard heard;
    listen(false, &heard);
    if (QTest::currentTestFailed())
        return;
    // The same recording and measure tell 12 dB apart, so the test above could have failed.
    const double apart = heard.firstLufs - heard.secondLufs;
    QVERIFY2(apart > 10.5 && apart < 13.5, qPrintable(u"%1 dB apart"_s.arg(apart)));
}

void TestCompareAudio::aStreamTakenAwayIsSaidAndPlaysAgain()
{
    ComparePlayer compare;
    QSignalSpy failed(&compare, &ComparePlayer::failed);
    MonitorRecording recording(m_dir.filePath(u"heard-taken-away.wav"_s));
    QString why;
    QVERIFY2(recording.start(&why), qPrintable(why));
    QVERIFY2(compare.start(m_takes, &why), qPrintable(why));
    QTRY_VERIFY_WITH_TIMEOUT(compare.position() >= 500, 20000);
    // The sound server drops the comparison's stream, as when it restarts or the stream is killed.
    // pactl cannot kill a stream, and pacmd finds no daemon that writes no PID file: the server's command line is
    // opened on a socket of the test's own and told directly.
    const QString cliSocket = m_dir.filePath(u"cli"_s);
    QCOMPARE(QProcess::execute(u"pactl"_s, {u"load-module"_s, u"module-cli-protocol-unix"_s, u"socket="_s + cliSocket}),
             0);
    QLocalSocket cli;
    cli.connectToServer(cliSocket);
    QVERIFY2(cli.waitForConnected(5000), qPrintable(cli.errorString()));
    const QStringList streams = streamIds();
    QCOMPARE(streams.size(), 1);
    cli.write("kill-sink-input " + streams.constFirst().toLatin1() + "\n");
    QVERIFY(cli.waitForBytesWritten(5000));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    const QString message = failed.constFirst().constFirst().toString();
    QVERIFY2(message.contains(u"stopped playing the comparison. Press Space to play it again"_s), qPrintable(message));
    QCOMPARE(compare.state(), PlayerBackend::State::Paused);
    const qint64 heldAt = compare.position();
    QTest::qWait(500);
    QVERIFY(compare.position() <= heldAt + 50); // nothing plays, and nothing pretends to
    // Played again: a new stream, and the music goes on from where it stopped.
    compare.play();
    QCOMPARE(compare.state(), PlayerBackend::State::Playing);
    QTRY_VERIFY_WITH_TIMEOUT(compare.position() >= heldAt + 1000, 10000);
    QCOMPARE(streamIds().size(), 1);
    QVERIFY(streamIds().constFirst() != streams.constFirst());
    QCOMPARE(failed.size(), 1);
    compare.leave();
    QVERIFY2(recording.stop(&why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestCompareAudio)
#include "tst_CompareAudio.moc"
