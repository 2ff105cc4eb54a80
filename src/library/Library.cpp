#include "library/Library.h"

#include "audio/AudioCodec.h"
#include "library/FavouriteExporter.h"
#include "library/LibraryDatabase.h"
#include "library/TakeSidecar.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSet>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

void setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
}

// English plurals without a translator loaded ("%n take(s)" would show as it is written).
QString takesText(int n)
{
    return n == 1 ? QCoreApplication::translate("Library", "1 take")
                  : QCoreApplication::translate("Library", "%1 takes").arg(n);
}

// Modification time of a folder in nanoseconds (QFileInfo only has milliseconds), or -1 when it is not a folder.
qint64 directoryTimeNs(const QString& path)
{
#ifdef Q_OS_UNIX
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0 || !S_ISDIR(info.st_mode))
        return -1;
#ifdef Q_OS_DARWIN
    return qint64(info.st_mtimespec.tv_sec) * 1000000000 + info.st_mtimespec.tv_nsec;
#else
    return qint64(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
#endif
#else
    const QFileInfo info(path);
    return info.isDir() ? info.lastModified().toMSecsSinceEpoch() * 1000000 : -1;
#endif
}

QString uniqueConnectionName()
{
    static std::atomic<int> counter{0};
    return u"musicgen-library-%1"_s.arg(++counter);
}

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString clipsDirFor(const QDateTime& created)
{
    const QDateTime utc = created.toUTC();
    return u"clips/%1/%2"_s.arg(utc.date().year(), 4, 10, QLatin1Char('0'))
        .arg(utc.date().month(), 2, 10, QLatin1Char('0'));
}

} // namespace

/// What the clips folder holds for one id: the folder it is in, its audio's format (Unknown: no audio) and whether
/// there is a sidecar.
struct Library::DiskEntry
{
    QString audioDir;   ///< relative to the root, e.g. "clips/2024/05"; empty: no audio
    QString sidecarDir; ///< empty: no sidecar
    AudioFormat audio = AudioFormat::Unknown;
    bool sidecar = false;
};

/// What a walk of the clips folder found.
struct Library::ClipsScan
{
    QHash<QString, DiskEntry> entries; ///< by id, from the folders that were listed
    QStringList listedDirs;            ///< folders listed because they are new or changed
    QStringList goneDirs;              ///< folders recorded by the last scan that are gone
    QHash<QString, qint64> dirTimes;   ///< every folder seen, with its modification time before listing
};

Library::Library(const QString& rootDir, const LibraryOptions& options, QObject* parent)
    : QObject(parent), m_root(QDir::cleanPath(QDir(rootDir).absolutePath())), m_options(options),
      m_connectionName(uniqueConnectionName())
{
}

Library::~Library() = default;

bool Library::isOpen() const
{
    return m_db && m_db->isOpen();
}

bool Library::isReadOnly() const
{
    return m_db && m_db->isReadOnly();
}

QString Library::rootDir() const
{
    return m_root;
}

QString Library::databasePath() const
{
    return m_root + u"/library.sqlite3"_s;
}

bool Library::hasFullTextSearch() const
{
    return m_db && m_db->hasFullTextSearch();
}

const LibraryOptions& Library::options() const
{
    return m_options;
}

void Library::setOptions(const LibraryOptions& options)
{
    m_options = options;
}

