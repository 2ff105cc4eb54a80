#include "analysis/TempoDetector.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace analysis {

namespace {

constexpr double MinBpm = 40;
constexpr double MaxBpm = 240;
constexpr double BpmStep = 0.25;
/// Listeners tap most readily near 120 BPM, or near the usual tempo of the genre the prompt names; a log-Gaussian this
/// wide (in octaves) around it breaks ties between octaves.
constexpr double PreferredBpm = 120;
constexpr double PreferenceOctaves = 1.5;
/// A genre's tempi sit within about a third of an octave (drum and bass 170-176, lo-fi 70-88), so its preference is
/// narrower: it settles the octave without pulling a reading off its own tempo.
constexpr double GenrePreferenceOctaves = 0.5;
/// The prompt's tempo, when it names one, lifts the readings within a few percent of it.
constexpr double PriorOctaves = 0.04;
constexpr double PriorWeight = 1.0;
/// Less than this (about the 2 s of the shortest takes musicians keep), or fewer beats than MinBeats at the tempo
/// found, is not evidence of a tempo. Two and a half beats hold two whole intervals between onsets, enough to show a
/// period repeating, and leave room for the clip not to start on a beat; asking for three left a 2 s clip at 84 BPM
/// with only its double tempo to choose from (on the labelled and held-out sets, 2.25–2.5 beats read the most tempi
/// right; 3 and 1.75 fewer).
constexpr double MinSeconds = 1.9;
constexpr double MinBeats = 2.5;
/// Below this normalised autocorrelation at the beat period the onsets have no steady pulse.
constexpr double MinClarity = 0.08;
constexpr double BeatsPerBar = 4;
/// Onset frames per second: fine enough to place beats within a few milliseconds once fitted over a clip.
constexpr double FramesPerSecond = 86;

struct Onsets
{
    std::vector<float> all;  ///< every band, each normalised, local mean removed, half-wave rectified
    std::vector<float> low;  ///< the kick band alone
    std::vector<float> body; ///< the band of snares, claps and chord attacks
    /// Pitch classes sounding in each frame (200 Hz-2 kHz), for where the chords change.
    std::vector<std::array<float, 12>> pitch;
    int firstSound = 0; ///< the first frame at a tenth of the loudest frame's level: where the music starts
    double fps = 0;
};

/// The natural logarithm of x >= 1 to within 1e-4, from the float's exponent and a polynomial of its mantissa: the
/// onset strength takes a million logarithms for 30 s, and std::log would be a third of the whole analysis.
float fastLog(float x)
{
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const auto exponent = float(int((bits >> 23) & 0xffU) - 127);
    const float m = std::bit_cast<float>((bits & 0x007fffffU) | 0x3f800000U); // 1 <= m < 2
    return 0.69314718F * exponent +
           (-1.7417939F + (2.8212026F + (-1.4699568F + (0.44717955F - 0.056570851F * m) * m) * m) * m);
}

/// How much `now` rises above `before` over [from, to), summed; in eight running sums the compiler can vectorise.
float rise(const float* now, const float* before, int from, int to)
{
    float lanes[8] = {};
    int k = from;
    for (; k + 8 <= to; k += 8) {
        for (int lane = 0; lane < 8; ++lane)
            lanes[lane] += std::max(0.0F, now[k + lane] - before[k + lane]);
    }
    float sum = 0;
    for (; k < to; ++k)
        sum += std::max(0.0F, now[k] - before[k]);
    for (const float lane : lanes)
        sum += lane;
    return sum;
}

/// Removes the local mean (over about half a second) and keeps what rises above it.
void detrend(std::vector<float>& values, int halfWidth)
{
    const auto n = std::ptrdiff_t(values.size());
    std::vector<double> prefix(values.size() + 1, 0.0);
    for (std::ptrdiff_t i = 0; i < n; ++i)
        prefix[std::size_t(i + 1)] = prefix[std::size_t(i)] + values[std::size_t(i)];
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const std::ptrdiff_t from = std::max<std::ptrdiff_t>(0, i - halfWidth);
        const std::ptrdiff_t to = std::min(n, i + halfWidth + 1);
        const double mean = (prefix[std::size_t(to)] - prefix[std::size_t(from)]) / double(to - from);
        values[std::size_t(i)] = float(std::max(0.0, values[std::size_t(i)] - mean));
    }
}

