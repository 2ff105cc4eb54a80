#pragma once

#include "audio/AudioTags.h"
#include "model/AudioFormat.h"
#include "platform/AtomicFile.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Writing a take's audio to a file: in the format asked for, tagged when asked, through the atomic writer.
///
/// The file holds `audio` exactly when it already is the `target` format, and audio converted with
/// AudioCodec::convert() otherwise; `tags`, when given, are then embedded with AudioTags::write(). Tagging is best
/// effort: audio TagLib cannot tag (an RF64 WAV, say) is written untagged, with a warning in the log, rather than
/// not at all. An Unknown `target` or a failed conversion is an error like a failed write; nothing is written then.
namespace AudioFile {

/// Writes to `path` (see AtomicFile::write for `mode`).
AtomicFile::WriteResult write(const QString& path, const QByteArray& audio, AudioFormat target, AtomicFile::Mode mode,
                              const std::optional<EmbeddedTags>& tags = std::nullopt);

/// Writes to "<directory>/<baseName>.<ext>" or the first free "<baseName> (n).<ext>", never replacing a file
/// (see AtomicFile::writeUnique).
AtomicFile::WriteResult writeUnique(const QString& directory, const QString& baseName, const QByteArray& audio,
                                    AudioFormat target, const std::optional<EmbeddedTags>& tags = std::nullopt);

} // namespace AudioFile