OpenReport Library::open()
{
    OpenReport report;
    m_db.reset();
    m_readOnlyReason.clear();
    if (!QDir().mkpath(m_root + u"/clips"_s)) {
        report.message = tr("Could not create the library folder %1. Check that it is writable.").arg(m_root);
        return report;
    }
    m_db = std::make_unique<LibraryDatabase>(databasePath(), m_connectionName);
    QString error;
    const auto check = m_options.alwaysFullIntegrityCheck ? LibraryDatabase::IntegrityCheck::Full
                                                          : LibraryDatabase::IntegrityCheck::Auto;
    LibraryDatabase::Status status = m_db->open(m_options.useFullTextSearch, &error, check);
    report.fullIntegrityCheck = m_db->ranFullIntegrityCheck();
    if (status == LibraryDatabase::Status::Corrupt) {
        const QString reason = error;
        report.movedAsidePath = moveAside(&error);
        if (report.movedAsidePath.isEmpty()) {
            m_db.reset();
            report.message = tr("The library database %1 is damaged (%2) and could not be moved aside: %3.")
                                 .arg(databasePath(), reason, error);
            return report;
        }
        status = m_db->open(m_options.useFullTextSearch, &error, check);
        if (status == LibraryDatabase::Status::Ok) {
            report.rebuiltTakes = indexFromDisk(&error);
            if (report.rebuiltTakes < 0) {
                m_db.reset();
                report.message = tr("The library database was damaged (%1); rebuilding it failed: %2. The old file "
                                    "is at %3.")
                                     .arg(reason, error, report.movedAsidePath);
                report.rebuiltTakes = 0;
                return report;
            }
            report.message = tr("The library was damaged (%1) and has been rebuilt from %2; the old file is at %3.")
                                 .arg(reason, takesText(report.rebuiltTakes), report.movedAsidePath);
        }
    }
    if (status == LibraryDatabase::Status::NewerSchema) {
        report.ok = true;
        report.readOnly = true;
        m_readOnlyReason = tr("This library was written by a newer version of MusicGen Studio (schema %1; this "
                              "version knows up to %2), so it is open read-only: takes can be listed, played and "
                              "exported but not added or changed. Update MusicGen Studio to change it.")
                               .arg(m_db->fileSchemaVersion())
                               .arg(LibraryDatabase::SchemaVersion);
        report.message = m_readOnlyReason;
        return report;
    }
    if (status != LibraryDatabase::Status::Ok) {
        m_db.reset();
        report.message = tr("Could not open the library database %1: %2.").arg(databasePath(), error);
        return report;
    }
    report.ok = true;
    if (report.movedAsidePath.isEmpty())
        reconcile(report);
    report.missingAudio = m_db->countAudioMissing();
    return report;
}

QString Library::moveAside(QString* error) const
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
    QString target = databasePath() + u".corrupt-"_s + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = databasePath() + u".corrupt-"_s + stamp + u'-' + QString::number(n);
    // Copied while the connection is still open: closing it lets SQLite delete them.
    for (const auto suffix : {"-wal"_L1, "-shm"_L1}) {
        if (QFileInfo::exists(databasePath() + suffix))
            QFile::copy(databasePath() + suffix, target + suffix);
    }
    m_db->close();
    QFile file(databasePath());
    if (!file.rename(target)) {
        setError(error, file.errorString());
        return {};
    }
    // The WAL belongs to the damaged file; left in place it would be applied to the new one.
    for (const auto suffix : {"-wal"_L1, "-shm"_L1})
        QFile::remove(databasePath() + suffix);
    return target;
}

