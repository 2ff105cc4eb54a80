#include "analysis/KeyDetector.h"

#include <algorithm>
#include <cstdlib>
#include <bit>
#include <cmath>
#include <numbers>
#include <numeric>

namespace analysis {

namespace {

constexpr double LowestHz = 55;
constexpr double HighestHz = 5000;
/// Key needs about a second of audio to hear a few chords.
constexpr double MinSeconds = 1.0;
/// A spectral peak counts as a partial when it stands this far above the local spectral envelope.
constexpr double PeakRatio = 2.0;
/// Below this correlation with the best profile the chroma is noise, not harmony.
constexpr double MinCorrelation = 0.35;
/// Keys within this much correlation of the best are near ties, which the prompt's key may decide.
constexpr double TieMargin = 0.03;

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
    static const double lowestHz = getenv("KL") ? atof(getenv("KL")) : LowestHz;
    const int first = std::max(2, int(std::floor(lowestHz / binHz)));
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
    static const double gamma = getenv("KH") ? atof(getenv("KH")) : 1.0;
    static const double power = getenv("KC") ? atof(getenv("KC")) : 1.0;
    static const int harmonics = getenv("KN") ? atoi(getenv("KN")) : 8;
    constexpr int LowestMidi = 33;
    constexpr int Semitones = 68;
    std::vector<double> prefix(std::size_t(bins) + 1, 0.0);
    std::vector<double> semitones(Semitones, 0.0);
    std::array<double, 12> frameChroma{};
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
            if (m < PeakRatio * envelope || envelope <= 0)
                continue;
            // The peak's own frequency, from a parabola through the log magnitudes of its bin and neighbours.
            const double a = std::log(std::max(1e-12F, magnitudes[k - 1]));
            const double b = std::log(double(m));
            const double c = std::log(std::max(1e-12F, magnitudes[k + 1]));
            const double denominator = a - 2 * b + c;
            const double offset = denominator < 0 ? std::clamp(0.5 * (a - c) / denominator, -0.5, 0.5) : 0.0;
            const double hz = (k + offset) * binHz;
            const double pitch = 69 + 12 * std::log2(hz / 440);
            const double nearest = std::round(pitch);
            const int index = int(nearest) - LowestMidi;
            if (index < 0 || index >= Semitones)
                continue;
            const double weight = std::cos(std::numbers::pi * (pitch - nearest));
            semitones[std::size_t(index)] += weight * weight * m;
        }
        for (int s = 0; s < Semitones; ++s) {
            const double fundamental = semitones[std::size_t(s)];
            if (fundamental <= 0)
                continue;
            for (int h = 2; h <= harmonics; ++h) {
                const int partial = s + int(std::lround(12 * std::log2(double(h))));
                if (partial >= Semitones)
                    break;
                double& p = semitones[std::size_t(partial)];
                p = std::max(0.0, p - gamma * fundamental / h);
            }
            frameChroma[std::size_t((s + LowestMidi) % 12)] += std::pow(fundamental, power);
        }
        static const int norm = getenv("KF") ? atoi(getenv("KF")) : 0;
        double scale = 1;
        if (norm == 1) scale = *std::max_element(frameChroma.begin(), frameChroma.end());
        if (norm == 2) scale = std::accumulate(frameChroma.begin(), frameChroma.end(), 0.0);
        if (norm == 3) scale = std::sqrt(std::accumulate(frameChroma.begin(), frameChroma.end(), 0.0));
        static const double edge = getenv("KE") ? atof(getenv("KE")) : 0.0;
        const double tt = f / spectra.frameRate(); const double total = spectra.frames() / spectra.frameRate();
        if (tt < 2 || tt > total - 2) scale /= (1 + edge);
        if (scale > 1e-9) for (int i = 0; i < 12; ++i) result[std::size_t(i)] += frameChroma[std::size_t(i)] / scale;
        std::fill(frameChroma.begin(), frameChroma.end(), 0.0);
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
    static const double finalPower = getenv("KZ") ? atof(getenv("KZ")) : 1.0;
    for (double& v : c) v = std::pow(v, finalPower);
    if (std::accumulate(c.begin(), c.end(), 0.0) <= 0) {
        key.reason = "no pitched content";
        return key;
    }

    static const int profile = getenv("KP") ? atoi(getenv("KP")) : 0;
    static const double kkMaj[12] = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    static const double kkMin[12] = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    static const double tMaj[12] = {5, 2, 3.5, 2, 4.5, 4, 2, 4.5, 2, 3.5, 1.5, 4};
    static const double tMin[12] = {5, 2, 3.5, 4.5, 2, 4, 2, 4.5, 3.5, 2, 1.5, 4};
    static const double eMaj[12] = {16.8, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.8, 8.04, 0.62, 10.57};
    static const double eMin[12] = {18.26, 0.74, 14.05, 16.86, 0.7, 14.44, 0.7, 18.62, 4.57, 1.93, 7.38, 1.76};
    const double* pm = profile == 1 ? kkMaj : profile == 2 ? tMaj : profile == 3 ? eMaj : MajorProfile;
    const double* pn = profile == 1 ? kkMin : profile == 2 ? tMin : profile == 3 ? eMin : MinorProfile;
    double scores[24];
    for (int root = 0; root < 12; ++root) {
        scores[root] = correlation(c, pm, root);
        scores[12 + root] = correlation(c, pn, root);
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
