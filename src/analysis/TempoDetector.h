#pragma once

#include "analysis/Analyser.h"
#include "analysis/Spectrum.h"

namespace analysis {

/// The spectrogram tempo detection reads: short frames about 10 ms apart, fine enough in time for onsets.
Spectrogram onsetSpectrogram(const AnalysisSignal& signal);

/// Tempo and beat grid from onset strength: spectral flux of log-compressed magnitudes in three bands, its
/// autocorrelation weighed by how likely each tempo is (a preference around 120 BPM, and the prompt's tempo when it
/// names one), the octave settled by metrical evidence, then the beat period and phase fitted to the onsets over the
/// whole clip. `priorBpm` 0: none.
Tempo findTempo(const Spectrogram& spectra, double priorBpm);

} // namespace analysis