Library::ClipsScan Library::scanClips(const QHash<QString, qint64>& recorded) const
{
    ClipsScan scan;
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
        scan.dirTimes.insert(dir, time);
        if (recorded.value(dir, -1) == time) {
            // Nothing was added, removed or renamed in it since the last scan; its subfolders may have changed.
            queue += recordedChildren.value(dir);
            continue;
        }
        scan.listedDirs << dir;
        QDirIterator it(absolute, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString name = it.fileName();
            if (it.fileInfo().isDir()) {
                queue << dir + u'/' + name;
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
                continue; // e.g. a QSaveFile temporary "<id>.wav.XXXXXX" left by a crash
            DiskEntry& entry = scan.entries[id.toString()];
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
        if (!scan.dirTimes.contains(it.key()))
            scan.goneDirs << it.key();
    }
    return scan;
}

std::optional<Take> Library::takeFromDisk(const QString& id, const DiskEntry& entry, bool writeMissingSidecar,
                                          bool* inFlight) const
{
    const QString audioRelative = entry.audio == AudioFormat::Unknown
                                      ? QString()
                                      : entry.audioDir + u'/' + id + u'.' + audioFormatExtension(entry.audio);
    if (entry.sidecar) {
        const QString path = m_root + u'/' + entry.sidecarDir + u'/' + id + u".json"_s;
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
    take.sha256 = sha256Hex(audio);
    take.audioRelativePath = audioRelative;
    take.note = tr("Found in the clips folder without its recipe.");
    if (writeMissingSidecar) {
        QString error;
        if (!TakeSidecar::write(sidecarPath(take), take, &error))
            qWarning("Library: %s", qUtf8Printable(error));
    }
    return take;
}

void Library::reconcile(OpenReport& report)
{
    // Only folders whose modification time changed since the last scan are listed (a file added, removed or
    // renamed in a folder changes its time), so opening a large library costs a few stat() calls.
    const QHash<QString, qint64> recorded = m_db->scannedDirs();
    ClipsScan scan = scanClips(recorded);
    if (scan.listedDirs.isEmpty() && scan.goneDirs.isEmpty())
        return;
    const QStringList checkDirs = scan.listedDirs + scan.goneDirs;
    const QSet<QString> checkSet(checkDirs.cbegin(), checkDirs.cend());
    // Rows are read after listing: a take another process adds meanwhile either has its files listed (so it is not
    // missing) or is not seen at all. Candidates for "missing" are checked once more below.
    const QHash<QString, LibraryDatabase::IndexedAudio> rows =
        recorded.isEmpty() || checkDirs.size() > 8 ? m_db->indexedAudio() : m_db->indexedAudio(checkDirs);
    QStringList nowMissing, foundAgain, orphanIds;
    QList<std::pair<Take, QString>> moved; // the user moved the audio to another folder: follow it
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        const auto entry = scan.entries.constFind(it.key());
        const bool listed = entry != scan.entries.cend() && entry->audio != AudioFormat::Unknown;
        const bool hasAudio = listed && entry->audioDir == it->dir;
        if (hasAudio && it->missing) {
            foundAgain << it.key();
        } else if (!hasAudio && (checkSet.contains(it->dir) || listed)) {
            const auto take = m_db->take(it.key());
            if (!take || QFileInfo::exists(audioPath(*take)))
                continue;
            if (listed)
                moved.append({*take, entry->audioDir + u'/' + it.key() + u'.' + audioFormatExtension(entry->audio)});
            else if (!it->missing)
                nowMissing << it.key();
        }
    }
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        if (!rows.contains(it.key()))
            orphanIds << it.key();
    }
    QString error;
    if (!m_db->beginWrite(&error)) {
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        return;
    }
    bool ok = m_db->setAudioMissing(nowMissing, true, &error) && m_db->setAudioMissing(foundAgain, false, &error);
    for (const auto& [take, path] : std::as_const(moved)) {
        Take there = take;
        there.audioRelativePath = path;
        if (QFileInfo::exists(sidecarPath(take)) && !QFileInfo::exists(sidecarPath(there)))
            QFile::rename(sidecarPath(take), sidecarPath(there));
        ok = ok && m_db->setAudioPath(take.id, path, &error);
    }
    int reattached = 0;
    for (const QString& id : std::as_const(orphanIds)) {
        const DiskEntry& entry = scan.entries[id];
        if (m_db->take(id))
            continue; // indexed meanwhile by another process, or with its audio elsewhere (handled above)
        bool inFlight = false;
        if (const auto take = takeFromDisk(id, entry, true, &inFlight)) {
            ok = ok && m_db->insert(*take, &error);
            ++reattached;
        } else if (inFlight) {
            scan.dirTimes[entry.audioDir] = 0; // never a real time: the folder is listed again next time
        }
    }
    ok = ok && m_db->saveScannedDirs(scan.dirTimes, &error);
    if (!ok || !m_db->commit(&error)) {
        m_db->rollback();
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        return;
    }
    report.reattached = reattached;
    QStringList parts;
    if (reattached > 0)
        parts << tr("%1 found in the clips folder without an entry in the library: added back.")
                     .arg(takesText(reattached));
    if (!nowMissing.isEmpty())
        parts << tr("The audio of %1 is missing; kept in the history and marked as missing.")
                     .arg(takesText(int(nowMissing.size())));
    report.message = parts.join(u' ');
}

