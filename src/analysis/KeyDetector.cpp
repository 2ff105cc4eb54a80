#include "analysis/KeyDetector.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <numeric>

namespace analysis {

namespace {

constexpr double LowestHz = 55;
constexpr double HighestHz = 5000;
/// The semitones of the chroma: MIDI 33 (A1, 55 Hz) up past 5 kHz.
constexpr int LowestMidi = 33;
constexpr int Semitones = 68;
/// Partials taken away per note.
constexpr int Harmonics = 8;
/// Under a second of audio holds too little of a chord to read a key from.
constexpr double MinSeconds = 1.0;
/// A spectral peak counts as a partial when it stands this far above the local spectral envelope.
constexpr double PeakRatio = 2.0;
/// Exponent applied to the chroma before it is matched with the profiles.
constexpr double Compression = 0.7;
/// A pitch class takes part in the harmony when it has this share of the strongest one's energy.
constexpr double MinNoteShare = 0.1;
/// Harmony stands out: the pitch classes' standard deviation is at least this share of their mean (white noise
/// gives about 0.25, music over 0.7).
constexpr double MinContrast = 0.45;
/// Below this correlation with the best profile the chroma is noise, not harmony.
constexpr double MinCorrelation = 0.35;
/// Keys within this much correlation of the best are near ties, which the prompt's key may decide.
constexpr double TieMargin = 0.1;
/// How much a clip whose every chord change is a dominant resolving to its tonic (V-I) adds to that key's correlation.
/// Resolutions are what a listener hears a key by when its notes alone fit two keys (a ii-V-I cut short, or a loop).
constexpr double CadenceWeight = 0.5;
/// A frame holds a chord when its triad has at least this share of the frame's chroma.
constexpr double MinTriadShare = 0.5;
/// A chord lasts at least this many frames (about 0.4 s); shorter ones are passing notes.
constexpr int MinChordFrames = 2;
/// A key and its relative (C major, A minor) share every note; when they correlate within this much, the one whose
/// tonic triad opens the clip is taken, as music most often starts on its tonic.
constexpr double RelativeMargin = 0.08;
/// The opening: this much of the clip, or its first 30 % when shorter.
constexpr double OpeningSeconds = 3;

using Chroma = std::array<double, 12>;

// Sha'ath's profiles (KeyFinder), tonic first.
constexpr double MajorProfile[12] = {6.6, 2.0, 3.5, 2.2, 4.6, 4.0, 2.5, 5.2, 2.4, 3.8, 2.3, 3.4};
constexpr double MinorProfile[12] = {6.5, 2.8, 3.5, 5.4, 2.7, 3.5, 2.5, 5.1, 4.0, 2.7, 4.3, 3.2};

double correlation(const std::array<double, 12>& chroma, const double* profile, int root)
{
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < 12; ++i) {
        meanX += chroma[std::size_t(i)];
        meanY += profile[i];
    }
    meanX /= 12;
    meanY /= 12;
    double xy = 0;
    double xx = 0;
    double yy = 0;
    for (int i = 0; i < 12; ++i) {
        const double x = chroma[std::size_t((i + root) % 12)] - meanX;
        const double y = profile[i] - meanY;
        xy += x * y;
        xx += x * x;
        yy += y * y;
    }
    return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0;
}

/// Whether the chroma holds harmony to read a key from: at least two pitch classes standing out (a drum's one pitch
/// is not a key), and standing out from the rest (noise and cymbals give every pitch class alike).
bool harmonic(const std::array<double, 12>& chroma)
{
    const double strongest = *std::max_element(chroma.begin(), chroma.end());
    if (strongest <= 0)
        return false;
    const auto standing =
        std::count_if(chroma.begin(), chroma.end(), [&](double value) { return value >= MinNoteShare * strongest; });
    const double mean = std::accumulate(chroma.begin(), chroma.end(), 0.0) / 12;
    double variance = 0;
    for (const double value : chroma)
        variance += (value - mean) * (value - mean) / 12;
    return standing >= 2 && std::sqrt(variance) >= MinContrast * mean;
}

/// The chroma of every frame of the spectrogram.
std::vector<Chroma> frameChroma(const Spectrogram& spectra)
{
    std::vector<Chroma> perFrame(std::size_t(spectra.frames()));
    const int bins = spectra.bins();
    const double binHz = spectra.binHz();
    const int first = std::max(2, int(std::floor(LowestHz / binHz)));
    const int last = std::min(bins - 2, int(std::ceil(HighestHz / binHz)));
    if (last <= first)
        return perFrame;

    // The envelope a peak is compared with: the mean over a third of an octave around it, at least a few bins.
    std::vector<int> envelopeFrom(std::size_t(bins), 0);
    std::vector<int> envelopeTo(std::size_t(bins), 0);
    const double sixthOctave = std::exp2(1.0 / 6);
    for (int k = first; k <= last; ++k) {
        envelopeFrom[std::size_t(k)] = std::max(0, std::min(k - 3, int(std::floor(k / sixthOctave))));
        envelopeTo[std::size_t(k)] = std::min(bins - 1, std::max(k + 3, int(std::ceil(k * sixthOctave))));
    }
    std::vector<double> prefix(std::size_t(bins) + 1, 0.0);
    std::vector<double> semitones(std::size_t(Semitones), 0.0);
    for (int f = 0; f < spectra.frames(); ++f) {
        const float* magnitudes = spectra.frame(f);
        for (int k = 0; k < bins; ++k)
            prefix[std::size_t(k + 1)] = prefix[std::size_t(k)] + magnitudes[k];
        std::fill(semitones.begin(), semitones.end(), 0.0);
        Chroma& result = perFrame[std::size_t(f)];
        for (int k = first; k <= last; ++k) {
            const float m = magnitudes[k];
            if (!(m > magnitudes[k - 1] && m >= magnitudes[k + 1]))
                continue;
            const int from = envelopeFrom[std::size_t(k)];
            const int to = envelopeTo[std::size_t(k)];
            const double envelope = (prefix[std::size_t(to + 1)] - prefix[std::size_t(from)]) / (to - from + 1);
            if (envelope <= 0 || m < PeakRatio * envelope)
                continue;
            // The peak's own frequency, from a parabola through the log magnitudes of its bin and neighbours.
            const double a = std::log(std::max(1e-12F, magnitudes[k - 1]));
            const double b = std::log(double(m));
            const double c = std::log(std::max(1e-12F, magnitudes[k + 1]));
            const double denominator = a - 2 * b + c;
            const double offset = denominator < 0 ? std::clamp(0.5 * (a - c) / denominator, -0.5, 0.5) : 0.0;
            const double pitch = 69 + 12 * std::log2((k + offset) * binHz / 440);
            const double nearest = std::round(pitch);
            const int index = int(nearest) - LowestMidi;
            if (index < 0 || index >= Semitones)
                continue;
            const double weight = std::cos(std::numbers::pi * (pitch - nearest));
            semitones[std::size_t(index)] += weight * weight * m;
        }
        // Bottom up, each note takes away the partials it would have (falling as 1/h, as a sawtooth's), so a note's
        // fifth and third harmonics do not read as a fifth and a third.
        for (int s = 0; s < Semitones; ++s) {
            const double fundamental = semitones[std::size_t(s)];
            if (fundamental <= 0)
                continue;
            for (int h = 2; h <= Harmonics; ++h) {
                const int partial = s + int(std::lround(12 * std::log2(double(h))));
                if (partial >= Semitones)
                    break;
                double& p = semitones[std::size_t(partial)];
                p = std::max(0.0, p - fundamental / h);
            }
            result[std::size_t((s + LowestMidi) % 12)] += fundamental;
        }
    }
    return perFrame;
}

/// The sum of frames [from, to).
Chroma sumOf(const std::vector<Chroma>& perFrame, std::size_t from, std::size_t to)
{
    Chroma sum{};
    for (std::size_t f = from; f < std::min(to, perFrame.size()); ++f) {
        for (std::size_t i = 0; i < 12; ++i)
            sum[i] += perFrame[f][i];
    }
    return sum;
}

/// Keys are numbered 0-11 major (by tonic), 12-23 minor; so are triads.
bool isMinor(int key)
{
    return key >= 12;
}

int relativeOf(int key)
{
    return isMinor(key) ? (key + 3) % 12 : 12 + (key + 9) % 12;
}

/// How much of the chroma the key's tonic triad (or a chord's triad) holds.
double triadShare(const Chroma& c, int triad)
{
    const int root = triad % 12;
    return c[std::size_t(root)] + c[std::size_t((root + (isMinor(triad) ? 3 : 4)) % 12)] +
           c[std::size_t((root + 7) % 12)];
}

/// For each key, the share of the clip's chord changes that are a dominant resolving to that key's tonic: a major
/// chord followed by a chord whose root is a fifth below. Chords are read per frame as the best-fitting triad.
std::array<double, 24> resolutions(const std::vector<Chroma>& perFrame)
{
    struct Run
    {
        int triad;
        int frames;
    };
    std::vector<Run> runs;
    for (Chroma c : perFrame) {
        double total = 0;
        for (double& value : c) {
            value = std::pow(value, Compression);
            total += value;
        }
        int best = -1;
        double bestShare = MinTriadShare * total;
        for (int triad = 0; total > 0 && triad < 24; ++triad) {
            const double share = triadShare(c, triad);
            if (share > bestShare) {
                bestShare = share;
                best = triad;
            }
        }
        if (best < 0)
            continue; // no chord here: the chords either side still follow each other
        if (!runs.empty() && runs.back().triad == best)
            ++runs.back().frames;
        else
            runs.push_back({best, 1});
    }
    std::vector<Run> chords;
    for (const Run& run : runs) {
        if (run.frames < MinChordFrames)
            continue;
        if (!chords.empty() && chords.back().triad == run.triad)
            chords.back().frames += run.frames;
        else
            chords.push_back(run);
    }
    std::array<double, 24> votes{};
    double changes = 0;
    for (std::size_t i = 1; i < chords.size(); ++i) {
        const Run& from = chords[i - 1];
        const Run& to = chords[i];
        const double weight = std::min(from.frames, to.frames);
        changes += weight;
        if (!isMinor(from.triad) && from.triad == (to.triad % 12 + 7) % 12)
            votes[std::size_t(to.triad)] += weight;
    }
    for (double& vote : votes)
        vote = changes > 0 ? vote / changes : 0;
    return votes;
}

} // namespace

