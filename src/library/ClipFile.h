#pragma once

#include "model/AudioFormat.h"
#include "model/GenerationRequest.h"

#include <QByteArray>
#include <QString>

/// Writing a take to a path the user chose.
namespace ClipFile {

/// Writes `audio` to `path` in the format the path's extension names, replacing a file there: the same bytes when
/// the take already is that format, converted otherwise. Atomic (AudioFile, AtomicFile): on any failure no file is
/// left, an old one is untouched, and `error` says why. An unknown extension is an error.
bool write(const QByteArray& audio, const QString& path, QString* error);

/// Keeps a paid take whose proper place could not be written: `<dataDir>/rescued/<default name>`, numbered
/// ("name (2).wav") rather than replacing an earlier rescue. Returns the path written, or an empty string with
/// `error` set.
QString rescue(const GenerationRequest& request, const QByteArray& audio, AudioFormat format, const QString& dataDir,
               QString* error);

/// "<prompt-slug>_<seed>.<ext>" for a take of `request` in `format`.
QString defaultFileName(const GenerationRequest& request, AudioFormat format);

} // namespace ClipFile