int Library::indexFromDisk(QString* error)
{
    ClipsScan scan = scanClips({});
    if (!m_db->beginWrite(error))
        return -1;
    if (!m_db->clear(error)) {
        m_db->rollback();
        return -1;
    }
    int indexed = 0;
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        bool inFlight = false;
        const auto take = takeFromDisk(it.key(), it.value(), true, &inFlight);
        if (inFlight)
            scan.dirTimes[it->audioDir] = 0;
        if (!take)
            continue;
        if (!m_db->insert(*take, error)) {
            m_db->rollback();
            return -1;
        }
        ++indexed;
    }
    if (!m_db->saveScannedDirs(scan.dirTimes, error)) {
        m_db->rollback();
        return -1;
    }
    return m_db->commit(error) ? indexed : -1;
}

int Library::rebuildIndex(QString* error)
{
    if (!checkWritable(error))
        return -1;
    const int indexed = indexFromDisk(error);
    if (indexed >= 0)
        emit takesRemoved();
    return indexed;
}

bool Library::checkWritable(QString* error) const
{
    if (!isOpen()) {
        setError(error, tr("the library is not open"));
        return false;
    }
    if (isReadOnly()) {
        setError(error, m_readOnlyReason);
        return false;
    }
    return true;
}

QString Library::newId() const
{
    for (;;) {
        const QString id = TakeId::generate();
        if (!m_db->idInUse(id))
            return id;
    }
}

std::optional<Take> Library::add(const GenerationResult& result, const QString& parentId, QString* error)
{
    if (!checkWritable(error))
        return std::nullopt;
    if (!result.ok()) {
        setError(error, tr("only finished takes are kept: %1").arg(result.error.toUserText()));
        return std::nullopt;
    }
    AudioInfo info = result.audioInfo;
    if (!info.isValid())
        info = AudioCodec::probe(result.audio).value_or(AudioInfo{sniffAudioFormat(result.audio), 0, 0, 0});
    if (info.format == AudioFormat::Unknown) {
        setError(error, tr("the take is not WAV, FLAC, Ogg or MP3 audio"));
        return std::nullopt;
    }
    if (!parentId.isEmpty() && !m_db->take(parentId)) {
        setError(error, tr("no take %1 to be the parent").arg(parentId));
        return std::nullopt;
    }
    Take take;
    take.id = newId();
    take.created = QDateTime::currentDateTimeUtc();
    take.prompt = result.request.prompt;
    take.requestedDuration = result.request.durationSeconds;
    take.actualDuration = info.durationSeconds();
    take.seed = result.request.seed;
    take.provider = result.providerId;
    take.endpoint = result.endpoint;
    take.model = result.model;
    take.format = info.format;
    take.sampleRate = info.sampleRate;
    take.channels = info.channels;
    take.byteSize = result.audio.size();
    take.sha256 = sha256Hex(result.audio);
    take.generationMs = result.elapsedMs;
    take.attempts = result.attempts;
    take.estimatedCost = result.providerId == "segmind"_L1 ? m_options.costPerTake : 0.0;
    take.remainingCredits = result.remainingCredits;
    take.parentId = parentId;
    take.audioRelativePath = clipsDirFor(take.created) + u'/' + take.id + u'.' + audioFormatExtension(take.format);

    const QString audioFile = audioPath(take);
    if (!QDir().mkpath(QFileInfo(audioFile).absolutePath())) {
        setError(error, tr("could not create the folder %1").arg(QFileInfo(audioFile).absolutePath()));
        return std::nullopt;
    }
    QSaveFile file(audioFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(result.audio) != result.audio.size() || !file.commit()) {
        setError(error, tr("could not write %1: %2").arg(audioFile, file.errorString()));
        return std::nullopt;
    }
    if (!TakeSidecar::write(sidecarPath(take), take, error)) {
        QFile::remove(audioFile);
        return std::nullopt;
    }
    QString dbError;
    if (!m_db->insert(take, &dbError)) {
        setError(error, tr("could not index the take (%1); its files are kept and it will be added back when the "
                           "library next opens")
                            .arg(dbError));
        return std::nullopt;
    }
    emit takeAdded(take);
    return take;
}

