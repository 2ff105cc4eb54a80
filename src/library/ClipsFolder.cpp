#include "library/ClipsFolder.h"

#include "audio/AudioCodec.h"
#include "library/TakeSidecar.h"
#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Modification time of a folder in nanoseconds (QFileInfo only has milliseconds), or -1 when it is not a folder.
qint64 directoryTimeNs(const QString& path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0 || !S_ISDIR(info.st_mode))
        return -1;
    return qint64(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

QString tr(const char* text)
{
    return QCoreApplication::translate("ClipsFolder", text);
}

} // namespace

ClipsFolder::ClipsFolder(const QString& root) : m_root(root) {}

QString ClipsFolder::dirFor(const QDateTime& created)
{
    const QDateTime utc = created.toUTC();
    return u"clips/%1/%2"_s.arg(utc.date().year(), 4, 10, QLatin1Char('0'))
        .arg(utc.date().month(), 2, 10, QLatin1Char('0'));
}

QString ClipsFolder::checksum(const QByteArray& audio)
{
    return QString::fromLatin1(QCryptographicHash::hash(audio, QCryptographicHash::Sha256).toHex());
}

QString ClipsFolder::audioPath(const Take& take) const
{
    return m_root + u'/' + take.audioRelativePath;
}

QString ClipsFolder::sidecarPath(const Take& take) const
{
    const QString audio = take.audioRelativePath.isEmpty() ? dirFor(take.created) + u"/x"_s : take.audioRelativePath;
    return m_root + u'/' + audio.left(audio.lastIndexOf(u'/') + 1) + take.id + u".json"_s;
}

QString ClipsFolder::sidecarPath(const QString& id, const Entry& entry) const
{
    return entry.sidecar ? m_root + u'/' + entry.sidecarDir + u'/' + id + u".json"_s : QString();
}

QString ClipsFolder::setAside(const QString& sidecarPath, QString* error)
{
    const QString kept = sidecarPath + u".damaged"_s;
    QFile::remove(kept);
    QFile file(sidecarPath);
    if (!file.rename(kept)) {
        setError(error, tr("could not keep the damaged sidecar %1 aside: %2").arg(sidecarPath, file.errorString()));
        return {};
    }
    return kept;
}

QString ClipsFolder::pendingDir() const
{
    return m_root + u"/pending"_s;
}

bool ClipsFolder::markPending(const QString& id, QString* error) const
{
    QFile marker(pendingDir() + u'/' + id);
    if (QDir().mkpath(pendingDir()) && marker.open(QIODevice::WriteOnly))
        return true;
    setError(error, tr("could not note the change of take %1 in %2: %3")
                        .arg(id, QDir::toNativeSeparators(pendingDir()), marker.errorString()));
    return false;
}

void ClipsFolder::clearPending(const QString& id) const
{
    QFile::remove(pendingDir() + u'/' + id);
}

QStringList ClipsFolder::pendingIds() const
{
    QStringList ids = QDir(pendingDir()).entryList(QDir::Files);
    ids.removeIf([](const QString& name) { return !TakeId::isValid(name); });
    return ids;
}