Onsets onsetStrength(const Spectrogram& spectra)
{
    Onsets onsets;
    onsets.fps = spectra.frameRate();
    const int frames = spectra.frames();
    const int bins = spectra.bins();
    // Kick, body and air: each band counts alike, so loud bass does not drown the hats nor hats the kick.
    const double edgesHz[] = {30, 150, 4000, 1e9};
    constexpr int Bands = 3;
    int edges[Bands + 1];
    for (int b = 0; b <= Bands; ++b)
        edges[b] = std::clamp(int(std::lround(edgesHz[b] / spectra.binHz())), 1, bins);
    std::vector<float> flux[Bands];
    for (auto& band : flux)
        band.assign(std::size_t(frames), 0.0F);
    std::vector<float> plain[2];
    for (auto& band : plain)
        band.assign(std::size_t(frames), 0.0F);
    std::vector<float> previous(std::size_t(bins), 0.0F);
    std::vector<float> current(std::size_t(bins), 0.0F);
    constexpr float Compression = 1000.0F;
    const int pitchFrom = std::clamp(int(std::lround(200 / spectra.binHz())), 1, bins);
    const int pitchTo = std::clamp(int(std::lround(2000 / spectra.binHz())), pitchFrom, bins);
    std::vector<int> pitchClass(std::size_t(bins), 0);
    for (int k = pitchFrom; k < pitchTo; ++k)
        pitchClass[std::size_t(k)] = (int(std::lround(69 + 12 * std::log2(k * spectra.binHz() / 440))) % 12 + 12) % 12;
    onsets.pitch.assign(std::size_t(frames), {});
    std::vector<float> level(std::size_t(frames), 0.0F);
    for (int f = 0; f < frames; ++f) {
        const float* magnitudes = spectra.frame(f);
        level[std::size_t(f)] = std::accumulate(magnitudes, magnitudes + bins, 0.0F);
        for (int k = pitchFrom; k < pitchTo; ++k)
            onsets.pitch[std::size_t(f)][std::size_t(pitchClass[std::size_t(k)])] += magnitudes[k];
        for (int k = edges[0]; k < edges[Bands]; ++k)
            current[std::size_t(k)] = fastLog(1 + Compression * magnitudes[k]);
        if (f > 0) {
            for (int b = 0; b < Bands; ++b)
                flux[b][std::size_t(f)] = rise(current.data(), previous.data(), edges[b], edges[b + 1]);
            // Without compression, so a kick stands out in the low band and a snare in the body band.
            const float* before = spectra.frame(f - 1);
            plain[0][std::size_t(f)] = rise(magnitudes, before, edges[0], edges[1]);
            plain[1][std::size_t(f)] = rise(magnitudes, before, edges[1], edges[2]);
        }
        std::swap(previous, current);
    }
    const int halfWidth = std::max(1, int(std::lround(0.25 * onsets.fps)));
    const auto normalise = [&](std::vector<float>& band) {
        const double mean = std::accumulate(band.begin(), band.end(), 0.0) / std::max(1, frames);
        for (float& value : band)
            value = mean > 1e-9 ? float(value / mean) : 0.0F;
        detrend(band, halfWidth);
    };
    for (auto& band : flux)
        normalise(band);
    for (auto& band : plain)
        normalise(band);
    const float loudest = frames > 0 ? *std::max_element(level.begin(), level.end()) : 0.0F;
    onsets.firstSound =
        int(std::find_if(level.begin(), level.end(), [&](float l) { return l >= 0.1F * loudest; }) - level.begin());
    onsets.all.assign(std::size_t(frames), 0.0F);
    for (int f = 0; f < frames; ++f)
        onsets.all[std::size_t(f)] = flux[0][std::size_t(f)] + flux[1][std::size_t(f)] + flux[2][std::size_t(f)];
    onsets.low = std::move(plain[0]);
    onsets.body = std::move(plain[1]);
    return onsets;
}

