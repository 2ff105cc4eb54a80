// Compare switch latency: two slots of a ComparePlayer, a 440 Hz and an 880 Hz tone, play through the real output
// (SinkMixOutput: the mix fed to a QAudioSink) into a private PulseAudio null sink, and the heard slot is switched
// back and forth. Per switch:
//
//   call     how long switchTo() takes: the new gains are in the mixer when it returns, and the next samples the
//            output takes (within SinkMixOutput::TickMs) carry them. Everything the app's own code adds.
//   heard    from the switchTo() call to the new tone reaching the null sink's monitor, recorded by parec in 5 ms
//            fragments and placed in time by the sample clock (every read is stamped when it arrives; the earliest
//            arrival against its sample count fixes the clock, so the figure includes the recorder's smallest
//            delay, about a millisecond). It includes the crossfade (CompareMixer::RampMs, heard from its middle),
//            the sink's buffer and the sound server's own queue. A sound card adds its own output latency on top (a
//            few ms for USB or HDA).
//   silence, both   the longest stretch after the switch with neither tone, and with both: a clean cut shows a few
//            milliseconds of both (the 5 ms windows straddling the crossfade) and no silence.
//
// Each round asks the sink for another buffer; the sound server grants about three quarters of it. Dropouts (5 ms
// stretches with neither tone) show what a smaller buffer costs on a busy machine. It prints figures; it never
// fails on time.
//
// It first times the decoding a comparison of four 30 s takes needs before it plays.
//
//   bench-compare [switches] [buffer-ms ...]    switches per round (default 20); buffers to try (default 20 40 80)
#include "PulseNullSink.h"
#include "TestAudio.h"
#include "playback/ComparePlayer.h"
#include "playback/SinkMixOutput.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtEndian>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int Rate = 48000;
constexpr double LowHz = 440, HighHz = 880;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// The null sink's monitor, read raw from parec on a thread of its own, every read stamped when it arrived.
class MonitorTap
{
public:
    ~MonitorTap() { stop(); }

    void start()
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->start();
    }
    void stop()
    {
        m_stop = true;
        if (m_thread)
            m_thread->wait();
    }
    /// Waits until the recorder delivers sound-server time.
    bool waitUntilRecording()
    {
        const qint64 until = nowNs() + 15'000'000'000;
        while (nowNs() < until) {
            {
                const std::lock_guard lock(m_mutex);
                if (m_samples.size() > Rate / 4)
                    return true;
            }
            QThread::msleep(10);
        }
        return false;
    }
    /// The steady-clock time of sample 0: the arrival that came soonest after its samples were captured.
    qint64 sampleZeroNs() const
    {
        qint64 zero = std::numeric_limits<qint64>::max();
        for (const auto& [samples, at] : m_arrivals)
            zero = std::min(zero, at - samples * 1'000'000'000 / Rate);
        return zero;
    }
    const std::vector<qint16>& samples() const { return m_samples; }

private:
    void run()
    {
        QProcess parec;
        parec.start(u"parec"_s, {u"-d"_s, PulseNullSink::monitor(), u"--raw"_s, u"--rate=%1"_s.arg(Rate),
                                 u"--channels=1"_s, u"--format=s16le"_s, u"--latency-msec=5"_s});
        QByteArray pending;
        while (!m_stop && parec.state() != QProcess::NotRunning) {
            if (!parec.waitForReadyRead(50))
                continue;
            const qint64 at = nowNs();
            pending += parec.readAllStandardOutput();
            const std::lock_guard lock(m_mutex);
            const auto whole = pending.size() / 2;
            for (qsizetype i = 0; i < whole; ++i)
                m_samples.push_back(qFromLittleEndian<qint16>(pending.constData() + 2 * i));
            pending.remove(0, whole * 2);
            m_arrivals.emplace_back(qint64(m_samples.size()), at);
        }
        parec.terminate();
        parec.waitForFinished(5000);
    }

    std::unique_ptr<QThread> m_thread;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<qint16> m_samples;
    std::vector<std::pair<qint64, qint64>> m_arrivals; ///< samples received in all, when
};

double energyAt(const std::vector<qint16>& samples, size_t from, size_t length, double hz)
{
    const double k = 2 * std::cos(2 * M_PI * hz / Rate);
    double s1 = 0, s2 = 0;
    for (size_t i = from; i < from + length; ++i) {
        const double s0 = samples[i] + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - k * s1 * s2;
}

struct Switch
{
    qint64 atNs = 0;
    int to = 0;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(std::max(0.0, std::ceil(p * double(values.size())) - 1)))];
}

void printFigures(const char* what, const std::vector<double>& ms)
{
    std::printf("  %-8s median %7.2f ms   p95 %7.2f ms   min %7.2f   max %7.2f   (%zu switches)\n", what,
                percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0), percentile(ms, 1), ms.size());
}

