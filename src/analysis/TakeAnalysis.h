#pragma once

#include "model/GenerationRequest.h"
#include "model/MusicAnalysis.h"
#include "model/Take.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

/// Takes analysed: the measuring core (Analyser.h) fed with a take's decoded audio and what its recipe tells.
///
/// - The prompt's tempo and key ("90 bpm", "in D minor", read as the offline engine reads prompts) are the
///   detectors' prior.
/// - An offline take's tempo, key and beat grid are the ones the engine composed (its plan is cheap to recompute
///   from the recipe); only its loudness is measured.
/// Slow enough (tens of milliseconds for 30 s) that callers run it off the UI thread.
namespace TakeAnalysis {

/// The analysis takes are stored with. Raised when the detectors change enough that every take is analysed again
/// (AnalysisBackfill looks for takes below it).
inline constexpr int Version = 1;

/// Analyses `audio` (any format libsndfile reads) made by `recipe` with `model`; an empty recipe analyses a file
/// with no prior. Nothing, with `whyNot`, when the audio cannot be decoded.
std::optional<MusicAnalysis> analyse(const QByteArray& audio, const GenerationRequest& recipe = {},
                                     const QString& model = {}, QString* whyNot = nullptr);

/// `analysis` with every figure the index and the tags can hold: one that is not finite or not plausible (a tempo
/// outside MusicAnalysis::MinBpm..MaxBpm, a confidence outside 0..1, a downbeat past the first bar) is no figure.
/// analyse() applies it; SQLite would store NaN as NULL in a NOT NULL column, and a tag cannot say "inf".
MusicAnalysis withinRange(MusicAnalysis analysis);

/// What the prompt asked for that the take did not deliver, for people: "asked 120 BPM, got 96", "asked D minor,
/// got F major", both joined by "; ". Empty when the prompt named neither, the take matches, or the take is not
/// analysed. A tempo within 2 BPM counts as a match (the detector's accuracy and the display's rounding).
QString promptMismatch(const Take& take);

/// The chips a take shows: "92 BPM", "A minor", "−14.1 LUFS" (each only when known).
QStringList chips(const Take& take);

/// Adds the analysis to `object` as `history --json`, `generate --json` and `analyze --json` show it: `bpm` (one
/// decimal; the musician's correction when there is one, with `bpm_by_user` true), `bpm_confidence`, `downbeat_s`,
/// `key`, `key_short`, `camelot`, `key_confidence`, `lufs`, `true_peak_dbtp`; null where nothing was found, and
/// `tempo_note` saying why there is no tempo when that is known.
void addToJson(QJsonObject& object, const MusicAnalysis& analysis, std::optional<double> bpmByUser = std::nullopt);

} // namespace TakeAnalysis
