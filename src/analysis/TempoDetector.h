#pragma once

#include "analysis/Analyser.h"
#include "analysis/Spectrum.h"

namespace analysis {

/// The spectrogram tempo detection reads: frames of about 90 ms every 11.6 ms, fine enough in time for onsets and
/// in frequency to tell a kick from a snare.
Spectrogram onsetSpectrogram(const AnalysisSignal& signal);

/// Tempo and beat grid from onset strength: spectral flux of log-compressed magnitudes in three bands, whose
/// autocorrelation at one, two and four beats proposes beat periods; each is weighed by how likely its tempo is (a
/// preference around 120 BPM or the prompt's genre's usual tempo, and the prompt's tempo when it names one) and by the
/// backbeat it shows (kicks and snares alternating on its beats), which settles the octave. The winner's period and
/// phase are then fitted to the onsets over the whole clip, and the downbeat is the beat where the chords change, the
/// kick is strongest and the music starts.
Tempo findTempo(const Spectrogram& spectra, const Prior& prior);

} // namespace analysis