/// Autocorrelation of `x` for lags 0..maxLag, each lag averaged over the products it has.
std::vector<double> autocorrelation(const std::vector<float>& x, int maxLag)
{
    const auto n = int(x.size());
    std::vector<double> r(std::size_t(maxLag + 1), 0.0);
    for (int lag = 0; lag <= maxLag && lag < n; ++lag) {
        double sum = 0;
        for (int i = 0; i + lag < n; ++i)
            sum += double(x[std::size_t(i)]) * x[std::size_t(i + lag)];
        r[std::size_t(lag)] = sum / (n - lag);
    }
    return r;
}

double interpolate(const std::vector<double>& values, double at)
{
    if (at <= 0)
        return values.front();
    const auto i = std::size_t(at);
    if (i + 1 >= values.size())
        return values.back();
    const double t = at - double(i);
    return values[i] * (1 - t) + values[i + 1] * t;
}

double interpolate(const std::vector<float>& values, double at)
{
    if (at < 0)
        return 0;
    const auto i = std::size_t(at);
    if (i + 1 >= values.size())
        return i < values.size() ? values[i] : 0.0;
    const double t = at - double(i);
    return values[i] * (1 - t) + values[i + 1] * t;
}

/// How much more likely a tempo is before hearing anything: the preference around 120 (or the genre's usual tempo) and
/// the prompt's tempo.
double tempoWeight(double bpm, const Prior& prior)
{
    const double preferred = prior.usualBpm > 0 ? prior.usualBpm : PreferredBpm;
    const double fromPreferred =
        std::log2(bpm / preferred) / (prior.usualBpm > 0 ? GenrePreferenceOctaves : PreferenceOctaves);
    double weight = std::exp(-0.5 * fromPreferred * fromPreferred);
    if (prior.bpm > 0) {
        const double fromPrior = std::log2(bpm / prior.bpm) / PriorOctaves;
        weight *= 1 + PriorWeight * std::exp(-0.5 * fromPrior * fromPrior);
    }
    return weight;
}

struct Grid
{
    double period = 0; ///< frames per beat
    double phase = 0;  ///< frame of the first beat, 0 <= phase < period
    double score = 0;
};

/// The beat period within `spread` (a fraction) of `period` and the phase whose grid gathers the most onset strength
/// over the whole clip, searched in `periodStep` fractions of the period and `phaseStep` frames.
Grid fitGrid(const std::vector<float>& smoothed, double period, double spread, double periodStep, double phaseStep)
{
    Grid best;
    const double length = double(smoothed.size());
    const int steps = int(std::lround(spread / periodStep));
    for (int step = -steps; step <= steps; ++step) {
        const double p = period * (1 + step * periodStep);
        if (p >= length)
            continue;
        for (double phase = 0; phase < p; phase += phaseStep) {
            double sum = 0;
            int beats = 0;
            for (double t = phase; t < length; t += p, ++beats)
                sum += interpolate(smoothed, t);
            const double score = sum / std::max(1, beats);
            if (score > best.score)
                best = {p, phase, score};
        }
    }
    return best;
}

/// The strongest value of `x` within `halfWidth` frames of `at`.
double peakNear(const std::vector<float>& x, double at, int halfWidth)
{
    const int centre = int(std::lround(at));
    double peak = 0;
    for (int i = std::max(0, centre - halfWidth); i <= centre + halfWidth && i < int(x.size()); ++i)
        peak = std::max(peak, double(x[std::size_t(i)]));
    return peak;
}

