// Tempo, key and loudness analysis: how fast (median of N runs of a whole 30 s take on one core, and the real-time
// factor), how accurate on a labelled set (drum patterns at known tempi, progressions in all 24 keys and sketch-engine
// takes, 2-30 s long, with the kinds of mistakes made), and how close the loudness is to ffmpeg's ebur128 filter.
// It prints figures; it never fails on time or accuracy.
//
//   bench-analysis [runs] [--misses]      --misses lists every clip read wrongly
#include "FfmpegMeter.h"
#include "LabelledMaterial.h"
#include "analysis/Analyser.h"
#include "engine/SketchEngine.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

double cpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

/// The median of `runs` runs of `work`, in milliseconds of this thread's CPU time: what one core spends, however busy
/// the machine is with other work.
double medianMs(int runs, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int run = 0; run < runs; ++run) {
        const double start = cpuMs();
        work();
        ms.push_back(cpuMs() - start);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void speed(int runs)
{
    const material::Clip mono = material::sketch("lo-fi hip hop with a soothing piano and drums", 30, 7);
    const material::Clip stereo = material::stereoAt(mono, 48000);
    std::printf("Speed: median CPU time of %d runs on one core\n", runs);
    std::printf("  %-28s %9s %9s %9s %9s %12s\n", "clip", "tempo ms", "key ms", "loud ms", "all ms", "x real time");
    for (const material::Clip* clip : {&mono, &stereo}) {
        std::vector<float> downmix(clip->frames());
        for (std::size_t i = 0; i < downmix.size(); ++i) {
            float sum = 0;
            for (int c = 0; c < clip->channels; ++c)
                sum += clip->samples[i * std::size_t(clip->channels) + std::size_t(c)];
            downmix[i] = sum / float(clip->channels);
        }
        const double tempoMs = medianMs(runs, [&] {
            const auto tempo = analysis::detectTempo(downmix.data(), downmix.size(), clip->sampleRate);
            if (tempo.bpm < 0)
                std::puts("?");
        });
        const double keyMs = medianMs(runs, [&] {
            const auto key = analysis::detectKey(downmix.data(), downmix.size(), clip->sampleRate);
            if (key.root > 11)
                std::puts("?");
        });
        const double loudnessMs = medianMs(runs, [&] {
            const auto loudness =
                analysis::measureLoudness(clip->samples.data(), clip->frames(), clip->channels, clip->sampleRate);
            if (loudness.integratedLufs > 100)
                std::puts("?");
        });
        const double allMs = medianMs(runs, [&] {
            const auto result =
                analysis::analyse(clip->samples.data(), clip->frames(), clip->channels, clip->sampleRate);
            if (result.tempo.bpm < 0)
                std::puts("?");
        });
        char label[64];
        std::snprintf(label, sizeof label, "30 s, %d Hz, %s", clip->sampleRate,
                      clip->channels == 1 ? "mono" : "stereo");
        std::printf("  %-28s %9.1f %9.1f %9.1f %9.1f %11.0fx\n", label, tempoMs, keyMs, loudnessMs, allMs,
                    clip->seconds() / (allMs / 1000));
    }
}

std::string tempoVerdict(double found, double truth)
{
    if (found <= 0)
        return "no answer";
    if (std::abs(found - truth) <= 1)
        return "correct";
    const std::pair<double, const char*> ratios[] = {{2, "x2"}, {0.5, "/2"},     {1.5, "x1.5"}, {2.0 / 3, "x2/3"},
                                                     {3, "x3"}, {1.0 / 3, "/3"}, {4, "x4"},     {0.25, "/4"}};
    for (const auto& [ratio, name] : ratios) {
        if (std::abs(found / truth / ratio - 1) < 0.02)
            return name;
    }
    return std::abs(found / truth - 1) < 0.02 ? "within 2 % but not 1 BPM" : "other";
}

std::string keyVerdict(const analysis::Key& found, int root, bool minor)
{
    if (found.root < 0)
        return "no answer";
    if (found.root == root && found.minor == minor)
        return "correct";
    if (found.minor != minor && found.root == (minor ? (root + 3) % 12 : (root + 9) % 12))
        return "relative";
    if (found.minor == minor && (found.root == (root + 7) % 12 || found.root == (root + 5) % 12))
        return "fifth";
    if (found.root == root)
        return "parallel";
    return "other";
}

struct Tally
{
    int total = 0;
    int correct = 0;
    std::map<std::string, int> verdicts;

    void add(const std::string& verdict)
    {
        ++total;
        correct += verdict == "correct";
        ++verdicts[verdict];
    }
    void print(const char* what) const
    {
        if (total == 0)
            return;
        const auto unanswered = verdicts.count("no answer") ? verdicts.at("no answer") : 0;
        std::printf("  %-30s %4d/%-4d %5.1f %% (%5.1f %% of answers)", what, correct, total, 100.0 * correct / total,
                    total > unanswered ? 100.0 * correct / (total - unanswered) : 0.0);
        for (const auto& [verdict, count] : verdicts) {
            if (verdict != "correct")
                std::printf("   %s %d", verdict.c_str(), count);
        }
        std::printf("\n");
    }
};

std::string kindOf(const material::Clip& clip)
{
    if (clip.name.front() == '"')
        return clip.drums ? "sketch takes with drums" : "sketch takes without drums";
    return clip.keyRoot >= 0 ? "progressions" : "drum patterns";
}

/// "2-4 s", "5-8 s", "10-15 s", "20-30 s": accuracy depends on how much of the music a clip holds.
std::string lengthOf(const material::Clip& clip)
{
    const double seconds = clip.seconds();
    return seconds < 4.5 ? " 2-4 s" : seconds < 9 ? " 5-8 s" : seconds < 17 ? "10-15 s" : "20-30 s";
}

void accuracy(const std::vector<material::Clip>& set, bool listMisses)
{
    std::map<std::string, Tally> tempo;
    std::map<std::string, Tally> tempoByLength;
    std::map<std::string, Tally> key;
    std::map<std::string, Tally> keyByLength;
    std::map<std::string, Tally> downbeat;
    Tally tempoAll;
    Tally keyAll;
    Tally downbeatAll;
    std::vector<std::string> misses;
    for (const material::Clip& clip : set) {
        const analysis::Result result =
            analysis::analyse(clip.samples.data(), clip.frames(), clip.channels, clip.sampleRate, clip.prior);
        const std::string kind = kindOf(clip);
        char line[512];
        if (clip.bpm > 0) {
            const std::string verdict = tempoVerdict(result.tempo.bpm, clip.bpm);
            tempo[kind].add(verdict);
            // Without drums a sketch has no beat to tap to: reported, not counted in the totals.
            if (clip.drums) {
                tempoAll.add(verdict);
                tempoByLength[lengthOf(clip)].add(verdict);
            }
            if (verdict != "correct") {
                std::snprintf(line, sizeof line, "tempo %-70s found %6.2f (%s) %s", clip.name.c_str(), result.tempo.bpm,
                              verdict.c_str(), result.tempo.reason.c_str());
                misses.emplace_back(line);
            }
            if (verdict == "correct" && clip.firstDownbeat >= 0) {
                const double bar = 4 * result.tempo.beatPeriodSeconds;
                double off = std::fmod(result.tempo.firstDownbeatSeconds - clip.firstDownbeat, bar);
                off = std::min(std::abs(off), bar - std::abs(off));
                const std::string beat =
                    off <= 0.05     ? "correct"
                    : off < bar / 8 ? "off by under half a beat"
                                    : "off by " + std::to_string(int(std::lround(off / (bar / 4)))) + " beat(s)";
                downbeat[kind].add(beat);
                downbeatAll.add(beat);
                if (beat != "correct") {
                    std::snprintf(line, sizeof line, "downbeat %-67s found %.3f s, truth %.3f s", clip.name.c_str(),
                                  result.tempo.firstDownbeatSeconds, clip.firstDownbeat);
                    misses.emplace_back(line);
                }
            }
        }
        if (clip.keyRoot >= 0) {
            const std::string verdict = keyVerdict(result.key, clip.keyRoot, clip.minor);
            key[kind].add(verdict);
            keyByLength[lengthOf(clip)].add(verdict);
            keyAll.add(verdict);
            if (verdict != "correct") {
                const std::string found =
                    result.key.root < 0 ? result.key.reason : engine::keyName(result.key.root, result.key.minor);
                std::snprintf(line, sizeof line, "key   %-70s found %s (%s, confidence %.2f)", clip.name.c_str(),
                              found.c_str(), verdict.c_str(), result.key.confidence);
                misses.emplace_back(line);
            }
        }
    }
    std::printf("  %zu clips, 2-30 s\n", set.size());
    std::printf("  Tempo within +-1 BPM\n");
    for (const auto& [kind, tally] : tempo)
        tally.print(kind.c_str());
    for (const auto& [length, tally] : tempoByLength)
        tally.print(("with drums, " + length).c_str());
    tempoAll.print("all with drums");
    std::printf("  Key exact\n");
    for (const auto& [kind, tally] : key)
        tally.print(kind.c_str());
    for (const auto& [length, tally] : keyByLength)
        tally.print(length.c_str());
    keyAll.print("all");
    std::printf("  Downbeat within 50 ms (where the tempo is right)\n");
    for (const auto& [kind, tally] : downbeat)
        tally.print(kind.c_str());
    downbeatAll.print("all");
    if (listMisses) {
        std::printf("\nMisses\n");
        for (const std::string& miss : misses)
            std::printf("  %s\n", miss.c_str());
    }
}

void loudness()
{
    char folder[] = "/tmp/bench-analysis-XXXXXX";
    if (mkdtemp(folder) == nullptr) {
        std::printf("\nLoudness: no temporary folder\n");
        return;
    }
    std::vector<material::Clip> clips = {
        material::sketch("lo-fi hip hop with a soothing piano", 20, 1),
        material::sketch("techno at 128 bpm", 10, 2),
        material::sketch("sad piano in A minor", 12, 3),
        material::sketch("epic cinematic orchestral", 30, 4),
        material::sketch("synthwave", 2, 5),
        material::drums(material::Groove::Rock, 100, 0, 8),
        material::chords(2, true, material::Progression::Cadence, 10),
    };
    clips.push_back(material::stereoAt(clips[0], 48000));
    clips.push_back(material::stereoAt(clips[5], 44100));
    std::printf("\nLoudness against ffmpeg's ebur128 filter (peak=true)\n");
    std::printf("  %-72s %9s %9s %7s %9s %9s %7s\n", "clip", "LUFS", "ffmpeg", "diff", "dBTP", "ffmpeg", "diff");
    double worstLoudness = 0;
    double worstPeak = 0;
    int index = 0;
    for (const material::Clip& clip : clips) {
        const std::string path = std::string(folder) + "/clip" + std::to_string(index++) + ".wav";
        const analysis::Loudness ours =
            analysis::measureLoudness(clip.samples.data(), clip.frames(), clip.channels, clip.sampleRate);
        std::string why = "the clip could not be written";
        std::optional<ffmpeg::Loudness> theirs;
        if (material::writeFloatWav(clip, path))
            theirs = ffmpeg::measure(path, &why);
        std::remove(path.c_str());
        const std::string label = clip.name + (clip.channels == 2 ? ", stereo " : ", mono ") +
                                  std::to_string(clip.sampleRate / 1000) + " kHz";
        if (!theirs) {
            std::printf("  %-72s %s\n", label.substr(0, 72).c_str(), why.c_str());
            continue;
        }
        const double dl = ours.integratedLufs - theirs->integrated;
        const double dp = ours.truePeakDbtp - theirs->truePeak;
        worstLoudness = std::max(worstLoudness, std::abs(dl));
        worstPeak = std::max(worstPeak, std::abs(dp));
        std::printf("  %-72s %9.3f %9.3f %+7.3f %9.2f %9.1f %+7.2f\n", label.substr(0, 72).c_str(), ours.integratedLufs,
                    theirs->integrated, dl, ours.truePeakDbtp, theirs->truePeak, dp);
    }
    rmdir(folder);
    std::printf("  max |difference|: %.3f LU integrated, %.2f dB true peak (ffmpeg prints the peak to 0.1 dB)\n",
                worstLoudness, worstPeak);
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 9;
    bool listMisses = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--misses") == 0)
            listMisses = true;
        else
            runs = std::max(1, std::atoi(argv[i]));
    }
    speed(runs);
    std::printf("\nAccuracy on the labelled set (what the detectors were tuned on)\n");
    accuracy(material::labelledSet(), listMisses);
    std::printf("\nAccuracy on the held-out set (other tempi, lengths and seeds; never tuned on)\n");
    accuracy(material::heldOutSet(), listMisses);
    loudness();
    return 0;
}
