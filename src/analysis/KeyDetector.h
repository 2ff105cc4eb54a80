#pragma once

#include "analysis/Analyser.h"
#include "analysis/Spectrum.h"

#include <array>

namespace analysis {

/// The spectrogram key detection reads: frames of about a third of a second, fine enough in frequency to tell
/// semitones apart in the bass.
Spectrogram keySpectrogram(const AnalysisSignal& signal);

/// How strongly each pitch class (0 = C) sounds over the whole clip, from the spectral peaks between 55 Hz and 5 kHz,
/// each frame whitened so no one register or instrument dominates. All zeros when nothing pitched sounds.
std::array<double, 12> chroma(const Spectrogram& spectra);

/// The key whose profile (Sha'ath's major and minor) best matches the chroma; the prior decides only between keys
/// that match nearly equally well.
Key findKey(const Spectrogram& spectra, const Prior& prior);

} // namespace analysis
