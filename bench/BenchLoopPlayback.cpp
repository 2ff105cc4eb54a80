// Loop-wrap continuity as heard: four-bar loops cut from sketch-engine takes (AudioLoop::cut), played round and round
// by the app's player (QMediaPlayer on GStreamer) into a private PulseAudio null sink and recorded with parec. Each
// wrap is found where the loop's head is heard (HeardLoop) and measured: the time between one lap's end and the next
// head (gap), the step and bend across it against the recording's own 99th percentile (score, the criterion bench-loop
// uses on the samples; above 1 is a click) and how quiet it gets there against the loop's own wrap (quietest; near 0
// is a gap of silence). Two ways of looping: the player's seamless loop (Player::playLoop, one endless stream) and the
// loop's file restarted at its end (Player::setLoop, the whole-take loop). Plays in real time (about three minutes);
// prints figures, never fails.
//
//   bench-loop-playback [laps]      laps of the seamless loop per take (default 4; the restarted loop plays 2)
#include "HeardLoop.h"
#include "LabelledMaterial.h"
#include "PulseNullSink.h"
#include "RecordPlayback.h"
#include "audio/AudioLoop.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

struct Loop
{
    QByteArray wav;
    std::vector<float> samples; ///< as the file holds them
    int sampleRate = 0;
    double seconds = 0;
    qint64 offsetMs = 0;
};

struct Figures
{
    std::vector<double> gapsMs, scores, quietest;
    std::size_t wraps = 0, seamless = 0;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double worst(const std::vector<double>& values, bool lowest = false)
{
    if (values.empty())
        return 0;
    return lowest ? *std::min_element(values.begin(), values.end()) : *std::max_element(values.begin(), values.end());
}

std::optional<Loop> cutLoop(const material::Clip& clip)
{
    const AudioLoop::Bars bars{clip.bpm, clip.firstDownbeat, 4, 1};
    const auto loop = AudioLoop::cut({clip.samples, clip.sampleRate, clip.channels}, bars);
    const auto wav = loop ? AudioLoop::toWav(*loop, {bars.bpm, bars.beats(), {}}) : std::nullopt;
    const auto heard = wav ? AudioCodec::decode(*wav) : std::nullopt;
    if (!heard)
        return std::nullopt;
    const AudioLoop::Span span = AudioLoop::span(bars, clip.sampleRate);
    return Loop{*wav, heard->samples, clip.sampleRate, double(span.frames) / clip.sampleRate,
                span.first * 1000 / clip.sampleRate};
}

/// Plays `loop` for `laps` laps (seamlessly, or its file restarted at its end) and adds what was heard to `figures`.
void listen(const Loop& loop, bool seamless, int laps, const QTemporaryDir& dir, Figures* figures)
{
    Player player(new MediaPlayerBackend);
    const QString loopPath = dir.filePath(u"loop.wav"_s);
    QFile file(loopPath);
    if (!seamless && !(file.open(QIODevice::WriteOnly) && file.write(loop.wav) == loop.wav.size() && file.flush())) {
        std::printf("    the loop's file could not be written: %s\n", qPrintable(file.errorString()));
        return;
    }
    const auto play = [&] {
        if (seamless) {
            QString why;
            if (!player.playLoop(loop.wav, loop.offsetMs, &why))
                std::printf("    %s\n", qPrintable(why));
        } else {
            player.setLoop(true);
            player.load(u"loop"_s, loopPath, true);
        }
    };
    QString why;
    const auto heard = recordPlayback(
        dir.filePath(u"heard.wav"_s), loop.sampleRate, play, laps * loop.seconds + 1.5, [] { return true; }, &why);
    if (!heard) {
        std::printf("    not recorded: %s\n", qPrintable(why));
        return;
    }
    const HeardLoop::Heard found = HeardLoop::listen(*heard, loop.samples, loop.sampleRate);
    std::printf("    %-10s %zu laps heard:", seamless ? "seamless" : "restarted", found.heads.size());
    for (const HeardLoop::Wrap& wrap : found.wraps) {
        std::printf(" [gap %.2f ms, score %.2f, quietest %.2f]", wrap.gapMs, wrap.score, wrap.quiet);
        figures->gapsMs.push_back(std::abs(wrap.gapMs));
        figures->scores.push_back(wrap.score);
        figures->quietest.push_back(wrap.quiet);
        ++figures->wraps;
        figures->seamless += wrap.isSeamless(loop.sampleRate) ? 1 : 0;
    }
    std::printf("\n");
}

void summarise(const char* how, const Figures& figures)
{
    std::printf("  %-10s %3zu wraps, %3zu heard seamless; |gap| median %.2f ms (worst %.2f); score median %.2f (worst "
                "%.2f); quietest median %.2f (lowest %.2f)\n",
                how, figures.wraps, figures.seamless, median(figures.gapsMs), worst(figures.gapsMs),
                median(figures.scores), worst(figures.scores), median(figures.quietest), worst(figures.quietest, true));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int laps = argc > 1 ? std::max(2, std::atoi(argv[1])) : 4;
    PulseNullSink sound;
    QString why;
    if (!sound.start(&why)) {
        std::printf("No sound server to play into: %s\n", qPrintable(why));
        return 0;
    }
    QTemporaryDir dir;
    std::printf(
        "Loop wraps as heard through the player, four bars from bar 1: gap between laps, step score at the wrap "
        "(above 1 is a click), quietest 2 ms there against the loop's own (near 0 is silence)\n\n");
    Figures seamless, restarted;
    for (const auto& [prompt, seed] : {std::pair{"drum and bass at 174 bpm in E minor", 5U},
                                       std::pair{"house at 124 bpm in A minor with piano and pads", 3U},
                                       std::pair{"synthwave with bass and lead at 100 bpm", 11U}}) {
        const material::Clip clip = material::sketch(prompt, 30, seed);
        const std::optional<Loop> loop = cutLoop(clip);
        if (!loop) {
            std::printf("  %s: no loop cut\n", clip.name.c_str());
            continue;
        }
        std::printf("  %s: loop of %.2f s, its own wrap scoring %.2f on its samples\n", clip.name.c_str(),
                    loop->seconds, LoopWrap::measure(loop->samples, 1).score());
        listen(*loop, true, laps, dir, &seamless);
        listen(*loop, false, 2, dir, &restarted);
    }
    std::printf("\n");
    summarise("seamless", seamless);
    summarise("restarted", restarted);
    return 0;
}
