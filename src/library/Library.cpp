#include "library/Library.h"

#include "audio/AudioCodec.h"
#include "library/Favourites.h"
#include "library/LibraryDatabase.h"
#include "library/LibraryReconciler.h"
#include "library/TakeSidecar.h"
#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QStorageInfo>

#include <atomic>
#include <cerrno>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QString uniqueConnectionName()
{
    static std::atomic<int> counter{0};
    return u"musicgen-library-%1"_s.arg(++counter);
}

} // namespace

Library::Library(const QString& rootDir, const LibraryOptions& options, QObject* parent)
    : QObject(parent), m_root(QDir::cleanPath(QDir(rootDir).absolutePath())), m_clips(m_root), m_options(options),
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

OpenReport Library::open(Opening opening)
{
    OpenReport report;
    m_db.reset();
    m_readOnlyReason.clear();
    const QString unwritable = whyNotWritable();
    if (unwritable.isEmpty() && !QDir().mkpath(m_root + u"/clips"_s)) {
        report.message = tr("Could not create the library folder %1. Check that it is writable.").arg(m_root);
        return report;
    }
    m_db = std::make_unique<LibraryDatabase>(databasePath(), m_connectionName);
    QString error;
    const bool attach = opening == Opening::Attach;
    using Check = LibraryDatabase::IntegrityCheck;
    const Check check = attach                                                             ? Check::None
                        : m_options.alwaysFullIntegrityCheck || opening == Opening::Repair ? Check::Full
                        : opening == Opening::QuickCheckAndReconcile                       ? Check::Deferred
                                                                                           : Check::Auto;
    if (!unwritable.isEmpty())
        return openReadOnly(unwritable, check);
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
            report.rebuiltTakes = LibraryReconciler(*m_db, m_clips).rebuild(&report.repairs, &error);
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
    // A full disk, or a file the folder lets us read but not write: reading may still work. SQLite reports a
    // full disk as an I/O error when it cannot make its shared-memory file, so the free space is asked directly.
    if (status == LibraryDatabase::Status::Failed && QFileInfo::exists(databasePath())) {
        const bool full = QStorageInfo(m_root).bytesAvailable() < MinFreeBytes;
        return openReadOnly(full ? qt_error_string(ENOSPC) : error, check);
    }
    if (status != LibraryDatabase::Status::Ok) {
        m_db.reset();
        report.message = tr("Could not open the library database %1: %2.").arg(databasePath(), error);
        return report;
    }
    report.ok = true;
    report.fullCheckOwed = m_db->fullCheckOwed();
    if (report.movedAsidePath.isEmpty() && !attach) {
        report.repairs = LibraryReconciler(*m_db, m_clips).reconcile();
        report.repairs.temporariesRemoved +=
            AtomicFile::removeAbandoned(m_options.favouritesDir) + AtomicFile::removeAbandoned(m_root + u"/rescued"_s);
        report.message = LibraryReconciler::describe(report.repairs);
    }
    report.missingAudio = m_db->countAudioMissing();
    return report;
}

LibraryDatabase::Status Library::checkInFull(QString* error)
{
    if (!isOpen()) {
        setError(error, tr("the library is not open"));
        return LibraryDatabase::Status::Failed;
    }
    return m_db->checkInFull(error);
}

OpenReport Library::openReadOnly(const QString& reason, LibraryDatabase::IntegrityCheck check)
{
    OpenReport report;
    QString error;
    const LibraryDatabase::Status status =
        m_db->open(m_options.useFullTextSearch, &error, check, LibraryDatabase::Access::ReadOnly);
    if (status != LibraryDatabase::Status::Ok && status != LibraryDatabase::Status::NewerSchema) {
        m_db.reset();
        report.message = tr("Could not open the library database %1: %2; reading it failed too: %3.")
                             .arg(databasePath(), reason, error);
        return report;
    }
    report.ok = true;
    report.readOnly = true;
    report.fullIntegrityCheck = m_db->ranFullIntegrityCheck();
    m_readOnlyReason = tr("The library %1 cannot be written (%2), so it is open read-only: takes can be listed, "
                          "played and exported, but new takes and changes cannot be kept. Free some space or make "
                          "the folder writable, then open it again.")
                           .arg(QDir::toNativeSeparators(m_root), reason);
    report.message = m_readOnlyReason;
    report.missingAudio = m_db->countAudioMissing();
    return report;
}

