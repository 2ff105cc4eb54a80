#pragma once

#include "model/AudioFormat.h"
#include "model/GenerationRequest.h"

#include <QByteArray>
#include <QString>

/// Names for a take written outside the library, and the rescue of a take the library could not keep.
namespace ClipFile {

/// Keeps a paid take whose proper place could not be written: `<dataDir>/rescued/<default name>`, or, when that
/// cannot be written either (a full disk), the same name under `<temporary folder>/musicgen-rescued`; numbered
/// ("name (2).wav") rather than replacing an earlier rescue. Returns the path written, or an empty string with
/// `error` saying why both failed.
QString rescue(const GenerationRequest& request, const QByteArray& audio, AudioFormat format, const QString& dataDir,
               QString* error);

/// "<prompt-slug>_<seed>.<ext>" for a take of `request` in `format`.
QString defaultFileName(const GenerationRequest& request, AudioFormat format);

} // namespace ClipFile
