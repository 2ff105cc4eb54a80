#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The system's reason, and what a person can do about the common ones.
QString failure(const QString& path, int error)
{
    QString advice;
    switch (error) {
    case ENOSPC:
    case EDQUOT:
        advice = QCoreApplication::translate("AtomicFile", "Free some space, or choose another folder.");
        break;
    case EACCES:
    case EPERM:
    case EROFS: advice = QCoreApplication::translate("AtomicFile", "Choose a folder you can write to."); break;
    case ENOENT:
    case ENOTDIR:
        advice = QCoreApplication::translate("AtomicFile", "Check that the folder exists, or choose another.");
        break;
    default: break;
    }
    const QString text = QCoreApplication::translate("AtomicFile", "could not write %1: %2")
                             .arg(QDir::toNativeSeparators(path), qt_error_string(error));
    return advice.isEmpty() ? text : text + u". "_s + advice;
}

QString notAFileText(const QString& path)
{
    return QCoreApplication::translate("AtomicFile",
                                       "could not write %1: it is not a regular file (a folder, a device or a pipe); "
                                       "choose a file name")
        .arg(QDir::toNativeSeparators(path));
}

// Where the bytes really go: a symbolic link is followed, so the file it names is replaced and the link stays.
QByteArray resolvedTarget(const QString& path)
{
    const QByteArray target = QFile::encodeName(path);
    struct stat link;
    if (::lstat(target.constData(), &link) != 0 || !S_ISLNK(link.st_mode))
        return target;
    const QString resolved = QFileInfo(path).canonicalFilePath(); // empty for a dangling link
    return resolved.isEmpty() ? QFile::encodeName(QFileInfo(path).symLinkTarget()) : QFile::encodeName(resolved);
}

QString existsText(const QString& path)
{
    return QCoreApplication::translate("AtomicFile", "%1 already exists; choose another name")
        .arg(QDir::toNativeSeparators(path));
}