/// The buffer the sound server gave the comparison's stream, as pactl reports it.
QString streamLatencies()
{
    QProcess pactl;
    pactl.start(u"pactl"_s, {u"list"_s, u"sink-inputs"_s});
    pactl.waitForFinished(5000);
    QStringList found;
    for (const QString& line : QString::fromLocal8Bit(pactl.readAllStandardOutput()).split(u'\n')) {
        if (line.contains(u"Buffer Latency"_s) || line.contains(u"Sink Latency"_s))
            found << line.trimmed();
    }
    return found.join(u", "_s);
}

/// Runs the event loop until `done` or `seconds` pass.
bool waitFor(const std::function<bool()>& done, double seconds)
{
    const qint64 until = nowNs() + qint64(seconds * 1e9);
    while (!done() && nowNs() < until)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return done();
}

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void measureRound(const QList<ComparePlayer::Slot>& tones, int switches, int bufferMs)
{
    std::printf("\nsink buffer asked for: %d ms\n", bufferMs);
    MonitorTap tap;
    tap.start();
    if (!tap.waitUntilRecording()) {
        std::printf("  parec recorded nothing: is the sound server running?\n");
        return;
    }
    SinkMixOutput* output = nullptr;
    ComparePlayer compare([&output, bufferMs] { return output = new SinkMixOutput(bufferMs); });
    compare.setVolume(100);
    QString error;
    QObject::connect(&compare, &ComparePlayer::failed, &compare, [&](const QString& message) { error = message; });
    if (!compare.start(tones, &error) ||
        !waitFor([&] { return compare.state() == PlayerBackend::State::Playing && compare.position() > 1500; }, 20)) {
        std::printf("  the comparison did not play: %s\n", qPrintable(error));
        return;
    }
    std::printf("  stream: %s\n", qPrintable(streamLatencies()));

    std::vector<Switch> switchesMade;
    std::vector<double> callUs;
    std::mt19937 random(7);
    for (int i = 0; i < switches; ++i) {
        // Uneven gaps, so no switch keeps falling at the same moment of a player's 100 ms position timer.
        waitMs(500 + int(random() % 250));
        const int to = 1 - compare.current();
        const qint64 at = nowNs();
        compare.switchTo(to);
        callUs.push_back(double(nowNs() - at) / 1e3);
        switchesMade.push_back({at, to});
    }
    waitMs(800);
    compare.leave();
    tap.stop();

    std::vector<double> heardMs;
    const std::vector<qint16>& samples = tap.samples();
    const qint64 zero = tap.sampleZeroNs();
    constexpr size_t Window = Rate / 200;                              // 5 ms
    constexpr size_t Hop = Rate / 1000;                                // 1 ms
    const double toneEnergy = std::pow(0.3 * 32767 * Window / 2.0, 2); // a slot's tone in full, Goertzel's measure
    const auto sampleAt = [&](qint64 ns) { return size_t(std::max<qint64>(0, (ns - zero) * Rate / 1'000'000'000)); };
    const auto sounds = [&](size_t at, double hz, double otherHz) {
        const double energy = energyAt(samples, at, Window, hz);
        return energy > 0.25 * toneEnergy && energy > energyAt(samples, at, Window, otherHz);
    };
    const auto present = [&](size_t at, double hz) { return energyAt(samples, at, Window, hz) > 0.1 * toneEnergy; };
    int unmeasured = 0;
    std::vector<double> silentMs, bothMs;
    for (const Switch& s : switchesMade) {
        const double heardHz = s.to == 0 ? LowHz : HighHz, goneHz = s.to == 0 ? HighHz : LowHz;
        const size_t from = sampleAt(s.atNs);
        // Only a switch made while the other tone was heard can be timed.
        if (from < Window || !sounds(from - Window, goneHz, heardHz)) {
            ++unmeasured;
            continue;
        }
        std::optional<double> change;
        int silent = 0, both = 0, longestSilent = 0, longestBoth = 0;
        for (size_t at = from; at + Window < samples.size() && at < from + Rate; at += Hop) {
            const bool gone = present(at, goneHz), heard = present(at, heardHz);
            silent = !gone && !heard ? silent + 1 : 0;
            both = gone && heard ? both + 1 : 0;
            longestSilent = std::max(longestSilent, silent);
            longestBoth = std::max(longestBoth, both);
            if (!change && sounds(at, heardHz, goneHz))
                change = double(at + Window / 2) / Rate * 1e3 - double(s.atNs - zero) / 1e6;
            if (change && !gone && heard && at > from + Rate / 2)
                break;
        }
        if (!change) {
            ++unmeasured;
            continue;
        }
        heardMs.push_back(*change);
        silentMs.push_back(longestSilent);
        bothMs.push_back(longestBoth);
    }
    // Dropouts: 5 ms stretches of the switching, from the first switch to the last, with neither tone.
    int dropouts = 0;
    const size_t first = sampleAt(switchesMade.front().atNs);
    const size_t last = std::min(samples.size(), sampleAt(switchesMade.back().atNs));
    for (size_t at = first; at + Window < last; at += Window) {
        if (energyAt(samples, at, Window, LowHz) + energyAt(samples, at, Window, HighHz) < 0.01 * toneEnergy)
            ++dropouts;
    }

    std::printf("  call     median %7.2f us   p95 %7.2f us   max %7.2f us\n", percentile(callUs, 0.5),
                percentile(callUs, 0.95), percentile(callUs, 1));
    printFigures("heard", heardMs);
    // Windows of 5 ms taken every millisecond: a clean cut from one tone to the other shows as a few milliseconds of
    // both (the windows straddling it), a gap as silence.
    printFigures("silence", silentMs);
    printFigures("both", bothMs);
    if (unmeasured > 0)
        std::printf("  %d switches not timed (the other tone was not heard at the switch, or the new one not within a "
                    "second)\n",
                    unmeasured);
    std::printf("  dropouts while switching: %d of %zu stretches of 5 ms\n", dropouts,
                last > first ? (last - first) / Window : size_t(0));
    if (output->bufferMs() != bufferMs)
        std::printf("  the sink ran dry twice within %d s: its buffer grew to %d ms\n",
                    SinkMixOutput::UnderrunWindowMs / 1000, output->bufferMs());
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments().mid(1);
    const int switches = arguments.isEmpty() ? 20 : std::max(2, arguments.constFirst().toInt());
    QList<int> buffers = {SinkMixOutput::DefaultBufferMs, 40, 80};
    if (arguments.size() > 1) {
        buffers.clear();
        for (const QString& ms : arguments.mid(1))
            buffers << ms.toInt();
    }

    if (const QString missing = PulseNullSink::missingTools(); !missing.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(missing));
        return 1;
    }
    PulseNullSink sound;
    QString why;
    if (!sound.start(&why)) {
        std::fprintf(stderr, "%s\n", qPrintable(why));
        return 1;
    }
    QTemporaryDir dir;
    QList<ComparePlayer::Slot> tones;
    for (const double hz : {LowHz, HighHz}) {
        std::vector<qint16> samples(size_t(60 * Rate));
        for (size_t i = 0; i < samples.size(); ++i)
            samples[i] = qint16(std::lround(0.3 * 32767 * std::sin(2 * M_PI * hz * double(i) / Rate)));
        const QString path = dir.filePath(u"%1.wav"_s.arg(hz));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(TestAudio::pcmWav(samples, Rate)) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
            return 1;
        }
        tones << ComparePlayer::Slot{u"%1 Hz"_s.arg(hz), path, std::nullopt};
    }

    // What a comparison costs before it plays: four 30 s takes read and decoded, first all at 32 kHz mono as Segmind
    // and the offline engine make them, then with one at 44.1 kHz stereo, so all four are resampled to 44.1 kHz.
    for (const bool mixedRates : {false, true}) {
        QStringList four;
        for (int i = 0; i < 4; ++i) {
            const bool other = mixedRates && i == 3;
            const QString path = dir.filePath(u"take%1-%2.wav"_s.arg(i).arg(other));
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly) ||
                file.write(TestAudio::sineWav(30, other ? 44100 : 32000, other ? 2 : 1)) < 0) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
                return 1;
            }
            four << path;
        }
        std::vector<double> decodeMs;
        size_t bytes = 0;
        for (int run = 0; run < 5; ++run) {
            const qint64 at = nowNs();
            const ComparePlayer::Decoded decoded = ComparePlayer::decode(four);
            decodeMs.push_back(double(nowNs() - at) / 1e6);
            bytes = 0;
            for (const std::vector<float>& track : decoded.tracks)
                bytes += track.size() * sizeof(float);
        }
        std::printf("four 30 s takes decoded for a comparison (%s): median %.0f ms, slowest %.0f ms of 5; %.1f MB of "
                    "samples held while comparing\n",
                    mixedRates ? "three 32 kHz mono, one 44.1 kHz stereo: all resampled" : "32 kHz mono",
                    percentile(decodeMs, 0.5), percentile(decodeMs, 1), double(bytes) / 1e6);
    }
    std::printf("\n");

    std::printf("compare switch latency: %d switches between a 440 Hz and an 880 Hz slot per round, into a "
                "PulseAudio null sink\n",
                switches);
    for (const int ms : buffers)
        measureRound(tones, switches, ms);
    return 0;
}
