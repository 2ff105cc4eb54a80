#pragma once

#include "audio/AudioTags.h"
#include "model/Take.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Favourite copies: a take saved into the folder the musician chose, named by their file-name template
/// (FileNames::fromTemplate), never overwriting a file (" (2)", " (3)"...), in the take's own format with its
/// recipe embedded as tags (AudioTags says how, per format).
namespace Favourites {

/// Writes a tagged copy of `audio` (the take's stored bytes) into `directory`, creating it when needed, and returns
/// the copy's path; nothing, with `error` set, when it cannot be written.
std::optional<QString> save(const QString& directory, const QString& fileNameTemplate, const Take& take,
                            const QByteArray& audio, QString* error = nullptr);

/// The tags a copy of `take` carries: title = prompt, comment = the recipe as compact JSON (TakeSidecar), software
/// = "MusicGen Studio <version>", and for WAV's INFO list a recipe with the prompt shortened to fit.
EmbeddedTags tagsFor(const Take& take);

} // namespace Favourites
