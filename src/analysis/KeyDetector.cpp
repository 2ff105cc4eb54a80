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
constexpr double TieMargin = 0.05;

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

} // namespace

Spectrogram keySpectrogram(const AnalysisSignal& signal)
{
    const int frameSize = int(std::bit_ceil(unsigned(std::max(256.0, signal.sampleRate * 0.3))));
    return Spectrogram(signal.samples, signal.sampleRate, frameSize, frameSize / 2);
}

std::array<double, 12> chroma(const Spectrogram& spectra)
{
    std::array<double, 12> result{};
    const int bins = spectra.bins();
    const double binHz = spectra.binHz();
    const int first = std::max(2, int(std::floor(LowestHz / binHz)));
    const int last = std::min(bins - 2, int(std::ceil(HighestHz / binHz)));
    if (last <= first)
        return result;

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
    return result;
}

Key findKey(const Spectrogram& spectra, const Prior& prior)
{
    Key key;
    const double seconds = spectra.frames() / std::max(1e-9, spectra.frameRate());
    if (seconds < MinSeconds) {
        key.reason = "not enough audio";
        return key;
    }
    std::array<double, 12> c = chroma(spectra);
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
