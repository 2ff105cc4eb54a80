#pragma once

#include <QSqlDatabase>
#include <QString>

/// Makes an open connection to the library's SQLite file fit for use and keeps the file's layout current: the
/// pragmas every connection needs (busy timeout, WAL, synchronous=FULL, foreign keys), the integrity check, the
/// PRAGMA user_version migrations (one transaction each) and the FTS5 search index with its triggers.
///
/// LibraryDatabase makes one for each open() and then runs only statements over the tables set up here.
class LibrarySchema final
{
public:
    /// The schema version this build writes (PRAGMA user_version). A file with a higher one opens read-only.
    static constexpr int Version = 5;
    static constexpr int BusyTimeoutMs = 5000;
    /// PRAGMA integrity_check reads every page and checks every index entry: about 5 ms per 1,000 takes. Files up to
    /// this size get it on every open; larger ones get PRAGMA quick_check (page and b-tree structure, a fifth of the
    /// cost; it catches truncated, overwritten and garbage files) and the full check once per FullCheckIntervalSecs.
    static constexpr qint64 FullCheckMaxBytes = 16 * 1024 * 1024;
    static constexpr qint64 FullCheckIntervalSecs = 24 * 3600;

    enum class IntegrityCheck
    {
        Auto, ///< full for small files or when the last full check is older than FullCheckIntervalSecs
        Full, ///< always PRAGMA integrity_check
        /// PRAGMA quick_check now; the full check Auto would run is left owed (fullCheckOwed()) for checkInFull(),
        /// which the opener runs right after on another thread. A read-only connection gets Auto instead.
        Deferred,
        None, ///< another connection of this process has just checked the file
    };

    enum class Status
    {
        Ok,          ///< fit for reading and writing
        NewerSchema, ///< made by a newer app: use it read-only
        Corrupt,     ///< not a database, truncated or failing the integrity check
        Failed,      ///< unusable for another reason (permissions, disk, WAL refused)
    };

    /// `db` is an open connection to the file at `path` (the path is used to judge the file's size).
    LibrarySchema(const QSqlDatabase& db, const QString& path);

    /// Sets the pragmas (a `readOnly` connection leaves the file's journal mode and sync setting alone), runs the
    /// integrity check `check` asks for and reads the file's schema version. `error` says what went wrong for every
    /// status but Ok.
    Status configure(bool readOnly, IntegrityCheck check, QString* error);
    /// Runs the migrations the file has not had yet, each in its own BEGIN IMMEDIATE transaction with its
    /// user_version bump, so a crash leaves the file at the old or the new version. Another process may migrate
    /// the same file meanwhile: a step it already did is skipped.
    bool migrate(QString* error);
    /// Runs PRAGMA integrity_check: Ok, Corrupt (`error` says what is wrong) or Failed (it could not run, `error`
    /// says why). Records nothing: see recordFullCheck().
    Status checkInFull(QString* error);
    /// Notes the time of a full integrity check in a large file, so that the next opens within
    /// FullCheckIntervalSecs make do with quick_check.
    void recordFullCheck();
    /// Creates the FTS5 table and triggers when `wanted` and SQLite has FTS5 (indexing every row), or drops the
    /// triggers when SQLite lacks FTS5 (they would make every write fail). Returns whether search can use FTS5.
    bool setUpFullTextSearch(bool wanted);

    /// The user_version found in the file by configure(), raised by migrate().
    int fileVersion() const { return m_fileVersion; }
    /// Whether configure() ran the full PRAGMA integrity_check (otherwise quick_check).
    bool ranFullCheck() const { return m_fullCheck; }
    /// Whether configure() was asked for IntegrityCheck::Deferred and left a full check that is due to checkInFull().
    bool fullCheckOwed() const { return m_fullCheckOwed; }

private:
    bool fullCheckDue(IntegrityCheck check) const;
    /// Runs PRAGMA integrity_check (`full`) or quick_check on `query`'s connection.
    Status runCheck(QSqlQuery& query, bool full, QString* error);

    QSqlDatabase m_db;
    QString m_path;
    bool m_readOnly = false;
    bool m_fullCheck = false;
    bool m_fullCheckOwed = false;
    int m_fileVersion = 0;
};
