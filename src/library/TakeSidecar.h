#pragma once

#include "model/Take.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// The small JSON file kept beside each clip (clips/YYYY/MM/<id>.json). It holds the take's whole recipe and what
/// the musician said about it, so the library index can always be rebuilt from the clips folder alone.
namespace TakeSidecar {

/// Version of the sidecar layout, written as "schema". Readers accept newer ones and take what they know.
inline constexpr int Schema = 1;

/// The recipe as JSON: every Take field except audioMissing (it describes this computer's clips folder, not the
/// take), plus "schema" and the app's name and version.
QByteArray toJson(const Take& take, bool indented = true);

/// The recipe as the audio files the app saves carry it (favourite copies, exports, drag-outs): compact, and without
/// what is private to this library and account (the note, the favourite copy's path, remaining credits, the request
/// id, revision, trash, the clip's path). With `maxBytes` above 0, for tag fields with a limit, the prompt is cut
/// until the JSON fits and "promptTruncated": true is added (the sidecar keeps the whole prompt).
QByteArray toEmbeddedJson(const Take& take, int maxBytes = 0);

/// Reads a sidecar. Returns nothing when the bytes are not a sidecar of a valid take id; `error` then says why.
std::optional<Take> fromJson(const QByteArray& json, QString* error = nullptr);

/// Writes `take`'s sidecar to `path` atomically (AtomicFile); on failure nothing changes and `error` says why.
bool write(const QString& path, const Take& take, QString* error = nullptr);

/// Reads the sidecar at `path`.
std::optional<Take> read(const QString& path, QString* error = nullptr);

} // namespace TakeSidecar
