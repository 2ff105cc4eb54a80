#include "library/ClipFile.h"

#include "audio/AudioCodec.h"
#include "platform/FileNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

namespace ClipFile {

bool write(const QByteArray& audio, const QString& path, QString* error)
{
    const AudioFormat target = audioFormatFromName(path);
    if (target == AudioFormat::Unknown) {
        *error =
            QCoreApplication::translate("ClipFile", "end the file name with .wav, .flac, .ogg or .mp3: %1").arg(path);
        return false;
    }
    QByteArray bytes = audio;
    if (sniffAudioFormat(audio) != target) {
        QString whyNot;
        const auto converted = AudioCodec::convert(audio, target, &whyNot);
        if (!converted) {
            *error = QCoreApplication::translate("ClipFile", "could not convert the take to %1: %2")
                         .arg(audioFormatExtension(target).toUpper(), whyNot);
            return false;
        }
        bytes = *converted;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QCoreApplication::translate("ClipFile", "could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString rescue(const GenerationRequest& request, const QByteArray& audio, AudioFormat format, const QString& dataDir,
               QString* error)
{
    const QString folder = dataDir + QStringLiteral("/rescued");
    QDir().mkpath(folder);
    const QString path = folder + u'/' + defaultFileName(request, format);
    return write(audio, path, error) ? path : QString();
}

QString defaultFileName(const GenerationRequest& request, AudioFormat format)
{
    return QStringLiteral("%1_%2.%3")
        .arg(FileNames::slug(request.prompt))
        .arg(request.seed)
        .arg(audioFormatExtension(format));
}

} // namespace ClipFile
