#include "generation/PendingTakes.h"

#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
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
    if (take.requestId.isEmpty() || !take.apiBase.isValid() || !validationError(take.request).isEmpty())
        return std::nullopt;
    return take;
}

} // namespace

PendingTakes::Claim::~Claim()
{
    ::close(m_fd);
}

PendingTakes::PendingTakes(const QString& libraryRoot) : m_dir(libraryRoot + u"/pending-takes"_s) {}

QString PendingTakes::pathFor(const QString& requestId) const
{
    // Request ids come from a server: a hash of one is always a safe file name.
    return m_dir + u'/' +
           QString::fromLatin1(QCryptographicHash::hash(requestId.toUtf8(), QCryptographicHash::Sha1).toHex()) +
           u".json"_s;
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

void PendingTakes::remove(const QString& requestId) const
{
    if (!requestId.isEmpty())
        QFile::remove(pathFor(requestId));
}

QList<PendingTake> PendingTakes::all() const
{
    QList<PendingTake> takes;
    const QStringList names = QDir(m_dir).entryList({u"*.json"_s}, QDir::Files);
    for (const QString& name : names) {
        QFile file(m_dir + u'/' + name);
        const auto take = file.open(QIODevice::ReadOnly) ? fromJson(file.read(64 * 1024)) : std::nullopt;
        if (take)
            takes << *take;
        else
            qWarning("Pending takes: skipping %s: not a pending take", qUtf8Printable(file.fileName()));
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
    const int fd = ::open(QFile::encodeName(pathFor(requestId)).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nullptr;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return nullptr;
    }
    return std::make_unique<Claim>(fd);
}
