#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

/// Text a saved copy carries inside its audio file, so the recipe travels with it.
struct EmbeddedTags
{
    QString title;    ///< the prompt
    QString comment;  ///< the recipe as JSON, in full
    QString software; ///< "MusicGen Studio <version>"
    /// For WAV's RIFF INFO list only: a comment of at most AudioTags::InfoMaxBytes bytes of UTF-8, used there
    /// instead of `comment` when that is longer (see AudioTags). Empty: `comment` is cut instead.
    QString shortComment;
    int bpm = 0; ///< the tempo in whole beats per minute; 0: none
    /// The key as MusicalKey::shortName() spells it ("Am", "F#", "Ebm"): at most 3 characters, as ID3's TKEY allows.
    /// Empty: none.
    QString key;

    friend bool operator==(const EmbeddedTags&, const EmbeddedTags&) = default;
};

/// Tags read and written in memory through TagLib. Only the tags change: the audio data is kept as it is, so the
/// samples decode bit-identical (no re-encoding, Ogg included).
///
/// By format, with title, comment, software, BPM and key:
/// - WAV: an "ID3 " chunk holding an ID3v2.3 tag (TIT2, COMM, TSSE, TBPM, TKEY) with the full text, plus a RIFF
///   INFO list (INAM, ICMT, ISFT) for readers that know only INFO, libsndfile among them. INFO has no field for
///   tempo or key. libsndfile skips an INFO string of about 2 KB or more together with the rest of the list, so
///   every INFO field is at most InfoMaxBytes: the title is cut (ending in "…") and the comment replaced by
///   `shortComment` when longer.
/// - MP3: an ID3v2.3 tag (TIT2, COMM, TSSE, TBPM, TKEY; UTF-16 text, as v2.3 has no UTF-8), the version most
///   players read; other tags (ID3v1, APE) are removed.
/// - FLAC, and Ogg with Vorbis, Opus or FLAC inside: Vorbis comments TITLE, COMMENT, BPM, INITIALKEY, and the
///   software as both SOFTWARE and ENCODER (libsndfile reads the first for FLAC and Vorbis, the second for Opus;
///   players show ENCODER).
///
/// An empty field (a `bpm` of 0) removes that frame or comment, so tagging a file again never leaves an older
/// value behind.
namespace AudioTags {

/// Longest RIFF INFO field written, in bytes of UTF-8.
inline constexpr int InfoMaxBytes = 2000;

/// `audio` (WAV, MP3, FLAC or Ogg, recognised by its bytes) with `tags` in it, replacing the same fields already
/// there. Returns nothing and sets `error` when TagLib cannot read or rewrite the container (RF64 WAV, for one).
std::optional<QByteArray> write(const QByteArray& audio, const EmbeddedTags& tags, QString* error = nullptr);

/// The title, comment, software, BPM and key tags of `audio` (empty or 0 where a field is missing); for WAV the ID3
/// chunk's, else the INFO list's. A BPM written with decimals by another program is rounded. Returns nothing and sets
/// `error` when TagLib cannot read the container.
std::optional<EmbeddedTags> read(const QByteArray& audio, QString* error = nullptr);

} // namespace AudioTags
