#include "library/Favourites.h"

#include "audio/AudioFile.h"
#include "library/TakeSidecar.h"
#include "model/TextUtils.h"
#include "platform/FileNames.h"

#include <QCoreApplication>
#include <QDir>

using namespace Qt::StringLiterals;

namespace Favourites {

std::optional<QString> save(const QString& directory, const QString& fileNameTemplate, const Take& take,
                            const QByteArray& audio, QString* error)
{
    const AudioFormat format = sniffAudioFormat(audio);
    if (format == AudioFormat::Unknown) {
        setError(error, QCoreApplication::translate("Favourites", "the audio of take %1 is not WAV, FLAC, Ogg or MP3")
                            .arg(take.id));
        return std::nullopt;
    }
    if (!QDir().mkpath(directory)) {
        setError(error, QCoreApplication::translate(
                            "Favourites", "could not create the favourites folder %1; choose another one in Settings")
                            .arg(QDir::toNativeSeparators(directory)));
        return std::nullopt;
    }
    // Room for the extension and a " (9999)" within FileNames::MaxBytes.
    const int extensionBytes = int(audioFormatExtension(format).size()) + 1;
    const QString base = FileNames::fromTemplate(fileNameTemplate, take, FileNames::MaxBytes - extensionBytes - 7);
    const AtomicFile::WriteResult written = AudioFile::writeUnique(directory, base, audio, format, tagsFor(take));
    if (!written.ok()) {
        setError(error, written.error);
        return std::nullopt;
    }
    return written.path;
}

EmbeddedTags tagsFor(const Take& take)
{
    return EmbeddedTags{take.prompt, QString::fromUtf8(TakeSidecar::toJson(take, false)),
                        u"MusicGen Studio "_s + QString::fromUtf8(MUSICGEN_VERSION),
                        QString::fromUtf8(TakeSidecar::toShortJson(take, AudioTags::InfoMaxBytes))};
}

} // namespace Favourites