/// Metrical evidence for a grid, from the backbeat of popular music: kicks on one parity of its beats and snares or
/// claps on the other. A grid twice too slow puts kicks and snares on every beat alike, one twice too fast puts them
/// on every other beat only; either way nothing alternates. 0 where nothing does (no drums, four kicks to the bar),
/// larger the plainer the backbeat.
double backbeat(const Onsets& onsets, const Grid& grid)
{
    const int halfWidth = std::max(1, int(std::lround(grid.period / 16)));
    double low[2] = {0, 0};
    double body[2] = {0, 0};
    int counts[2] = {0, 0};
    int beat = 0;
    for (double t = grid.phase; t < double(onsets.all.size()); t += grid.period, ++beat) {
        low[beat % 2] += peakNear(onsets.low, t, halfWidth);
        body[beat % 2] += peakNear(onsets.body, t, halfWidth);
        ++counts[beat % 2];
    }
    if (counts[0] == 0 || counts[1] == 0)
        return 0;
    for (int parity = 0; parity < 2; ++parity) {
        low[parity] /= counts[parity];
        body[parity] /= counts[parity];
    }
    const double onBeats = (low[0] + low[1] + body[0] + body[1]) / 2;
    const double alternation = std::sqrt(std::max(0.0, -(low[0] - low[1]) * (body[0] - body[1])));
    return onBeats > 0 ? alternation / onBeats : 0;
}

/// How strongly the onsets repeat at a beat period and at two and four beats: the evidence that it is a beat of a
/// metre (a period that fits no bar, such as a dotted eighth, lacks the longer repeats). Lags past half the clip,
/// with too few products to trust, are left out.
double metricalStrength(const std::vector<double>& r, double period, int frames)
{
    double sum = 0;
    int terms = 0;
    for (const int multiple : {1, 2, 4}) {
        const double lag = multiple * period;
        if (terms > 0 && (lag > frames / 2.0 || lag >= double(r.size() - 1)))
            break;
        sum += interpolate(r, lag);
        ++terms;
    }
    return sum / terms / r[0];
}

/// Beat periods worth weighing: the strongest metrical peaks of the autocorrelation, and twice and half each.
std::vector<double> candidatePeriods(const std::vector<double>& r, double fps, int frames, const Prior& prior)
{
    struct Peak
    {
        double bpm;
        double strength;
    };
    const double seconds = frames / fps;
    std::vector<Peak> peaks;
    const auto strengthAt = [&](double bpm) { return metricalStrength(r, 60 * fps / bpm, frames); };
    double before = strengthAt(MinBpm);
    double here = strengthAt(MinBpm + BpmStep);
    for (double bpm = MinBpm + BpmStep; bpm < MaxBpm; bpm += BpmStep) {
        const double after = strengthAt(bpm + BpmStep);
        if (here > 0 && here >= before && here > after && seconds * bpm / 60 >= MinBeats)
            peaks.push_back({bpm, here * tempoWeight(bpm, {.usualBpm = prior.usualBpm})});
        before = here;
        here = after;
    }
    std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) { return a.strength > b.strength; });
    if (peaks.size() > 3)
        peaks.resize(3);
    std::vector<double> periods;
    for (const Peak& peak : peaks) {
        for (const double ratio : {1.0, 2.0, 0.5}) {
            const double bpm = peak.bpm * ratio;
            if (bpm < MinBpm || bpm > MaxBpm || seconds * bpm / 60 < MinBeats)
                continue;
            const double period = 60 * fps / bpm;
            const bool known =
                std::any_of(periods.begin(), periods.end(), [&](double p) { return std::abs(p / period - 1) < 0.02; });
            if (!known)
                periods.push_back(period);
        }
    }
    return periods;
}

