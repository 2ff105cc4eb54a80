#include "audio/AudioFile.h"

#include "audio/AudioCodec.h"

#include <QCoreApplication>

namespace {

// The bytes to write, or nothing with `error` set.
std::optional<QByteArray> encode(const QByteArray& audio, AudioFormat target, const std::optional<EmbeddedTags>& tags,
                                 const QString& path, QString* error)
{
    if (target == AudioFormat::Unknown) {
        *error =
            QCoreApplication::translate("AudioFile", "end the file name with .wav, .flac, .ogg or .mp3: %1").arg(path);
        return std::nullopt;
    }
    QByteArray bytes = audio;
    if (sniffAudioFormat(audio) != target) {
        QString whyNot;
        const auto converted = AudioCodec::convert(audio, target, &whyNot);
        if (!converted) {
            *error = QCoreApplication::translate("AudioFile", "could not convert the take to %1: %2")
                         .arg(audioFormatExtension(target).toUpper(), whyNot);
            return std::nullopt;
        }
        bytes = *converted;
    }
    if (!tags)
        return bytes;
    QString whyNot;
    if (auto tagged = AudioTags::write(bytes, *tags, &whyNot))
        return tagged;
    qWarning("AudioFile: writing %s without its tags: %s", qUtf8Printable(path), qUtf8Printable(whyNot));
    return bytes;
}

} // namespace

namespace AudioFile {

AtomicFile::WriteResult write(const QString& path, const QByteArray& audio, AudioFormat target, AtomicFile::Mode mode,
                              const std::optional<EmbeddedTags>& tags)
{
    AtomicFile::WriteResult failed;
    const auto bytes = encode(audio, target, tags, path, &failed.error);
    return bytes ? AtomicFile::write(path, *bytes, mode) : failed;
}

AtomicFile::WriteResult writeUnique(const QString& directory, const QString& baseName, const QByteArray& audio,
                                    AudioFormat target, const std::optional<EmbeddedTags>& tags)
{
    AtomicFile::WriteResult failed;
    const auto bytes = encode(audio, target, tags, directory + u'/' + baseName, &failed.error);
    return bytes ? AtomicFile::writeUnique(directory, baseName, audioFormatExtension(target), *bytes) : failed;
}

} // namespace AudioFile
