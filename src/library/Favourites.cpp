#include "library/Favourites.h"

#include "audio/AudioCodec.h"
#include "audio/AudioFile.h"
#include "library/TakeSidecar.h"
#include "model/TextUtils.h"
#include "platform/AtomicFile.h"
#include "platform/FileNames.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {

// The names in the list of drag copies handed out from `directory` (keepDragCopy) whose files are still there, with
// `add` when given; the list is written again when that changes it. Nothing, with `error` set, when the list cannot
// be read or written: no copy may be deleted then.
std::optional<QStringList> draggedCopies(const QString& directory, const QString& add, QString* error)
{
    const QString listPath = directory + u"/.dragged"_s;
    QStringList listed;
    if (QFileInfo::exists(listPath)) {
        const std::optional<QByteArray> list = AtomicFile::read(listPath, error);
        if (!list)
            return std::nullopt;
        listed = QString::fromUtf8(*list).split(u'\n', Qt::SkipEmptyParts);
    }
    QStringList names = listed;
    names.removeIf([&directory](const QString& name) { return !QFileInfo::exists(directory + u'/' + name); });
    if (!add.isEmpty() && !names.contains(add))
        names << add;
    if (names == listed)
        return names;
    const AtomicFile::WriteResult written =
        AtomicFile::write(listPath, names.join(u'\n').append(u'\n').toUtf8(), AtomicFile::Mode::Replace);
    if (!written.ok()) {
        setError(error, written.error);
        return std::nullopt;
    }
    return names;
}

bool sameSamples(const std::optional<AudioCodec::Decoded>& a, const std::optional<AudioCodec::Decoded>& b)
{
    return a && b && a->sampleRate == b->sampleRate && a->channels == b->channels && a->samples == b->samples;
}

} // namespace

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

bool writeCopy(const QString& path, AudioFormat format, bool overwrite, const Take& take, const QByteArray& audio,
               QString* error)
{
    const AudioFormat target = format == AudioFormat::Unknown ? audioFormatFromName(path) : format;
    const AtomicFile::WriteResult written = AudioFile::write(
        path, audio, target, overwrite ? AtomicFile::Mode::Replace : AtomicFile::Mode::NoReplace, tagsFor(take));
    if (!written.ok())
        setError(error, written.error);
    return written.ok();
}

EmbeddedTags tagsFor(const Take& take)
{
    EmbeddedTags tags;
    tags.title = take.prompt;
    tags.comment = QString::fromUtf8(TakeSidecar::toEmbeddedJson(take));
    tags.software = u"MusicGen Studio "_s + QString::fromUtf8(MUSICGEN_VERSION);
    tags.shortComment = QString::fromUtf8(TakeSidecar::toEmbeddedJson(take, AudioTags::InfoMaxBytes));
    tags.bpm = take.tempo() > 0 ? qRound(take.tempo()) : 0;
    tags.key = take.key().shortName();
    return tags;
}

std::optional<QString> saveDragCopy(const QString& directory, const QString& fileNameTemplate, const Take& take,
                                    const QByteArray& audio, int keep, QString* error)
{
    if (!QDir().mkpath(directory)) {
        setError(error, QCoreApplication::translate("Favourites", "could not create the folder %1")
                            .arg(QDir::toNativeSeparators(directory)));
        return std::nullopt;
    }
    // Copies handed out that the musician deleted leave the list first, so a new copy taking such a name is not kept.
    const std::optional<QStringList> handedOut = draggedCopies(directory, {}, error);
    const std::optional<QString> path =
        handedOut ? save(directory, fileNameTemplate, take, audio, error) : std::nullopt;
    if (!path)
        return std::nullopt;
    // A copy asked for again counts as new, so the copies deleted are those least recently asked for. Its time is
    // after every other copy's, even when several are asked for within the clock's resolution: the order decides
    // which go. (Hidden files, a live writer's temporary file and the list, are not listed.)
    QFileInfoList copies = QDir(directory).entryInfoList(QDir::Files, QDir::Time);
    QDateTime newestTime = QDateTime::currentDateTimeUtc();
    for (const QFileInfo& file : std::as_const(copies)) {
        if (file.fileName() != QFileInfo(*path).fileName())
            newestTime = std::max(newestTime, file.lastModified().toUTC().addMSecs(1));
    }
    if (QFile copy(*path); copy.open(QIODevice::ReadOnly))
        copy.setFileTime(newestTime, QFileDevice::FileModificationTime);
    AtomicFile::removeAbandoned(directory);
    copies = QDir(directory).entryInfoList(QDir::Files, QDir::Time);
    const QString newest = QFileInfo(*path).fileName();
    int prepared = handedOut->contains(newest) ? 0 : 1;
    for (const QFileInfo& file : copies) {
        if (file.fileName() != newest && !handedOut->contains(file.fileName()) && ++prepared > keep)
            QFile::remove(file.filePath());
    }
    return path;
}

bool keepDragCopy(const QString& path, QString* error)
{
    const QFileInfo copy(path);
    return draggedCopies(copy.absolutePath(), copy.fileName(), error).has_value();
}

bool follow(const Take& before, const Take& after, const QString& clipPath, QString* error)
{
    const EmbeddedTags was = tagsFor(before), now = tagsFor(after);
    const QString path = after.favouritePath;
    // Only a favourite's copy, and only a regular file: a pipe put in its place would block the read.
    if ((was.bpm == now.bpm && was.key == now.key) || !after.favourite || path.isEmpty() || !QFileInfo(path).isFile())
        return true;
    QString why;
    const std::optional<QByteArray> copy = AtomicFile::read(path, &why);
    const std::optional<QByteArray> clip = copy ? AtomicFile::read(clipPath, &why) : std::nullopt;
    if (clip && !sameSamples(AudioCodec::decode(*copy), AudioCodec::decode(*clip)))
        return true; // no longer the take's audio: the musician's own file now
    const std::optional<QByteArray> retagged = clip ? AudioTags::write(*copy, now, &why) : std::nullopt;
    if (retagged) {
        const AtomicFile::WriteResult written = AtomicFile::write(path, *retagged, AtomicFile::Mode::Replace);
        if (written.ok())
            return true;
        why = written.error;
    }
    setError(error, QCoreApplication::translate("Favourites", "the favourite copy %1 keeps its old tempo and key: %2")
                        .arg(QDir::toNativeSeparators(path), why));
    return false;
}

} // namespace Favourites
