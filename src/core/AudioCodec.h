#pragma once

#include "AudioFormat.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Reading, checking and writing audio in memory through libsndfile.
namespace AudioCodec {

/// Sniffs the bytes and has libsndfile open them. Returns nothing unless the bytes are a known container that
/// decodes to at least one frame; `whyNot` then says what was wrong.
std::optional<AudioInfo> probe(const QByteArray& bytes, QString* whyNot = nullptr);

/// Decodes `bytes` and encodes them as `target` (16-bit PCM for WAV and FLAC, Vorbis for Ogg, Layer III for
/// MP3), keeping rate and channels. Returns nothing and fills `whyNot` when either step fails.
std::optional<QByteArray> convert(const QByteArray& bytes, AudioFormat target, QString* whyNot = nullptr);

} // namespace AudioCodec
