// The studio window's responsiveness, measured on the real window with the real player:
//  1. latency from the last byte of a take's HTTP reply to QMediaPlayer reaching PlayingState (target 50 ms);
//  2. the longest stall of the UI event loop while four takes download in parallel, are stored, loaded into the
//     player and have their waveforms computed (target 16 ms, one frame at 60 Hz).
// Prints figures and ratios; never fails on time. Sound goes to a private PulseAudio null sink when
// pulseaudio is installed (as in the end-to-end test), so no sound card is needed.
#include "ScriptedHttpServer.h"
#include "generation/GenerationService.h"
#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "library/HistoryModel.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include "engine/SketchEngine.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

bool waitFor(const std::function<bool()>& condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

/// A private PulseAudio server with a null sink, so QMediaPlayer has somewhere to play.
std::unique_ptr<QProcess> startSoundServer(const QString& runtime)
{
    if (QStandardPaths::findExecutable(u"pulseaudio"_s).isEmpty())
        return nullptr;
    qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
    qputenv("PULSE_RUNTIME_PATH", (runtime + u"/pulse"_s).toUtf8());
    qputenv("PULSE_SERVER", (u"unix:"_s + runtime + u"/pulse/native"_s).toUtf8());
    auto pulse = std::make_unique<QProcess>();
    pulse->start(u"pulseaudio"_s,
                 {u"--daemonize=no"_s, u"-n"_s, u"--exit-idle-time=-1"_s, u"--use-pid-file=no"_s,
                  u"--load=module-null-sink sink_name=null"_s, u"--load=module-native-protocol-unix"_s});
    waitFor([&] { return QFile::exists(runtime + u"/pulse/native"_s); }, 10000);
    return pulse;
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;
    const auto pulse = startSoundServer(home.filePath(u"runtime"_s));
    QApplication app(argc, argv);

    // A real 10-second take from the offline engine, served over loopback like Segmind would.
    const std::vector<std::uint8_t> wav = engine::renderWav({"lo-fi hip hop with a soothing piano, 80 bpm", 10, 7});
    const QByteArray clip(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
    ScriptedHttpServer server;
    server.listen();
    ScriptedResponse drip = ScriptedResponse::audio(clip).withBehaviour(ScriptedResponse::Behaviour::Drip);
    drip.dripChunkBytes = 32 * 1024; // about 1.2 s per take, like a real download
    drip.dripIntervalMs = 60;
    server.setFallback(drip);

    {
        Settings settings(home.filePath(u"settings.ini"_s));
        settings.setProvider(Settings::ProviderChoice::CustomEndpoint);
        settings.setCustomApiBase(QUrl(server.baseUrl().toString() + u"/v1"_s));
        settings.setAutoPlay(true);
        settings.sync();
    }
    Studio studio({home.filePath(u"data"_s), home.filePath(u"settings.ini"_s)}, std::make_unique<MediaPlayerBackend>());
    MainWindow window(studio.windowParts());
    window.show();
    auto* prompt = window.findChild<QPlainTextEdit*>(u"promptEdit"_s);
    auto* takes = window.findChild<QSpinBox*>(u"takesSpin"_s);
    auto* generate = window.findChild<QPushButton*>(u"generateButton"_s);
    prompt->setPlainText(u"lo-fi hip hop with a soothing piano, 80 bpm"_s);

    QElapsedTimer clock;
    clock.start();
    qint64 lastByteAt = -1;
    QObject::connect(&server, &ScriptedHttpServer::responseSent, &server, [&] { lastByteAt = clock.elapsed(); });

    // 1. Last byte to PlayingState, one take at a time.
    QList<double> latencies;
    for (int round = 0; round < 7; ++round) {
        studio.player().stop();
        waitFor([&] { return studio.player().state() != PlayerBackend::State::Playing; }, 5000);
        lastByteAt = -1;
        qint64 playingAt = -1;
        const auto connection =
            QObject::connect(&studio.player(), &Player::stateChanged, &app, [&](PlayerBackend::State state) {
                if (state == PlayerBackend::State::Playing && playingAt < 0)
                    playingAt = clock.elapsed();
            });
        takes->setValue(1);
        generate->click();
        if (!waitFor([&] { return playingAt >= 0 && lastByteAt >= 0; }, 30000)) {
            std::fprintf(stderr, "round %d: the take did not start playing (is there a sound server?)\n", round);
            QObject::disconnect(connection);
            continue;
        }
        QObject::disconnect(connection);
        latencies.append(double(playingAt - lastByteAt));
    }

    // 2. Event-loop stalls while four takes download, are stored and drawn.
    studio.player().stop();
    qint64 previousTick = clock.elapsed(), longestStall = 0;
    QList<double> gaps;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed();
        longestStall = std::max(longestStall, now - previousTick);
        gaps.append(double(now - previousTick));
        previousTick = now;
    });
    const int before = window.historyModel()->rowCount();
    takes->setValue(4);
    previousTick = clock.elapsed();
    ticker.start();
    generate->click();
    const bool done = waitFor([&] { return window.historyModel()->rowCount() >= before + 4; }, 60000);
    waitFor([] { return false; }, 1500); // the last take's waveform and playback start
    ticker.stop();
    std::sort(gaps.begin(), gaps.end());

    const double latency = median(latencies);
    std::printf("studio window, 10 s takes over loopback HTTP (%s)\n",
                pulse ? "PulseAudio null sink" : "no sound server: playback may not start");
    std::printf(
        "  last byte -> PlayingState: median %.1f ms over %lld takes (min %.1f, max %.1f)  target 50 ms  ratio %.2f\n",
        latency, qlonglong(latencies.size()),
        latencies.isEmpty() ? 0.0 : *std::min_element(latencies.begin(), latencies.end()),
        latencies.isEmpty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()), latency / 50.0);
    std::printf("  UI event loop while 4 takes download, store and draw: longest stall %lld ms, p99 %.1f ms  "
                "target 16 ms  ratio %.2f%s\n",
                qlonglong(longestStall), gaps.isEmpty() ? 0.0 : gaps.at(qsizetype(gaps.size() * 0.99)),
                double(longestStall) / 16.0, done ? "" : "  (not all takes arrived)");
    if (pulse) {
        pulse->terminate();
        pulse->waitForFinished(3000);
    }
    return 0;
}