QString Library::whyNotWritable() const
{
    // The folder and the database file, when they exist; what does not exist yet is created in a writable folder.
    for (const QString& path : {m_root, m_root + u"/clips"_s, databasePath()}) {
        if (QFileInfo::exists(path) && ::access(QFile::encodeName(path).constData(), W_OK) != 0)
            return qt_error_string(errno);
    }
    return {};
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

int Library::rebuildIndex(Repairs* repairs, QString* error)
{
    if (!checkWritable(error))
        return -1;
    Repairs done;
    const int indexed = LibraryReconciler(*m_db, m_clips).rebuild(repairs ? repairs : &done, error);
    if (indexed >= 0)
        emit reindexed();
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

std::optional<QString> Library::newId(QString* error) const
{
    for (int attempt = 0; attempt < MaxIdAttempts; ++attempt) {
        const QString id = TakeId::generate();
        QString why;
        const std::optional<bool> inUse = m_db->idInUse(id, &why);
        if (!inUse) {
            setError(error, tr("could not choose an id for the take: %1").arg(indexError(why)));
            return std::nullopt;
        }
        if (!*inUse)
            return id;
    }
    setError(error, tr("could not choose an id for the take: %1 random ids in a row were taken already. Try again; "
                       "if it happens again, rebuild the library (musicgen-cli library rebuild)")
                        .arg(MaxIdAttempts));
    return std::nullopt;
}

QString Library::indexError(const QString& reason) const
{
    return tr("the library's index failed (%1). Your takes are safe in the clips folder; if this keeps happening, "
              "quit MusicGen Studio and move %2 aside: it is rebuilt from the clips folder when the library next "
              "opens")
        .arg(reason, databasePath());
}

std::optional<Take> Library::add(const GenerationResult& result, const QString& parentId, QString* error)
{
    if (!checkWritable(error))
        return std::nullopt;
    if (!result.ok()) {
        setError(error, tr("only finished takes are kept: %1").arg(result.error.toUserText()));
        return std::nullopt;
    }
    // A request followed to its end twice (resumed after a crash that came after the take was kept) is kept once.
    if (const auto kept = m_db->takeByRequestId(result.requestId))
        return kept;
    Take take;
    take.prompt = result.request.prompt;
    take.requestedDuration = result.request.durationSeconds;
    take.seed = result.request.seed;
    take.provider = result.providerId;
    take.endpoint = result.endpoint;
    take.model = result.model;
    take.generationMs = result.elapsedMs;
    take.attempts = result.attempts;
    take.estimatedCost = result.providerId == "segmind"_L1 ? m_options.costPerTake : 0.0;
    take.serverCost = result.cost;
    take.requestId = result.requestId;
    take.remainingCredits = result.remainingCredits;
    if (result.analysis)
        take.setAnalysis(*result.analysis);
    take.parentId = parentId;
    return keep(take, result.audio, result.audioInfo, error);
}

std::optional<Take> Library::addDerived(const Take& made, const QByteArray& audio, const QString& path,
                                        AudioFormat format, bool overwrite, QString* error)
{
    if (!checkWritable(error))
        return std::nullopt;
    bool copied = false;
    std::optional<Take> kept = keep(made, audio, {}, error, [&](const Take& take, QString* why) {
        return copied = Favourites::writeCopy(path, format, overwrite, take, audio, why);
    });
    if (!kept && copied)
        setError(error, tr("%1 was written, but the take could not be kept in the library: %2")
                            .arg(QDir::toNativeSeparators(path), error ? *error : QString()));
    return kept;
}

std::optional<Take> Library::keep(Take take, const QByteArray& audio, AudioInfo info, QString* error,
                                  const std::function<bool(const Take&, QString*)>& beforeKeeping)
{
    if (!info.isValid())
        info = AudioCodec::probe(audio).value_or(AudioInfo{sniffAudioFormat(audio), 0, 0, 0});
    if (info.format == AudioFormat::Unknown) {
        setError(error, tr("the take is not WAV, FLAC, Ogg or MP3 audio"));
        return std::nullopt;
    }
    if (!take.parentId.isEmpty() && !m_db->take(take.parentId)) {
        setError(error, tr("no take %1 to be the parent").arg(take.parentId));
        return std::nullopt;
    }
    const std::optional<QString> id = newId(error);
    if (!id)
        return std::nullopt;
    take.id = *id;
    take.created = QDateTime::currentDateTimeUtc();
    take.actualDuration = info.durationSeconds();
    take.format = info.format;
    take.sampleRate = info.sampleRate;
    take.channels = info.channels;
    take.byteSize = audio.size();
    take.sha256 = ClipsFolder::checksum(audio);
    take.audioRelativePath =
        ClipsFolder::dirFor(take.created) + u'/' + take.id + u'.' + audioFormatExtension(take.format);
    if (beforeKeeping && !beforeKeeping(take, error))
        return std::nullopt;

    const QString audioFile = audioPath(take);
    if (!QDir().mkpath(QFileInfo(audioFile).absolutePath())) {
        setError(error, tr("could not create the folder %1").arg(QFileInfo(audioFile).absolutePath()));
        return std::nullopt;
    }
    // Never replacing: a file already there belongs to a take this index does not know yet.
    const AtomicFile::WriteResult written = AtomicFile::write(audioFile, audio, AtomicFile::Mode::NoReplace);
    if (!written.ok()) {
        setError(error, written.error);
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

bool Library::canKeep(int durationSeconds, QString* why) const
{
    if (!checkWritable(why))
        return false;
    const qint64 needed = durationSeconds * MaxBytesPerSecond + BytesBesidesAudio;
    const qint64 available = QStorageInfo(m_root).bytesAvailable();
    if (available >= needed)
        return true;
    setError(why, tr("%1: the library's disk has %2 free and a take may need %3. Free some space on the disk of %4")
                      .arg(qt_error_string(ENOSPC), QLocale::system().formattedDataSize(std::max<qint64>(0, available)),
                           QLocale::system().formattedDataSize(needed), QDir::toNativeSeparators(m_root)));
    return false;
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
    QString why;
    if (key.size() == TakeId::Length) {
        if (auto take = m_db->take(key, &why))
            return take;
        if (!why.isEmpty()) {
            setError(error, indexError(why));
            return std::nullopt;
        }
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
    const QList<Take> found = m_db->takesWithPrefix(key, 1, &total, &why);
    if (!why.isEmpty()) {
        setError(error, indexError(why));
        return std::nullopt;
    }
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

QList<Take> Library::takes(const TakeQuery& query, QString* error) const
{
    if (!isOpen()) {
        setError(error, tr("the library is not open"));
        return {};
    }
    QString why;
    const QList<Take> found = m_db->takes(query, &why);
    if (!why.isEmpty())
        setError(error, indexError(why));
    return found;
}

int Library::count(const TakeQuery& query, QString* error) const
{
    if (!isOpen()) {
        setError(error, tr("the library is not open"));
        return -1;
    }
    QString why;
    const int n = m_db->count(query, &why);
    if (n < 0)
        setError(error, indexError(why));
    return n;
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
    return m_clips.audioPath(take);
}

QString Library::sidecarPath(const Take& take) const
{
    return m_clips.sidecarPath(take);
}

QByteArray Library::readAudio(const Take& take, QString* error) const
{
    QString why;
    const std::optional<QByteArray> audio = AtomicFile::read(audioPath(take), &why);
    if (!audio)
        setError(error, tr("the audio of take %1 cannot be read: %2").arg(take.id, why));
    return audio.value_or(QByteArray());
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
    ++after.revision;
    // The sidecar first, under the index's write lock and noted as pending: a crash before the commit leaves the
    // sidecar one revision ahead and the note behind, and the next open takes the change into the index.
    if (!m_clips.markPending(after.id, error)) {
        m_db->rollback();
        return false;
    }
    if (!TakeSidecar::write(sidecarPath(after), after, error)) {
        m_db->rollback();
        m_clips.clearPending(after.id);
        return false;
    }
    const bool committed = m_db->update(after, error) && m_db->commit(error);
    if (!committed)
        m_db->rollback();
    // Should the sidecar not go back either, the note stays and the next open settles the two copies.
    if (committed || TakeSidecar::write(sidecarPath(*before), *before))
        m_clips.clearPending(after.id);
    if (QString why; committed && !Favourites::follow(*before, after, audioPath(after), &why))
        qWarning("Library: %s", qUtf8Printable(why));
    if (committed)
        emit takeChanged(after);
    return committed;
}

bool Library::setFavourite(const QString& id, bool favourite, QString* savedPath, QString* error)
{
    if (!checkWritable(error))
        return false;
    const auto found = find(id, error);
    if (!found)
        return false;
    // The copy is made before the write transaction, so other writers (the CLI) never wait for reading, tagging and
    // writing audio; the transaction only records it.
    QString copy = favourite ? found->favouritePath : QString();
    bool madeCopy = false;
    if (favourite && (copy.isEmpty() || !QFileInfo::exists(copy))) {
        const QByteArray audio = readAudio(*found, error);
        if (audio.isEmpty())
            return false;
        const auto saved = Favourites::save(m_options.favouritesDir, m_options.fileNameTemplate, *found, audio, error);
        if (!saved)
            return false;
        copy = *saved;
        madeCopy = true;
    }
    QString recorded = copy;
    const bool ok = change(
        found->id,
        [&](Take& take, QString*) {
            take.favourite = favourite;
            if (!favourite)
                return true;
            // Another process may have saved a copy meanwhile: the first one recorded stays the take's copy.
            if (take.favouritePath != copy && !take.favouritePath.isEmpty() && QFileInfo::exists(take.favouritePath))
                recorded = take.favouritePath;
            else
                take.favouritePath = copy;
            return true;
        },
        error);
    if (madeCopy && ok && recorded != copy)
        QFile::remove(copy); // our own duplicate of a moment ago, which nothing refers to
    if (madeCopy && !ok)
        setError(error, tr("the copy %1 was saved, but the take could not be marked as a favourite: %2")
                            .arg(QDir::toNativeSeparators(copy), error ? *error : QString()));
    if (ok && savedPath)
        *savedPath = recorded;
    return ok;
}

bool Library::setRating(const QString& id, int rating, QString* error)
{
    if (rating < 0 || rating > 5) {
        setError(error, tr("a rating is 0 to 5 stars, not %1").arg(rating));
        return false;
    }
    return set(
        id, [rating](Take& take) { take.rating = rating; }, error);
}

bool Library::setTags(const QString& id, const QStringList& tags, QString* error)
{
    QStringList clean;
    for (const QString& tag : tags) {
        const QString t = tag.simplified();
        if (!t.isEmpty() && !clean.contains(t, Qt::CaseInsensitive))
            clean << t;
    }
    return set(
        id, [&clean](Take& take) { take.tags = clean; }, error);
}

bool Library::setNote(const QString& id, const QString& note, QString* error)
{
    return set(
        id, [&note](Take& take) { take.note = note; }, error);
}

bool Library::moveToTrash(const QString& id, QString* error)
{
    return setTrashed(id, true, error);
}

bool Library::restore(const QString& id, QString* error)
{
    return setTrashed(id, false, error);
}

bool Library::set(const QString& id, const std::function<void(Take&)>& assign, QString* error)
{
    return change(
        id,
        [&assign](Take& take, QString*) {
            assign(take);
            return true;
        },
        error);
}

bool Library::setAnalysis(const QString& id, const MusicAnalysis& analysis, QString* error)
{
    return set(
        id, [&analysis](Take& take) { take.setAnalysis(analysis); }, error);
}

bool Library::setTempoByUser(const QString& id, std::optional<double> bpm, QString* error)
{
    if (bpm && !(*bpm >= MusicAnalysis::MinBpm && *bpm <= MusicAnalysis::MaxBpm)) {
        setError(error,
                 tr("a tempo must be between %1 and %2 BPM").arg(MusicAnalysis::MinBpm).arg(MusicAnalysis::MaxBpm));
        return false;
    }
    return set(
        id, [bpm](Take& take) { take.bpmByUser = bpm; }, error);
}

bool Library::setTrashed(const QString& id, bool trashed, QString* error)
{
    return set(
        id, [trashed](Take& take) { take.trashed = trashed; }, error);
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
    emit trashEmptied();
    return int(deleted.size());
}

bool Library::exportTake(const QString& id, const QString& path, AudioFormat format, bool overwrite, QString* error)
{
    const auto take = find(id, error);
    if (!take)
        return false;
    const QByteArray audio = readAudio(*take, error);
    if (audio.isEmpty())
        return false;
    return Favourites::writeCopy(path, format, overwrite, *take, audio, error);
}
