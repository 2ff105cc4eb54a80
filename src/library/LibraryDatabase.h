#pragma once

#include "library/LibrarySchema.h"
#include "library/LibraryTypes.h"
#include "model/Take.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSqlQuery;
class QTemporaryFile;

/// The library's SQLite index (through Qt SQL's QSQLITE driver): its connection and every SQL statement over the
/// takes (LibrarySchema sets the connection up and keeps the file's layout current). It only indexes what is in the
/// clips folder; Library decides what to do when it is damaged.
///
/// One instance owns one named connection, so several instances (the window and the CLI, or two objects in one
/// process) can use the same file at the same time: WAL journaling plus a busy timeout make writers wait for each
/// other instead of failing.
class LibraryDatabase final
{
public:
    /// The schema version this build writes (PRAGMA user_version). A file with a higher one opens read-only.
    static constexpr int SchemaVersion = LibrarySchema::Version;
    using IntegrityCheck = LibrarySchema::IntegrityCheck;

    /// Where an indexed take's audio is meant to be, and whether it is flagged missing.
    struct IndexedAudio
    {
        QString dir; ///< e.g. "clips/2024/05"
        bool missing = false;
    };

    /// What open() found. Ok: open for reading and writing, migrated to SchemaVersion. NewerSchema: open read-only.
    /// Corrupt: left open so the caller can copy the -wal/-shm files before close() (SQLite deletes them on close).
    /// Failed: closed again.
    using Status = LibrarySchema::Status;

    LibraryDatabase(const QString& path, const QString& connectionName);
    ~LibraryDatabase();
    LibraryDatabase(const LibraryDatabase&) = delete;
    LibraryDatabase& operator=(const LibraryDatabase&) = delete;

    enum class Access
    {
        ReadWrite, ///< the normal case; a file from a newer version still opens read-only (NewerSchema)
        ReadOnly,  ///< the folder or the disk cannot be written: SQLite is told so and never writes
    };

    /// Opens the file (creating it), sets WAL (and checks it took), synchronous=FULL, the busy timeout and foreign
    /// keys, runs integrity_check and the migrations, and sets up full-text search when `fullTextSearch` is asked
    /// for and SQLite has FTS5. `error` says what went wrong for every status but Ok. Read-only, the file is never
    /// written: one of an older layout is read through a migrated private copy in the temporary folder.
    Status open(bool fullTextSearch, QString* error, IntegrityCheck check = IntegrityCheck::Auto,
                Access access = Access::ReadWrite);
    void close();
    bool isOpen() const;
    bool isReadOnly() const { return m_readOnly; }
    /// The user_version found in the file when it was opened.
    int fileSchemaVersion() const { return m_fileVersion; }
    bool hasFullTextSearch() const { return m_fullTextSearch; }
    /// Whether the last open() ran the full PRAGMA integrity_check (otherwise quick_check).
    bool ranFullIntegrityCheck() const { return m_fullCheck; }
    /// Whether the last open() was asked for IntegrityCheck::Deferred and left a full check that is due to
    /// checkInFull(). Until one passes, every open owes it.
    bool fullCheckOwed() const { return m_fullCheckOwed; }
    /// Runs PRAGMA integrity_check on this connection; one that passes is recorded as open() records it, so that a
    /// large file is checked in full once a day. Ok; Corrupt: the file is damaged (`error` says how); Failed: the
    /// check could not run to its end (`error` says why), and nothing is recorded.
    Status checkInFull(QString* error);
    QString path() const { return m_path; }

    /// BEGIN IMMEDIATE: takes the write lock now (waiting up to the busy timeout), so read-modify-write is safe
    /// against the other process.
    bool beginWrite(QString* error);
    bool commit(QString* error);
    void rollback();

    /// Inserts a row (`take.id` must be valid); an id that is already indexed is left as it is (another process
    /// re-attached it first).
    bool insert(const Take& take, QString* error);
    /// Writes the fields that change after a take is made (TakeFields::Scope::ChangeLater): favourite, rating, tags,
    /// note, trash, audioMissing, favouritePath.
    bool update(const Take& take, QString* error);
    bool remove(const QStringList& ids, QString* error);
    /// Remembers ids whose takes were deleted for good, so they are never handed out again.
    bool retire(const QStringList& ids, QString* error);
    bool setAudioMissing(const QStringList& ids, bool missing, QString* error);
    /// Points a take at audio found in another folder (the user moved the file) and clears its missing flag.
    bool setAudioPath(const QString& id, const QString& relativePath, QString* error);

    /// Nothing when there is no such take, or when the index could not be read (`error` is then set).
    std::optional<Take> take(const QString& id, QString* error = nullptr) const;
    /// The take made by the server's request `requestId`; nothing when there is none (or the index could not be read:
    /// `error` is then set).
    std::optional<Take> takeByRequestId(const QString& requestId, QString* error = nullptr) const;
    /// Up to `limit` takes whose id starts with `prefix`, in id order; `total` gets how many there are in all.
    /// Empty, with `total` 0 and `error` set, when the index could not be read.
    QList<Take> takesWithPrefix(const QString& prefix, int limit, int* total, QString* error = nullptr) const;
    /// Empty with `error` set when the index could not be read.
    QList<Take> takes(const TakeQuery& query, QString* error = nullptr) const;
    /// -1 with `error` set when the index could not be read.
    int count(const TakeQuery& query, QString* error = nullptr) const;
    /// Whether the take `id` passes the query's filters (limit, offset and paging ignored).
    bool matches(const QString& id, const TakeQuery& query) const;
    /// Every indexed take (`dirs` empty), or those whose audio is directly in one of `dirs`: the cheap list the
    /// open-time scan compares with the files.
    QHash<QString, IndexedAudio> indexedAudio(const QStringList& dirs = {}) const;
    int countAudioMissing() const;
    /// Modification times (ns) of the clips folders as the last scan saw them, by path relative to the root.
    QHash<QString, qint64> scannedDirs() const;
    /// Replaces the recorded folder times (inside the caller's transaction).
    bool saveScannedDirs(const QHash<QString, qint64>& dirs, QString* error);
    QStringList trashedIds() const;
    /// Whether `id` is indexed or was retired; nothing, with `error` set, when the index could not be asked.
    std::optional<bool> idInUse(const QString& id, QString* error = nullptr) const;
    /// PRAGMA data_version: changes when another connection commits to the file; -1 when unknown.
    qint64 dataVersion() const;

private:
    Status openReadWrite(bool fullTextSearch, QString* error, IntegrityCheck check);
    Status openReadOnly(bool fullTextSearch, QString* error, IntegrityCheck check);
    Status openMigratedCopy(bool fullTextSearch, QString* error);
    QString whereClause(const TakeQuery& query, QList<QVariant>* values) const;

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_insert; // prepared once: rebuilds insert many rows
    /// A read-only file of an older layout is read through a migrated private copy (openMigratedCopy).
    std::unique_ptr<QTemporaryFile> m_migratedCopy;
    bool m_readOnly = false;
    bool m_fullTextSearch = false;
    bool m_fullCheck = false;
    bool m_fullCheckOwed = false;
    int m_fileVersion = 0;
};