/// Refines a grid by a least-squares line through the onset peaks found near each of its beats.
Grid refineGrid(const std::vector<float>& strength, Grid grid)
{
    const double window = grid.period / 8;
    double sw = 0, sk = 0, st = 0, skk = 0, skt = 0;
    int found = 0;
    const auto n = double(strength.size());
    for (int k = 0; grid.phase + k * grid.period < n; ++k) {
        const double predicted = grid.phase + k * grid.period;
        const int from = std::max(1, int(std::ceil(predicted - window)));
        const int to = std::min(int(n) - 2, int(std::floor(predicted + window)));
        int peak = -1;
        for (int i = from; i <= to; ++i) {
            if (peak < 0 || strength[std::size_t(i)] > strength[std::size_t(peak)])
                peak = i;
        }
        if (peak < 0 || strength[std::size_t(peak)] <= 0)
            continue;
        const double a = strength[std::size_t(peak - 1)];
        const double b = strength[std::size_t(peak)];
        const double c = strength[std::size_t(peak + 1)];
        const double denominator = a - 2 * b + c;
        const double offset = denominator < 0 ? std::clamp(0.5 * (a - c) / denominator, -0.5, 0.5) : 0.0;
        const double t = peak + offset;
        const double w = b;
        sw += w;
        sk += w * k;
        st += w * t;
        skk += w * k * k;
        skt += w * k * t;
        ++found;
    }
    const double det = sw * skk - sk * sk;
    if (found < 4 || det <= 0)
        return grid;
    const double period = (sw * skt - sk * st) / det;
    const double phase = (st - period * sk) / sw;
    if (std::abs(period / grid.period - 1) > 0.02)
        return grid;
    grid.period = period;
    grid.phase = std::fmod(phase, period);
    if (grid.phase < 0)
        grid.phase += period;
    return grid;
}

std::vector<float> smooth(const std::vector<float>& x)
{
    std::vector<float> y(x.size(), 0.0F);
    const auto n = std::ptrdiff_t(x.size());
    constexpr float Kernel[] = {0.25F, 0.5F, 1.0F, 0.5F, 0.25F};
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        float sum = 0;
        for (std::ptrdiff_t j = -2; j <= 2; ++j) {
            if (i + j >= 0 && i + j < n)
                sum += Kernel[j + 2] * x[std::size_t(i + j)];
        }
        y[std::size_t(i)] = sum;
    }
    return y;
}

/// Shares of four: each value over their sum (all equal when the sum is 0).
std::array<double, 4> shares(const std::array<double, 4>& values)
{
    const double sum = values[0] + values[1] + values[2] + values[3];
    std::array<double, 4> result{0.25, 0.25, 0.25, 0.25};
    if (sum > 0) {
        for (std::size_t i = 0; i < 4; ++i)
            result[i] = values[i] / sum;
    }
    return result;
}

/// Which of the four beats of a bar starts it: where the chords change, where the kick hits hardest, and where the
/// music itself starts (takes tend to start on a bar).
double firstDownbeat(const Onsets& onsets, const Grid& grid)
{
    const auto frames = int(onsets.all.size());
    const int halfWidth = std::max(1, int(std::lround(grid.period / 16)));
    std::array<double, 4> kick{};
    std::vector<std::array<float, 12>> beats;
    for (double t = grid.phase; t < frames; t += grid.period) {
        kick[beats.size() % 4] += peakNear(onsets.low, t, halfWidth);
        std::array<float, 12> sounding{};
        for (int f = std::max(0, int(t)); f < std::min(frames, int(t + grid.period)); ++f) {
            for (std::size_t c = 0; c < 12; ++c)
                sounding[c] += onsets.pitch[std::size_t(f)][c];
        }
        beats.push_back(sounding);
    }
    // How much the pitch classes of each beat differ from those of the beat before (1 - cosine similarity): chords
    // change on the first beat of a bar.
    std::array<double, 4> change{};
    for (std::size_t k = 1; k < beats.size(); ++k) {
        double dot = 0;
        double a = 0;
        double b = 0;
        for (std::size_t c = 0; c < 12; ++c) {
            dot += double(beats[k - 1][c]) * beats[k][c];
            a += double(beats[k - 1][c]) * beats[k - 1][c];
            b += double(beats[k][c]) * beats[k][c];
        }
        if (a > 0 && b > 0)
            change[k % 4] += 1 - dot / std::sqrt(a * b);
    }
    // The beat nearest to where the music starts.
    std::array<double, 4> start{};
    const double startBeats = (onsets.firstSound - grid.phase) / grid.period;
    const double nearest = std::round(startBeats);
    if (std::abs(startBeats - nearest) < 0.25)
        start[std::size_t(((int(nearest) % 4) + 4) % 4)] = 1;
    const auto kickShare = shares(kick);
    const auto changeShare = shares(change);
    // Takes tend to start on a bar: a strong hint, which the kick and the chords overrule only together.
    constexpr double StartWeight = 0.5;
    int best = 0;
    double bestScore = -1;
    for (std::size_t m = 0; m < 4; ++m) {
        const double score = kickShare[m] + changeShare[m] + StartWeight * start[m];
        if (score > bestScore) {
            bestScore = score;
            best = int(m);
        }
    }
    return (grid.phase + best * grid.period) / onsets.fps;
}

} // namespace

