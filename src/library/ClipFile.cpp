#include "library/ClipFile.h"

#include "audio/AudioFile.h"
#include "model/TextUtils.h"
#include "platform/FileNames.h"

#include <QCoreApplication>
#include <QDir>

using namespace Qt::StringLiterals;

namespace {

QString defaultBaseName(const GenerationRequest& request)
{
    return u"%1_%2"_s.arg(FileNames::slug(request.prompt)).arg(request.seed);
}

} // namespace

namespace ClipFile {

bool write(const QByteArray& audio, const QString& path, QString* error)
{
    const AtomicFile::WriteResult written =
        AudioFile::write(path, audio, audioFormatFromName(path), AtomicFile::Mode::Replace);
    if (!written.ok())
        setError(error, written.error);
    return written.ok();
}

QString rescue(const GenerationRequest& request, const QByteArray& audio, AudioFormat format, const QString& dataDir,
               QString* error)
{
    const QString folder = dataDir + u"/rescued"_s;
    if (!QDir().mkpath(folder)) {
        setError(error, QCoreApplication::translate("ClipFile", "could not create the folder %1")
                            .arg(QDir::toNativeSeparators(folder)));
        return {};
    }
    const AtomicFile::WriteResult written = AudioFile::writeUnique(folder, defaultBaseName(request), audio, format);
    if (!written.ok())
        setError(error, written.error);
    return written.path;
}

QString defaultFileName(const GenerationRequest& request, AudioFormat format)
{
    return defaultBaseName(request) + u'.' + audioFormatExtension(format);
}

} // namespace ClipFile
