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

QString rescue(const GenerationRequest& request, const QByteArray& audio, AudioFormat format, const QString& dataDir,
               QString* error)
{
    // The temporary folder is often on another disk: the last place left when the data folder's disk is full.
    QStringList failures;
    for (const QString& folder : {dataDir + u"/rescued"_s, QDir::tempPath() + u"/musicgen-rescued"_s}) {
        if (!QDir().mkpath(folder)) {
            failures << QCoreApplication::translate("ClipFile", "could not create the folder %1")
                            .arg(QDir::toNativeSeparators(folder));
            continue;
        }
        const AtomicFile::WriteResult written = AudioFile::writeUnique(folder, defaultBaseName(request), audio, format);
        if (written.ok())
            return written.path;
        failures << written.error;
    }
    setError(error, failures.join(u"; "_s));
    return {};
}

QString defaultFileName(const GenerationRequest& request, AudioFormat format)
{
    return defaultBaseName(request) + u'.' + audioFormatExtension(format);
}

} // namespace ClipFile