Spectrogram keySpectrogram(const AnalysisSignal& signal)
{
    const int frameSize = int(std::bit_ceil(unsigned(std::max(256.0, signal.sampleRate * 0.3))));
    return Spectrogram(signal.samples, signal.sampleRate, frameSize, frameSize / 2);
}

std::array<double, 12> chroma(const Spectrogram& spectra)
{
    const std::vector<Chroma> perFrame = frameChroma(spectra);
    return sumOf(perFrame, 0, perFrame.size());
}

Key findKey(const Spectrogram& spectra, const Prior& prior)
{
    Key key;
    const double seconds = spectra.frames() / std::max(1e-9, spectra.frameRate());
    if (seconds < MinSeconds) {
        key.reason = "not enough audio";
        return key;
    }
    const std::vector<Chroma> perFrame = frameChroma(spectra);
    Chroma c = sumOf(perFrame, 0, perFrame.size());
    if (!harmonic(c)) {
        key.reason = "no pitched content";
        return key;
    }

    // Compressed a little, so the roots the bass doubles do not outweigh the thirds that tell major from minor.
    for (double& value : c)
        value = std::pow(value, Compression);
    double scores[24];
    for (int root = 0; root < 12; ++root) {
        scores[root] = correlation(c, MajorProfile, root);
        scores[12 + root] = correlation(c, MinorProfile, root);
    }
    int best = int(std::max_element(scores, scores + 24) - scores);
    if (scores[best] < MinCorrelation) {
        key.reason = "no pitched content";
        return key;
    }
    const std::array<double, 24> resolved = resolutions(perFrame);
    for (std::size_t k = 0; k < 24; ++k)
        scores[k] += CadenceWeight * resolved[k];
    best = int(std::max_element(scores, scores + 24) - scores);
    if (prior.keyRoot < 0 && scores[relativeOf(best)] >= scores[best] - RelativeMargin) {
        const std::size_t openingFrames =
            std::size_t(std::min(OpeningSeconds, 0.3 * seconds) * spectra.frameRate()) + 1;
        const Chroma opening = sumOf(perFrame, 0, openingFrames);
        if (triadShare(opening, relativeOf(best)) > triadShare(opening, best))
            best = relativeOf(best);
    }
    // The prompt's key (or just its mode) decides between readings the audio finds about equally likely.
    if (prior.keyRoot >= 0 || prior.keyMode >= 0) {
        int preferred = -1;
        for (int candidate = 0; candidate < 24; ++candidate) {
            const bool rootMatches = prior.keyRoot < 0 || candidate % 12 == prior.keyRoot;
            const bool modeMatches = prior.keyMode < 0 || candidate / 12 == prior.keyMode;
            if (rootMatches && modeMatches && scores[candidate] >= scores[best] - TieMargin &&
                (preferred < 0 || scores[candidate] > scores[preferred]))
                preferred = candidate;
        }
        if (preferred >= 0)
            best = preferred;
    }
    double second = -1;
    for (int candidate = 0; candidate < 24; ++candidate) {
        if (candidate != best)
            second = std::max(second, scores[candidate]);
    }
    key.root = best % 12;
    key.minor = best >= 12;
    key.confidence = std::clamp((scores[best] - second) / std::max(1e-9, scores[best]), 0.0, 1.0);
    return key;
}

} // namespace analysis
