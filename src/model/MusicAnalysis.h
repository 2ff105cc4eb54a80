#pragma once

#include "model/MusicalKey.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

/// What listening to a take found: tempo and beat grid, key, loudness. Made by the analysis module
/// (analysis/TakeAnalysis.h), kept in the take (Take::setAnalysis), and carried by a finished generation.
struct MusicAnalysis
{
    /// The tempos a take can have, detected or set by the musician; anything else is no tempo.
    static constexpr double MinBpm = 20;
    static constexpr double MaxBpm = 400;

    int version = 0;                    ///< which analysis made it (TakeAnalysis::Version); 0: none
    double bpm = 0;                     ///< 0: no tempo (see tempoNote)
    double bpmConfidence = 0;           ///< 0..1; 1 for the tempo the offline engine composed
    double downbeatSeconds = 0;         ///< where the first bar starts
    QString tempoNote;                  ///< why there is no tempo ("not enough audio"); not kept in the library
    MusicalKey key;                     ///< invalid: no key
    double keyConfidence = 0;           ///< 0..1; 1 for the key the offline engine composed
    std::optional<double> loudnessLufs; ///< integrated loudness, EBU R128; nothing for silence
    std::optional<double> truePeakDbtp; ///< highest true peak, dBTP

    /// A tempo as shown: "92" or "91.7" (one decimal when it has one); empty for none.
    static QString tempoText(double bpm);
    /// What was found, in words, one part each for tempo, key and loudness: "92 BPM (confidence 0.84)" (or the
    /// musician's `bpmByUser`, "90 BPM (yours; detected 180)"), "A minor (Am, 8A)", "-14.1 LUFS, true peak -1.2 dBTP";
    /// "no tempo (not enough audio)", "no key", "silent" where nothing was.
    QStringList inWords(std::optional<double> bpmByUser = std::nullopt) const;

    friend bool operator==(const MusicAnalysis&, const MusicAnalysis&) = default;
};
Q_DECLARE_METATYPE(MusicAnalysis)