bool writeAll(int fd, const char* data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(std::min<qint64>(size, qint64(1) << 30)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

constexpr char TemporaryPrefix[] = ".musicgen-";
constexpr char TemporarySuffix[] = ".part";

// A temporary file of our own beside the target, created with 0666 so that the umask decides, like any new file.
// It stays locked (flock) while it is open, which tells removeIfAbandoned() that its writer is alive.
int createTemporary(const QByteArray& directory, QByteArray* path)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        *path = directory + TemporaryPrefix + QByteArray::number(QRandomGenerator::global()->generate64(), 36) +
                TemporarySuffix;
        const int fd = ::open(path->constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            return -1;
        if (fd < 0)
            continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        // Another process took the file for abandoned in the instant before it was locked, and removes it.
        ::close(fd);
    }
    return -1;
}

// Whether the file at `path` holds exactly `bytes`.
bool holds(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return QFileInfo(path).size() == bytes.size() && file.open(QIODevice::ReadOnly) && file.readAll() == bytes;
}

// The rename that ends a NoReplace write. Returns 0, or an errno value (EEXIST: the target exists).
int renameNoReplace(const QByteArray& from, const QByteArray& to)
{
    if (::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return errno;
    // The filesystem cannot refuse in the rename itself: a hard link can (it fails when the name exists).
    if (::link(from.constData(), to.constData()) == 0) {
        ::unlink(from.constData());
        return 0;
    }
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
        return errno;
    // Neither (FAT, some network filesystems): check, then rename. Only a file created in between is at risk.
    struct stat info;
    if (::lstat(to.constData(), &info) == 0)
        return EEXIST;
    return ::rename(from.constData(), to.constData()) == 0 ? 0 : errno;
}

} // namespace

namespace AtomicFile {

std::optional<QByteArray> read(const QString& path, QString* error)
{
    const QFileInfo info(path);
    QString why;
    QFile file(path);
    if (!info.exists())
        why = QCoreApplication::translate("AtomicFile", "%1 is missing").arg(QDir::toNativeSeparators(path));
    else if (!info.isFile())
        why = QCoreApplication::translate("AtomicFile", "%1 is not a regular file").arg(QDir::toNativeSeparators(path));
    else if (!file.open(QIODevice::ReadOnly))
        why = QCoreApplication::translate("AtomicFile", "could not read %1: %2")
                  .arg(QDir::toNativeSeparators(path), file.errorString());
    else
        return file.readAll();
    if (error)
        *error = why;
    return std::nullopt;
}

WriteResult write(const QString& path, const QByteArray& bytes, Mode mode)
{
    WriteResult result;
    const QByteArray target = resolvedTarget(path);
    const qsizetype slash = target.lastIndexOf('/');
    const QByteArray directory = slash >= 0 ? target.left(slash + 1) : QByteArray();
    struct stat existing;
    const bool exists = ::stat(target.constData(), &existing) == 0;
    if (mode == Mode::NoReplace && exists) {
        result.alreadyExists = true;
        result.error = existsText(path);
        return result;
    }
    if (exists && !S_ISREG(existing.st_mode)) {
        result.error = notAFileText(path);
        return result;
    }

    QByteArray temporary;
    const int fd = createTemporary(directory, &temporary);
    if (fd < 0) {
        result.error = failure(path, errno);
        return result;
    }
    bool ok = (!exists || ::fchmod(fd, existing.st_mode & 07777) == 0) &&
              writeAll(fd, bytes.constData(), bytes.size()) && ::fdatasync(fd) == 0;
    int error = ok ? 0 : errno;
    if (ok) {
        error = mode == Mode::Replace ? (::rename(temporary.constData(), target.constData()) == 0 ? 0 : errno)
                                      : renameNoReplace(temporary, target);
        ok = error == 0;
    }
    if (!ok)
        ::unlink(temporary.constData());
    // Closed last: its lock keeps removeAbandoned() away until the file is renamed or removed. After fdatasync the
    // bytes are on the disk, so close has nothing left to report.
    ::close(fd);
    if (!ok) {
        result.alreadyExists = error == EEXIST && mode == Mode::NoReplace;
        result.error = result.alreadyExists ? existsText(path) : failure(path, error);
        return result;
    }
    result.path = path;
    return result;
}

WriteResult writeUnique(const QString& directory, const QString& baseName, const QString& extension,
                        const QByteArray& bytes)
{
    const QDir dir(directory);
    const QString suffix = extension.isEmpty() ? QString() : u'.' + extension;
    for (int n = 1; n < 10000; ++n) {
        const QString path = dir.filePath(n == 1 ? baseName + suffix : u"%1 (%2)%3"_s.arg(baseName).arg(n).arg(suffix));
        if (holds(path, bytes)) {
            WriteResult same;
            same.path = path;
            return same;
        }
        WriteResult result = write(path, bytes, Mode::NoReplace);
        if (!result.alreadyExists)
            return result;
    }
    WriteResult result;
    result.error =
        QCoreApplication::translate(
            "AtomicFile", "there are too many files named %1 in %2; choose another folder or file-name template")
            .arg(baseName, QDir::toNativeSeparators(directory));
    return result;
}

bool isTemporary(QStringView fileName)
{
    return fileName.startsWith(QLatin1StringView(TemporaryPrefix)) &&
           fileName.endsWith(QLatin1StringView(TemporarySuffix));
}

bool removeIfAbandoned(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat info;
    // A live writer holds the lock. One that has just created its file and not locked it yet fails to lock it
    // after us and moves on to another name (createTemporary).
    const bool abandoned = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    const bool removed = abandoned && ::unlink(QFile::encodeName(path).constData()) == 0;
    ::close(fd);
    return removed;
}

int removeAbandoned(const QString& directory)
{
    const QStringList names =
        QDir(directory).entryList({QString::fromLatin1(TemporaryPrefix) + u'*' + QString::fromLatin1(TemporarySuffix)},
                                  QDir::Files | QDir::Hidden | QDir::System);
    int removed = 0;
    for (const QString& name : names)
        removed += removeIfAbandoned(directory + u'/' + name) ? 1 : 0;
    return removed;
}

} // namespace AtomicFile