std::optional<Take> Library::find(const QString& idOrPrefix, QString* error) const
{
    if (!isOpen()) {
        setError(error, tr("the library is not open"));
        return std::nullopt;
    }
    const QString key = idOrPrefix.trimmed().toLower();
    if (key.isEmpty()) {
        setError(error, tr("no take id given"));
        return std::nullopt;
    }
    if (key.size() == TakeId::Length) {
        if (auto take = m_db->take(key))
            return take;
    }
    const bool idCharacters =
        key.size() <= TakeId::Length && TakeId::isValid(key + QString(TakeId::Length - key.size(), u'a'));
    if (!idCharacters || key.size() == TakeId::Length) {
        setError(error, tr("no take %1").arg(idOrPrefix.trimmed()));
        return std::nullopt;
    }
    if (key.size() < 4) {
        setError(error, tr("%1 is too short: give at least 4 characters of the take id").arg(key));
        return std::nullopt;
    }
    int total = 0;
    const QList<Take> found = m_db->takesWithPrefix(key, 1, &total);
    if (total == 0 || found.isEmpty()) {
        setError(error, tr("no take %1").arg(key));
        return std::nullopt;
    }
    if (total > 1) {
        setError(error, tr("%1 matches %2 takes: be more specific").arg(key).arg(total));
        return std::nullopt;
    }
    return found.first();
}

QList<Take> Library::takes(const TakeQuery& query) const
{
    return isOpen() ? m_db->takes(query) : QList<Take>();
}

int Library::count(const TakeQuery& query) const
{
    return isOpen() ? m_db->count(query) : 0;
}

bool Library::matches(const QString& id, const TakeQuery& query) const
{
    return isOpen() && m_db->matches(id, query);
}

qint64 Library::dataVersion() const
{
    return isOpen() ? m_db->dataVersion() : -1;
}

QString Library::audioPath(const Take& take) const
{
    return m_root + u'/' + take.audioRelativePath;
}

QString Library::sidecarPath(const Take& take) const
{
    const QString audio =
        take.audioRelativePath.isEmpty() ? clipsDirFor(take.created) + u"/x"_s : take.audioRelativePath;
    return m_root + u'/' + audio.left(audio.lastIndexOf(u'/') + 1) + take.id + u".json"_s;
}

QByteArray Library::readAudio(const Take& take, QString* error) const
{
    QFile file(audioPath(take));
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, file.exists() ? tr("could not read the audio of take %1: %2").arg(take.id, file.errorString())
                                      : tr("the audio of take %1 is missing (%2)").arg(take.id, file.fileName()));
        return {};
    }
    return file.readAll();
}

bool Library::change(const QString& id, const std::function<bool(Take&, QString*)>& edit, QString* error)
{
    if (!checkWritable(error))
        return false;
    const auto found = find(id, error);
    if (!found)
        return false;
    if (!m_db->beginWrite(error))
        return false;
    // Read again under the write lock: the other process may have changed the take since.
    const std::optional<Take> before = m_db->take(found->id);
    if (!before) {
        m_db->rollback();
        setError(error, tr("no take %1").arg(found->id));
        return false;
    }
    Take after = *before;
    if (!edit(after, error)) {
        m_db->rollback();
        return false;
    }
    if (after == *before) {
        m_db->rollback();
        return true;
    }
    // The sidecar first: it is what a rebuild restores from.
    if (!TakeSidecar::write(sidecarPath(after), after, error)) {
        m_db->rollback();
        return false;
    }
    if (!m_db->update(after, error) || !m_db->commit(error)) {
        m_db->rollback();
        TakeSidecar::write(sidecarPath(*before), *before);
        return false;
    }
    emit takeChanged(after);
    return true;
}

