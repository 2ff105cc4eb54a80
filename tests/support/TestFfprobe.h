#pragma once

#include "model/AudioFormat.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

#include <optional>

/// FFmpeg's ffprobe as a second reader of tags, besides TagLib: what players and DAWs built on FFmpeg will see.
namespace TestFfprobe {

/// True when ffprobe is on PATH.
inline bool available()
{
    using namespace Qt::StringLiterals;
    return !QStandardPaths::findExecutable(u"ffprobe"_s).isEmpty();
}

/// How ffprobe shows the tags AudioTags writes into `format`: MP3's ID3 frames by their ids (the title as "title"),
/// FLAC's and Ogg's Vorbis comments as written. A WAV it shows by its RIFF INFO list alone (title, comment, and the
/// software as "encoder"): FFmpeg discards the ID3 chunk of a file that has both ("Discarding ID3 tags because more
/// suitable tags were found"), and INFO has no tempo or key, so for WAV `tempo` and `key` are empty.
struct View
{
    QString extension; ///< the file name's, written out here rather than asked of the code under test
    QString title;
    QString tempo;
    QString key;
};

inline View view(AudioFormat format)
{
    using namespace Qt::StringLiterals;
    switch (format) {
    case AudioFormat::Wav: return {u"wav"_s, u"title"_s, {}, {}};
    case AudioFormat::Flac: return {u"flac"_s, u"TITLE"_s, u"BPM"_s, u"INITIALKEY"_s};
    case AudioFormat::Ogg: return {u"ogg"_s, u"TITLE"_s, u"BPM"_s, u"INITIALKEY"_s};
    case AudioFormat::Mp3: return {u"mp3"_s, u"title"_s, u"TBPM"_s, u"TKEY"_s};
    case AudioFormat::Unknown: break;
    }
    return {};
}

/// The tags ffprobe shows for `audio` in a file of `format`
/// (`ffprobe -v error -show_entries format_tags:stream_tags -of json`): the container's (format_tags), and for Ogg,
/// where ffprobe puts the Vorbis comments on the stream, the first stream's. Keys are spelled as ffprobe spells
/// them (see view()). Nothing, with `why` set, when ffprobe cannot be run or fails.
inline std::optional<QJsonObject> tags(const QByteArray& audio, AudioFormat format, QString* why)
{
    using namespace Qt::StringLiterals;
    QTemporaryDir dir;
    const QString path = dir.filePath(u"tagged."_s + view(format).extension);
    QFile file(path);
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(audio) != audio.size()) {
        *why = u"could not write %1"_s.arg(path);
        return std::nullopt;
    }
    file.close();
    QProcess ffprobe;
    ffprobe.start(u"ffprobe"_s,
                  {u"-v"_s, u"error"_s, u"-show_entries"_s, u"format_tags:stream_tags"_s, u"-of"_s, u"json"_s, path});
    if (!ffprobe.waitForFinished(60000) || ffprobe.exitStatus() != QProcess::NormalExit || ffprobe.exitCode() != 0) {
        *why = u"ffprobe failed: "_s + QString::fromUtf8(ffprobe.readAllStandardError().right(500));
        return std::nullopt;
    }
    const QJsonObject shown = QJsonDocument::fromJson(ffprobe.readAllStandardOutput()).object();
    QJsonObject found = shown.value(u"streams").toArray().at(0).toObject().value(u"tags").toObject();
    const QJsonObject container = shown.value(u"format").toObject().value(u"tags").toObject();
    for (auto it = container.begin(); it != container.end(); ++it)
        found.insert(it.key(), it.value());
    return found;
}

} // namespace TestFfprobe