Spectrogram onsetSpectrogram(const AnalysisSignal& signal)
{
    const int frameSize = int(std::bit_ceil(unsigned(std::max(64.0, signal.sampleRate * 0.06))));
    const int hop = std::max(1, int(std::lround(signal.sampleRate / FramesPerSecond)));
    return Spectrogram(signal.samples, signal.sampleRate, frameSize, hop);
}

Tempo findTempo(const Spectrogram& spectra, const Prior& prior)
{
    Tempo tempo;
    const double seconds = spectra.frames() / std::max(1e-9, spectra.frameRate());
    if (seconds < MinSeconds) {
        tempo.reason = "not enough audio";
        return tempo;
    }
    const Onsets onsets = onsetStrength(spectra);
    const int frames = int(onsets.all.size());
    const double fps = onsets.fps;
    const int maxLag = std::min(frames - 1, int(std::ceil(4 * 60 * fps / MinBpm)) + 1);
    const std::vector<double> r = autocorrelation(onsets.all, maxLag);
    if (r[0] <= 1e-12) {
        tempo.reason = "no steady pulse";
        return tempo;
    }

    const std::vector<float> smoothed = smooth(onsets.all);
    Grid best;
    double bestScore = 0;
    for (const double period : candidatePeriods(r, fps, frames, prior)) {
        const Grid grid = fitGrid(smoothed, period, 0.01, 0.0025, 1.0);
        const double bpm = 60 * fps / grid.period;
        const double score =
            metricalStrength(r, grid.period, frames) * tempoWeight(bpm, prior) * std::exp(backbeat(onsets, grid));
        if (score > bestScore) {
            bestScore = score;
            best = grid;
        }
    }
    if (best.period <= 0) {
        tempo.reason = seconds * MaxBpm / 60 < MinBeats ? "not enough audio" : "no steady pulse";
        return tempo;
    }
    // How much the onsets repeat at the beat beyond what their mean alone gives: 0 for noise, 1 for a metronome.
    const double mean = std::accumulate(onsets.all.begin(), onsets.all.end(), 0.0) / frames;
    const double clarity = (interpolate(r, best.period) - mean * mean) / std::max(1e-12, r[0] - mean * mean);
    if (clarity < MinClarity) {
        tempo.reason = "no steady pulse";
        return tempo;
    }

    Grid grid = fitGrid(smoothed, best.period, 0.01, 0.0005, 0.5);
    grid = refineGrid(onsets.all, grid);
    tempo.bpm = 60 * fps / grid.period;
    tempo.beatPeriodSeconds = grid.period / fps;
    tempo.confidence = std::clamp(clarity, 0.0, 1.0);
    tempo.firstDownbeatSeconds = std::fmod(firstDownbeat(onsets, grid), BeatsPerBar * tempo.beatPeriodSeconds);
    return tempo;
}

} // namespace analysis