bool Library::setFavourite(const QString& id, bool favourite, QString* savedPath, QString* error)
{
    return change(
        id,
        [&](Take& take, QString* why) {
            if (!favourite) {
                take.favourite = false;
                return true;
            }
            take.favourite = true;
            if (!take.favouritePath.isEmpty() && QFileInfo::exists(take.favouritePath)) {
                if (savedPath)
                    *savedPath = take.favouritePath;
                return true;
            }
            const QByteArray audio = readAudio(take, why);
            if (audio.isEmpty())
                return false;
            const auto path =
                FavouriteExporter(m_options.favouritesDir, m_options.fileNameTemplate).save(take, audio, why);
            if (!path)
                return false;
            take.favouritePath = *path;
            if (savedPath)
                *savedPath = *path;
            return true;
        },
        error);
}

bool Library::setRating(const QString& id, int rating, QString* error)
{
    if (rating < 0 || rating > 5) {
        setError(error, tr("a rating is 0 to 5 stars, not %1").arg(rating));
        return false;
    }
    return change(
        id,
        [rating](Take& take, QString*) {
            take.rating = rating;
            return true;
        },
        error);
}

bool Library::setTags(const QString& id, const QStringList& tags, QString* error)
{
    QStringList clean;
    for (const QString& tag : tags) {
        const QString t = tag.simplified();
        if (!t.isEmpty() && !clean.contains(t, Qt::CaseInsensitive))
            clean << t;
    }
    return change(
        id,
        [&clean](Take& take, QString*) {
            take.tags = clean;
            return true;
        },
        error);
}

bool Library::setNote(const QString& id, const QString& note, QString* error)
{
    return change(
        id,
        [&note](Take& take, QString*) {
            take.note = note;
            return true;
        },
        error);
}

bool Library::moveToTrash(const QString& id, QString* error)
{
    return change(
        id,
        [](Take& take, QString*) {
            take.trashed = true;
            return true;
        },
        error);
}

bool Library::restore(const QString& id, QString* error)
{
    return change(
        id,
        [](Take& take, QString*) {
            take.trashed = false;
            return true;
        },
        error);
}

int Library::emptyTrash(QString* error)
{
    if (!checkWritable(error))
        return -1;
    QStringList deleted;
    const QStringList ids = m_db->trashedIds();
    for (const QString& id : ids) {
        const auto take = m_db->take(id);
        if (!take)
            continue;
        // Audio before sidecar: if this stops half-way, what is left is a row that is still in the trash.
        const QString audio = audioPath(*take);
        if (QFileInfo::exists(audio) && !QFile::remove(audio)) {
            qWarning("Library: could not delete %s; take %s stays in the trash", qUtf8Printable(audio),
                     qUtf8Printable(id));
            continue;
        }
        QFile::remove(sidecarPath(*take));
        deleted << id;
    }
    if (deleted.isEmpty())
        return 0;
    if (!m_db->beginWrite(error))
        return -1;
    if (!m_db->remove(deleted, error) || !m_db->retire(deleted, error) || !m_db->commit(error)) {
        m_db->rollback();
        return -1;
    }
    emit takesRemoved();
    return int(deleted.size());
}

bool Library::exportTake(const QString& id, const QString& path, AudioFormat format, bool overwrite, QString* error)
{
    const auto take = find(id, error);
    if (!take)
        return false;
    const AudioFormat target = format == AudioFormat::Unknown ? audioFormatFromName(path) : format;
    if (target == AudioFormat::Unknown) {
        setError(error, tr("say which format to export: end the file name with .wav, .flac, .ogg or .mp3"));
        return false;
    }
    QByteArray audio = readAudio(*take, error);
    if (audio.isEmpty())
        return false;
    if (sniffAudioFormat(audio) != target) {
        QString whyNot;
        const auto converted = AudioCodec::convert(audio, target, &whyNot);
        if (!converted) {
            setError(error, tr("could not convert take %1 to %2: %3")
                                .arg(take->id, audioFormatExtension(target).toUpper(), whyNot));
            return false;
        }
        audio = *converted;
    }
    return FavouriteExporter::writeFile(path, audio, overwrite, error);
}
