#pragma once

#include "analysis/Analyser.h"
#include "analysis/Spectrum.h"

#include <array>

namespace analysis {

/// The spectrogram key detection reads: frames of about a third of a second, fine enough in frequency to tell
/// semitones apart in the bass.
Spectrogram keySpectrogram(const AnalysisSignal& signal);

/// How strongly each pitch class (0 = C) sounds over the whole clip: the spectral peaks between 55 Hz and 5 kHz that
/// stand out of their neighbourhood, on a semitone grid, each note's expected harmonics taken away so they do not
/// read as fifths and thirds. All zeros when nothing pitched sounds.
std::array<double, 12> chroma(const Spectrogram& spectra);

/// The key whose profile (Sha'ath's major and minor) correlates best with the chroma, strengthened by the
/// dominant-tonic resolutions heard between its chords; between a key and its relative, which share every note, the one
/// whose tonic triad opens the clip. The prior decides only between keys that correlate nearly equally well. No key for
/// drums alone or noise (one pitch class, or all alike).
Key findKey(const Spectrogram& spectra, const Prior& prior);

} // namespace analysis
