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

/// Writes a copy of `audio` (the take's stored bytes) to `path`, as an export does: as `format` (Unknown: from the
/// extension), converted when needed (AudioFile), tagged with tagsFor(), never replacing a file unless `overwrite`.
/// Returns false, with `error` saying why, when it cannot be written.
bool writeCopy(const QString& path, AudioFormat format, bool overwrite, const Take& take, const QByteArray& audio,
               QString* error = nullptr);

/// The tags every file saved from `take` carries (favourite copies, exports, drag copies): title = prompt, comment =
/// the recipe as compact JSON (TakeSidecar), software = "MusicGen Studio <version>", for WAV's INFO list a recipe with
/// the prompt shortened to fit, and the take's tempo (Take::tempo(), rounded) and key when they are known.
EmbeddedTags tagsFor(const Take& take);

/// A copy of `take` to drag out of the app: save() into `directory`, a folder of the app's own that keeps the `keep`
/// copies most recently asked for and every copy handed out (keepDragCopy); the other copies are deleted. Asking
/// again for a copy with the same bytes returns the same file.
std::optional<QString> saveDragCopy(const QString& directory, const QString& fileNameTemplate, const Take& take,
                                    const QByteArray& audio, int keep, QString* error = nullptr);

/// Keeps the drag copy at `path` until the musician deletes it: it was handed out to another program, which may refer
/// to it where it lies (DAWs that do not copy a dropped file into their project), so saveDragCopy never deletes it. It
/// is noted by name in its folder's hidden list ".dragged" (AtomicFile); a copy the musician deleted leaves the list at
/// its next change. Returns false, with `error` saying why, when the note could not be written.
bool keepDragCopy(const QString& path, QString* error = nullptr);

/// Keeps the favourite copy of a take (after.favouritePath) tagged with its tempo and key: when they differ between
/// `before` and `after`, the copy's tags become tagsFor(after), rewritten in place (AudioTags::write, AtomicFile)
/// with the audio untouched. Only while the copy still holds the take's audio: a copy that is gone, or that decodes
/// to other samples than the take's stored audio at `clipPath` (the musician replaced or edited it), is left alone.
/// Returns false, with `error` saying why, only when a copy that should follow could not be checked or rewritten.
bool follow(const Take& before, const Take& after, const QString& clipPath, QString* error = nullptr);

} // namespace Favourites
