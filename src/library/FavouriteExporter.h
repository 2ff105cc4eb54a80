#pragma once

#include "model/Take.h"

#include <QByteArray>
#include <QString>

#include <optional>

/// Text a favourite copy carries inside the audio file, so the recipe travels with it.
struct EmbeddedTags
{
    QString title;    ///< the prompt
    QString comment;  ///< the recipe as JSON
    QString software; ///< "MusicGen Studio <version>"
};

/// Saves favourite copies of takes into a folder the user chose: named by a template, made safe for every common
/// filesystem, never overwriting a file, with the recipe embedded as tags.
///
/// Tags by format: WAV (RIFF INFO INAM/ICMT/ISFT) and FLAC (Vorbis comments) are written by libsndfile while the
/// audio is re-written losslessly with the same sample format. MP3 gets an ID3v2.4 tag (TIT2, COMM, TSSE, UTF-8)
/// written here and put in front of the provider's MP3 frames unchanged, because libsndfile's MP3 writer would
/// re-encode and stores text as Latin-1. Ogg (Vorbis or Opus) is re-encoded by libsndfile with Vorbis comments, as
/// libsndfile can only write comments while encoding; that copy is therefore not bit-identical. libsndfile appends
/// " (libsndfile-<version>)" to the software tag it writes (WAV, FLAC, Ogg). libsndfile reads all of them back
/// with sf_get_string(). libsndfile skips RIFF INFO strings of 2 KB or more when reading, so for WAV the title is
/// cut to WavTagMaxBytes and the recipe's prompt shortened until the JSON fits (marked "promptTruncated": true; the
/// full recipe stays in the library's sidecar).
class FavouriteExporter final
{
public:
    /// Longest file name produced, in bytes of UTF-8 (common limits are 255 bytes; leave room for " (123)").
    static constexpr int MaxFileNameBytes = 200;
    /// Longest WAV tag text written, in bytes of UTF-8.
    static constexpr int WavTagMaxBytes = 2000;

    FavouriteExporter(const QString& directory, const QString& fileNameTemplate);

    /// Writes a tagged copy of `audio` (the take's stored bytes) into the directory, creating it when needed, and
    /// returns the path. A name already taken gets " (2)", " (3)"... so no file is ever overwritten.
    std::optional<QString> save(const Take& take, const QByteArray& audio, QString* error = nullptr) const;

    /// The template with its fields ({prompt} {seed} {duration} {id} {date} {provider}) filled in for `take` and
    /// made safe with safeFileName(); no extension. Unknown fields stay as they are written.
    static QString baseName(const QString& fileNameTemplate, const Take& take, int maxBytes = MaxFileNameBytes);

    /// `text` as a file name that every common filesystem accepts: no path separators, control, bidi-control or
    /// Windows-reserved characters (":*?\"<>|"; quotes become apostrophes), no leading dot, dash or space, no
    /// trailing dot or space, not a Windows device name (CON, NUL, COM1...), at most `maxBytes` bytes of UTF-8
    /// cut between characters, and never empty ("take" then).
    static QString safeFileName(const QString& text, int maxBytes = MaxFileNameBytes);

    /// The tags for `take` saved as `format`: title = prompt, comment = the recipe JSON (compact), software = app
    /// and version; for WAV each at most WavTagMaxBytes (see the class comment).
    static EmbeddedTags tagsFor(const Take& take, AudioFormat format);

    /// `audio` with `tags` embedded (see the class comment for how, per format). Returns nothing and sets `error`
    /// when the audio cannot be read or written back.
    static std::optional<QByteArray> withTags(const QByteArray& audio, const EmbeddedTags& tags,
                                              QString* error = nullptr);

    /// Writes `bytes` to `path` atomically. Without `overwrite` an existing file is never replaced, even one that
    /// appears while writing (the final step is a no-replace rename); `alreadyExists` then becomes true.
    static bool writeFile(const QString& path, const QByteArray& bytes, bool overwrite, QString* error = nullptr,
                          bool* alreadyExists = nullptr);

private:
    QString m_directory;
    QString m_template;
};
