#include "generation/PendingTakes.h"

#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QByteArray toJson(const PendingTake& take)
{
    return QJsonDocument(QJsonObject{
                             {u"requestId"_s, take.requestId},
                             {u"prompt"_s, take.request.prompt},
                             {u"duration"_s, take.request.durationSeconds},
                             {u"seed"_s, take.request.seed},
                             {u"apiBase"_s, take.apiBase.toString()},
                             {u"submitted"_s, take.submitted.toString(Qt::ISODateWithMs)},
                             {u"parentId"_s, take.parentId},
                             {u"outputUrl"_s, take.outputUrl.toString()},
                         })
        .toJson();
}

std::optional<PendingTake> fromJson(const QByteArray& json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    PendingTake take;
    take.requestId = object.value("requestId"_L1).toString();
    take.request = {object.value("prompt"_L1).toString(), object.value("duration"_L1).toInt(),
                    object.value("seed"_L1).toInt()};
    take.apiBase = QUrl(object.value("apiBase"_L1).toString());
    take.submitted = QDateTime::fromString(object.value("submitted"_L1).toString(), Qt::ISODateWithMs).toUTC();
    take.parentId = object.value("parentId"_L1).toString();
    take.outputUrl = QUrl(object.value("outputUrl"_L1).toString());
    if (take.requestId.isEmpty() || !take.apiBase.isValid() || !validationError(take.request).isEmpty())
        return std::nullopt;
    return take;
}

// The record in the file at `path`; nothing when it cannot be read or is not a record.
std::optional<PendingTake> readRecord(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? fromJson(file.read(64 * 1024)) : std::nullopt;
}

} // namespace

PendingTakes::Claim::~Claim()
{
    ::close(m_fd);
}

PendingTakes::PendingTakes(const QString& libraryRoot) : m_dir(libraryRoot + u"/pending-takes"_s) {}

QString PendingTakes::pathFor(const QString& requestId, QLatin1StringView suffix) const
{
    return m_dir + u'/' +
           QString::fromLatin1(QCryptographicHash::hash(requestId.toUtf8(), QCryptographicHash::Sha1).toHex()) + suffix;
}

bool PendingTakes::add(const PendingTake& take, QString* error) const
{
    if (!QDir().mkpath(m_dir)) {
        setError(error, QCoreApplication::translate("PendingTakes", "could not create the folder %1")
                            .arg(QDir::toNativeSeparators(m_dir)));
        return false;
    }
    const AtomicFile::WriteResult written =
        AtomicFile::write(pathFor(take.requestId), toJson(take), AtomicFile::Mode::Replace);
    if (!written.ok())
        setError(error, written.error);
    return written.ok();
}

std::optional<PendingTake> PendingTakes::find(const QString& requestId) const
{
    return readRecord(pathFor(requestId));
}

bool PendingTakes::noteOutput(const QString& requestId, const QUrl& outputUrl, QString* error) const
{
    std::optional<PendingTake> take = find(requestId);
    if (!take) {
        setError(error, QCoreApplication::translate("PendingTakes", "request %1 is not noted").arg(requestId));
        return false;
    }
    take->outputUrl = outputUrl;
    return add(*take, error);
}

void PendingTakes::remove(const QString& requestId) const
{
    if (requestId.isEmpty())
        return;
    QFile::remove(pathFor(requestId));
    QFile::remove(pathFor(requestId, ".lock"_L1));
}

QList<PendingTake> PendingTakes::all() const
{
    QList<PendingTake> takes;
    const QStringList names = QDir(m_dir).entryList({u"*.json"_s}, QDir::Files);
    for (const QString& name : names) {
        const QString path = m_dir + u'/' + name;
        if (const auto take = readRecord(path))
            takes << *take;
        else
            qWarning("Pending takes: skipping %s: not a pending take", qUtf8Printable(path));
    }
    std::sort(takes.begin(), takes.end(),
              [](const PendingTake& a, const PendingTake& b) { return a.submitted < b.submitted; });
    return takes;
}

bool PendingTakes::isOver(const GenerationError& error)
{
    return error.kind == ErrorKind::GenerationFailed || error.kind == ErrorKind::BadAudio || error.httpStatus == 404 ||
           error.httpStatus == 410;
}

std::unique_ptr<PendingTakes::Claim> PendingTakes::claim(const QString& requestId) const
{
    if (!QFileInfo::exists(pathFor(requestId)))
        return nullptr;
    const int fd =
        ::open(QFile::encodeName(pathFor(requestId, ".lock"_L1)).constData(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return nullptr;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return nullptr;
    }
    return std::make_unique<Claim>(fd);
}