ClipsFolder::Scan ClipsFolder::scan(const QHash<QString, qint64>& recorded) const
{
    Scan found;
    QHash<QString, QStringList> recordedChildren;
    for (auto it = recorded.cbegin(); it != recorded.cend(); ++it) {
        const qsizetype slash = it.key().lastIndexOf(u'/');
        if (slash > 0)
            recordedChildren[it.key().left(slash)] << it.key();
    }
    QStringList queue{u"clips"_s};
    while (!queue.isEmpty()) {
        const QString dir = queue.takeFirst();
        const QString absolute = m_root + u'/' + dir;
        // Taken before listing: a file added while listing changes the time again, so the next open looks again.
        const qint64 time = directoryTimeNs(absolute);
        if (time < 0)
            continue;
        found.dirTimes.insert(dir, time);
        if (recorded.value(dir, -1) == time) {
            // Nothing was added, removed or renamed in it since the last scan; its subfolders may have changed.
            queue += recordedChildren.value(dir);
            continue;
        }
        found.listedDirs << dir;
        QDirIterator it(absolute, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString name = it.fileName();
            if (it.fileInfo().isDir()) {
                queue << dir + u'/' + name;
                continue;
            }
            if (AtomicFile::isTemporary(name)) {
                found.temporaries << path;
                continue;
            }
            const qsizetype dot = name.indexOf(u'.');
            const QStringView id = QStringView(name).left(dot);
            if (dot != TakeId::Length || !TakeId::isValid(id)) {
                if (audioFormatFromName(name) != AudioFormat::Unknown && !name.startsWith(u'.'))
                    qWarning("Library: skipping %s: not named by a take id", qUtf8Printable(path));
                continue;
            }
            const QStringView extension = QStringView(name).mid(dot + 1);
            const bool sidecar = extension == "json"_L1;
            const AudioFormat format = sidecar ? AudioFormat::Unknown : audioFormatFromName(extension.toString());
            if (!sidecar && format == AudioFormat::Unknown)
                continue; // neither audio nor a sidecar (AtomicFile's temporaries are hidden files, skipped above)
            Entry& entry = found.entries[id.toString()];
            if (sidecar) {
                entry.sidecar = true;
                entry.sidecarDir = dir;
            } else {
                entry.audio = format;
                entry.audioDir = dir;
            }
        }
    }
    for (auto it = recorded.cbegin(); it != recorded.cend(); ++it) {
        if (!found.dirTimes.contains(it.key()))
            found.goneDirs << it.key();
    }
    return found;
}

std::optional<Take> ClipsFolder::readTake(const QString& id, const Entry& entry, bool writeMissingSidecar,
                                          bool* inFlight) const
{
    const QString audioRelative = entry.audio == AudioFormat::Unknown
                                      ? QString()
                                      : entry.audioDir + u'/' + id + u'.' + audioFormatExtension(entry.audio);
    if (entry.sidecar) {
        const QString path = sidecarPath(id, entry);
        QString error;
        std::optional<Take> take = TakeSidecar::read(path, &error);
        if (take && take->id == id) {
            if (!audioRelative.isEmpty())
                take->audioRelativePath = audioRelative;
            else if (take->audioRelativePath.isEmpty())
                take->audioRelativePath = entry.sidecarDir + u'/' + id + u'.' + audioFormatExtension(take->format);
            take->audioMissing = audioRelative.isEmpty();
            if (!take->created.isValid())
                take->created = QFileInfo(path).lastModified().toUTC();
            return take;
        }
        qWarning("Library: ignoring the sidecar %s: %s", qUtf8Printable(path),
                 qUtf8Printable(take ? tr("it names another take") : error));
    }
    if (audioRelative.isEmpty())
        return std::nullopt;
    // Audio without a usable sidecar: keep it with everything its bytes can tell. Unless it is brand new: then
    // another process is probably between writing the audio and its sidecar, and the next open will see both.
    QFile file(m_root + u'/' + audioRelative);
    if (!entry.sidecar && QFileInfo(file).lastModified().secsTo(QDateTime::currentDateTime()) < InFlightSecs) {
        if (inFlight)
            *inFlight = true;
        return std::nullopt;
    }
    const QByteArray audio = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    QString whyNot;
    const auto info = AudioCodec::probe(audio, &whyNot);
    if (!info) {
        qWarning("Library: skipping %s: %s", qUtf8Printable(file.fileName()), qUtf8Printable(whyNot));
        return std::nullopt;
    }
    Take take;
    take.id = id;
    const QFileInfo fileInfo(file);
    take.created = (fileInfo.birthTime().isValid() ? fileInfo.birthTime() : fileInfo.lastModified()).toUTC();
    take.provider = u"unknown"_s;
    take.format = info->format;
    take.sampleRate = info->sampleRate;
    take.channels = info->channels;
    take.actualDuration = info->durationSeconds();
    take.requestedDuration = int(std::lround(take.actualDuration));
    take.byteSize = audio.size();
    take.sha256 = checksum(audio);
    take.audioRelativePath = audioRelative;
    take.note = tr("Found in the clips folder without its recipe.");
    if (writeMissingSidecar) {
        QString error;
        if (!TakeSidecar::write(sidecarPath(take), take, &error))
            qWarning("Library: %s", qUtf8Printable(error));
    }
    return take;
}
