#pragma once

#include <cstddef>
#include <vector>

/// The signal the detectors look at, and its short-time spectra over kissfft. Tempo and key need neither stereo nor
/// anything above about 5 kHz, so the audio is mixed to mono and decimated to about 11 kHz first: that is most of what
/// makes a whole take cheap to analyse.
namespace analysis {

/// Mono audio at the reduced rate.
struct AnalysisSignal
{
    std::vector<float> samples;
    double sampleRate = 0;
};

/// Mixes `channels` interleaved channels to mono and decimates by an integer factor (after a windowed-sinc low-pass)
/// to a rate between about 10 and 16 kHz; audio already at or below that rate is only mixed.
AnalysisSignal prepareSignal(const float* interleaved, std::size_t frames, int channels, int sampleRate);

/// Magnitude spectra of Hann-windowed frames of `frameSize` samples every `hop` samples. Frame i is centred on sample
/// i * hop (the signal is taken as silent outside itself), so frame times need no offset. Magnitudes are scaled so a
/// full-scale sine reads about 1 in its bin.
class Spectrogram
{
public:
    Spectrogram(const std::vector<float>& signal, double sampleRate, int frameSize, int hop);

    int frames() const { return m_frames; }
    int bins() const { return m_bins; }
    const float* frame(int index) const { return m_magnitudes.data() + std::size_t(index) * std::size_t(m_bins); }
    /// Frames per second.
    double frameRate() const { return m_sampleRate / m_hop; }
    /// Width of one bin in Hz.
    double binHz() const { return m_sampleRate / m_frameSize; }

private:
    double m_sampleRate = 0;
    int m_frameSize = 0;
    int m_hop = 0;
    int m_frames = 0;
    int m_bins = 0;
    std::vector<float> m_magnitudes;
};

} // namespace analysis
