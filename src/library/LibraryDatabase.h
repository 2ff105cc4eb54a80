#pragma once

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

/// The library's SQLite index (through Qt SQL's QSQLITE driver): connection set-up, schema migrations and every
/// SQL statement. It only indexes what is in the clips folder; Library decides what to do when it is damaged.
///
/// One instance owns one named connection, so several instances (the window and the CLI, or two objects in one
/// process) can use the same file at the same time: WAL journaling plus a busy timeout make writers wait for each
/// other instead of failing.
class LibraryDatabase final
{
public:
    /// The schema version this build writes (PRAGMA user_version). A file with a higher one opens read-only.
    static constexpr int SchemaVersion = 1;
    static constexpr int BusyTimeoutMs = 5000;
    /// PRAGMA integrity_check reads every page and checks every index entry: about 5 ms per 1,000 takes. Files up to
    /// this size get it on every open; larger ones get PRAGMA quick_check (page and b-tree structure, a fifth of the
    /// cost; it catches truncated, overwritten and garbage files) and the full check once per FullCheckInterval.
    static constexpr qint64 FullCheckMaxBytes = 16 * 1024 * 1024;
    static constexpr qint64 FullCheckIntervalSecs = 24 * 3600;

    enum class IntegrityCheck
    {
        Auto, ///< full for small files or when the last full check is older than FullCheckIntervalSecs
        Full, ///< always PRAGMA integrity_check
    };

    /// Where an indexed take's audio is meant to be, and whether it is flagged missing.
    struct IndexedAudio
    {
        QString dir; ///< e.g. "clips/2024/05"
        bool missing = false;
    };

    enum class Status
    {
        Ok,          ///< open for reading and writing, migrated to SchemaVersion
        NewerSchema, ///< made by a newer app: open read-only
        Corrupt,     ///< not a database, truncated or failing integrity_check: left open so the caller can copy the
                     ///< -wal/-shm files before close() (SQLite deletes them on close)
        Failed,      ///< could not be opened for another reason (permissions, disk, WAL refused): closed again
    };

    LibraryDatabase(const QString& path, const QString& connectionName);
    ~LibraryDatabase();
    LibraryDatabase(const LibraryDatabase&) = delete;
    LibraryDatabase& operator=(const LibraryDatabase&) = delete;

    /// Opens the file (creating it), sets WAL (and checks it took), synchronous=FULL, the busy timeout and foreign
    /// keys, runs integrity_check and the migrations, and sets up full-text search when `fullTextSearch` is asked
    /// for and SQLite has FTS5. `error` says what went wrong for every status but Ok.
    Status open(bool fullTextSearch, QString* error, IntegrityCheck check = IntegrityCheck::Auto);
    void close();
    bool isOpen() const;
    bool isReadOnly() const { return m_readOnly; }
    /// The user_version found in the file when it was opened.
    int fileSchemaVersion() const { return m_fileVersion; }
    bool hasFullTextSearch() const { return m_fullTextSearch; }
    /// Whether the last open() ran the full PRAGMA integrity_check (otherwise quick_check).
    bool ranFullIntegrityCheck() const { return m_fullCheck; }
    QString path() const { return m_path; }

    /// BEGIN IMMEDIATE: takes the write lock now (waiting up to the busy timeout), so read-modify-write is safe
    /// against the other process.
    bool beginWrite(QString* error);
    bool commit(QString* error);
    void rollback();

    /// Inserts a row (`take.id` must be valid); an id that is already indexed is left as it is (another process
    /// re-attached it first).
    bool insert(const Take& take, QString* error);
    /// Writes the fields that change after a take is made: favourite, rating, tags, note, trash, audioMissing,
    /// favouritePath.
    bool update(const Take& take, QString* error);
    bool remove(const QStringList& ids, QString* error);
    /// Remembers ids whose takes were deleted for good, so they are never handed out again.
    bool retire(const QStringList& ids, QString* error);
    /// Deletes every row (for a rebuild; retired ids stay).
    bool clear(QString* error);
    bool setAudioMissing(const QStringList& ids, bool missing, QString* error);
    /// Points a take at audio found in another folder (the user moved the file) and clears its missing flag.
    bool setAudioPath(const QString& id, const QString& relativePath, QString* error);

    std::optional<Take> take(const QString& id) const;
    /// Up to `limit` takes whose id starts with `prefix`, in id order; `total` gets how many there are in all.
    QList<Take> takesWithPrefix(const QString& prefix, int limit, int* total) const;
    QList<Take> takes(const TakeQuery& query, QString* error = nullptr) const;
    int count(const TakeQuery& query) const;
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
    /// True when `id` is indexed or was retired.
    bool idInUse(const QString& id) const;
    /// PRAGMA data_version: changes when another connection commits to the file; -1 when unknown.
    qint64 dataVersion() const;

private:
    Status configure(IntegrityCheck check, QString* error);
    bool fullCheckDue(IntegrityCheck check) const;
    void recordFullCheck();
    bool migrate(QString* error);
    void setUpFullTextSearch(bool wanted);
    bool exec(const QString& sql, QString* error = nullptr) const;
    void bindFilters(QSqlQuery& query, const QList<QVariant>& values) const;
    QString whereClause(const TakeQuery& query, QList<QVariant>* values) const;

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_insert; // prepared once: rebuilds insert many rows
    bool m_readOnly = false;
    bool m_fullTextSearch = false;
    bool m_fullCheck = false;
    int m_fileVersion = 0;
};
