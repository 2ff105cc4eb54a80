#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

/// The one way the app writes a file: audio, sidecars, favourites, exports, rescued takes; and read(), the one way it
/// reads a whole file back.
///
/// The bytes go to a hidden temporary file beside the target (".musicgen-XXXXXXXX.part"), which is written in
/// full, flushed to disk (fdatasync) and closed, every step checked, and only then renamed onto the target. So a
/// reader, or the disk after a crash, has the old file or the complete new one, never a part. On any failure the
/// temporary file is removed, an existing target is left untouched and the error gives the system's reason ("No
/// space left on device") and what to do about it.
///
/// The folder is not synced after the rename (nor does QSaveFile): that would cost a disk flush per file, a
/// quarter of a `musicgen-cli generate`, while the library's database commit that follows its files syncs the
/// filesystem journal anyway on ext4, the common case.
///
/// A symbolic link is followed: the file it names is replaced and the link stays a link. What is not a regular file
/// (a folder, a device, a pipe, or a link to one) is never replaced: the write fails and says so.
///
/// New files get the permissions the umask allows (0666 & ~umask, as every program's files do); a replaced file
/// keeps its own.
namespace AtomicFile {

enum class Mode
{
    Replace,  ///< an existing file at the path is replaced (atomically)
    NoReplace ///< an existing file is never replaced, not even one that appears while writing
};

/// What a write did. Look at ok().
struct [[nodiscard]] WriteResult
{
    QString path;               ///< where the bytes went; empty on failure
    QString error;              ///< empty on success: what went wrong, for people
    bool alreadyExists = false; ///< NoReplace found a file at the path (error says so too)

    bool ok() const { return error.isEmpty(); }
};

/// Writes `bytes` to `path` as described above. With NoReplace the final step is a rename that refuses to replace
/// (renameat2 RENAME_NOREPLACE, else link(); on filesystems with neither, a check just before a plain rename).
WriteResult write(const QString& path, const QByteArray& bytes, Mode mode);

/// Writes `bytes` to "<directory>/<baseName>.<extension>", or, when that exists, to the first free one of
/// "<baseName> (2).<extension>", "<baseName> (3).<extension>"... never replacing any file. The result's `path`
/// says which. A file on the way that holds exactly `bytes` is this very copy, saved before by a write whose
/// caller was stopped before it could note it: its path comes back and nothing is written, so saving again never
/// makes a second copy. Leave room in `baseName` for the " (9999)" a name may get.
WriteResult writeUnique(const QString& directory, const QString& baseName, const QString& extension,
                        const QByteArray& bytes);

/// The one way the app reads a whole file back (a clip, a copy, a note). Only a regular file, or a link to one, is
/// read: a pipe, device or folder put in its place is refused at once, as reading it would wait for ever or mean
/// nothing. Nothing, with `error` saying which ("… is missing", "… is not a regular file", the system's reason),
/// when it cannot be read.
std::optional<QByteArray> read(const QString& path, QString* error = nullptr);

/// Whether `fileName` (a name, not a path) is one of this writer's temporary files.
bool isTemporary(QStringView fileName);

/// Removes the temporary file at `path` when its writer is gone: a writer that was killed leaves its file behind,
/// unlocked, and whoever next looks at the folder removes it. A live writer's file is locked and left alone. Returns
/// whether it was removed.
bool removeIfAbandoned(const QString& path);

/// removeIfAbandoned() for every temporary file directly in `directory`; returns how many were removed.
int removeAbandoned(const QString& directory);

} // namespace AtomicFile
