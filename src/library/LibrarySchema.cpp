#include "library/LibrarySchema.h"

#include "library/SqlSupport.h"
#include "model/TextUtils.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;
using SqlSupport::describe;

namespace {

// One migration step: the statements that take a database from `version - 1` to `version`.
struct Migration
{
    int version;
    QList<QLatin1StringView> statements;
};

// Append steps; never edit one that has shipped. Each runs in its own BEGIN IMMEDIATE transaction together with the
// user_version bump, so a crash leaves the database at the old or the new version, never between.
const QList<Migration>& migrations()
{
    static const QList<Migration> steps = {
        {1,
         {
             // `n` is the id as a number (TakeId::toNumber): the row key, unique without an index of its own (an
             // index is what PRAGMA integrity_check spends its time on), stable for the FTS index's rowids.
             R"(CREATE TABLE takes (
                    n INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    prompt TEXT NOT NULL,
                    requested_duration INTEGER NOT NULL,
                    actual_duration REAL NOT NULL,
                    seed INTEGER NOT NULL,
                    provider TEXT NOT NULL,
                    endpoint TEXT NOT NULL,
                    model TEXT NOT NULL,
                    format TEXT NOT NULL,
                    sample_rate INTEGER NOT NULL,
                    channels INTEGER NOT NULL,
                    byte_size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    generation_ms INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    estimated_cost REAL NOT NULL,
                    remaining_credits REAL,
                    favourite INTEGER NOT NULL DEFAULT 0,
                    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
                    tags TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '',
                    trashed INTEGER NOT NULL DEFAULT 0,
                    audio_missing INTEGER NOT NULL DEFAULT 0,
                    parent_id TEXT NOT NULL DEFAULT '',
                    audio_path TEXT NOT NULL,
                    favourite_path TEXT NOT NULL DEFAULT ''
                ))"_L1,
             // Serves the history list (newest first within trash / not trash, ties by n) and its keyset paging.
             "CREATE INDEX takes_newest ON takes (trashed, created)"_L1,
             // Small: only the rows it names are in it, so counting missing audio costs nothing at 100k takes.
             "CREATE INDEX takes_missing ON takes (n) WHERE audio_missing = 1"_L1,
             "CREATE TABLE retired_ids (id TEXT PRIMARY KEY) WITHOUT ROWID"_L1,
             "CREATE TABLE scanned_dirs (path TEXT PRIMARY KEY, mtime INTEGER NOT NULL) WITHOUT ROWID"_L1,
             "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID"_L1,
         }},
        {2,
         {
             // Take::revision: which of index and sidecar is newer after a crash between their writes.
             "ALTER TABLE takes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"_L1,
         }},
        {3,
         {
             // What the server said a take cost, and its id for the request.
             "ALTER TABLE takes ADD COLUMN server_cost REAL"_L1,
             "ALTER TABLE takes ADD COLUMN request_id TEXT NOT NULL DEFAULT ''"_L1,
             // Finds the take of a request resumed after a crash, so that it is kept once.
             "CREATE INDEX takes_request ON takes (request_id) WHERE request_id != ''"_L1,
         }},
        {4,
         {
             // What the analysis found: tempo, beat grid, key, loudness. analysis_version 0 marks a take still to
             // be analysed; its index finds those at once among 100,000 analysed ones.
             "ALTER TABLE takes ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN bpm REAL NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN bpm_confidence REAL NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN downbeat_seconds REAL NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN bpm_by_user REAL"_L1,
             "ALTER TABLE takes ADD COLUMN key_root INTEGER NOT NULL DEFAULT -1"_L1,
             "ALTER TABLE takes ADD COLUMN key_minor INTEGER NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN key_confidence REAL NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN loudness_lufs REAL"_L1,
             "ALTER TABLE takes ADD COLUMN true_peak_dbtp REAL"_L1,
             "CREATE INDEX takes_analysis ON takes (analysis_version)"_L1,
             // The search box's bpm: and key: filters (TakeSearch): counting 100,000 takes through these takes
             // milliseconds, through the rows a tenth of a second.
             "CREATE INDEX takes_tempo ON takes (trashed, coalesce(bpm_by_user, bpm))"_L1,
             "CREATE INDEX takes_key ON takes (trashed, key_root, key_minor)"_L1,
         }},
        {5,
         {
             // A loop cut from its parent's bars (parent_id): which bars; loop_bars 0 for every other take.
             "ALTER TABLE takes ADD COLUMN loop_start_bar INTEGER NOT NULL DEFAULT 0"_L1,
             "ALTER TABLE takes ADD COLUMN loop_bars INTEGER NOT NULL DEFAULT 0"_L1,
         }},
    };
    return steps;
}

const QStringList& fullTextStatements()
{
    static const QStringList statements = {
        u"CREATE VIRTUAL TABLE IF NOT EXISTS takes_fts USING fts5(prompt, tags, content='takes', content_rowid='n', "
        "tokenize='unicode61 remove_diacritics 2')"_s,
        u"CREATE TRIGGER IF NOT EXISTS takes_fts_insert AFTER INSERT ON takes BEGIN "
        "INSERT INTO takes_fts (rowid, prompt, tags) VALUES (new.n, new.prompt, new.tags); END"_s,
        u"CREATE TRIGGER IF NOT EXISTS takes_fts_delete AFTER DELETE ON takes BEGIN "
        "INSERT INTO takes_fts (takes_fts, rowid, prompt, tags) VALUES ('delete', old.n, old.prompt, old.tags); END"_s,
        u"CREATE TRIGGER IF NOT EXISTS takes_fts_update AFTER UPDATE OF prompt, tags ON takes BEGIN "
        "INSERT INTO takes_fts (takes_fts, rowid, prompt, tags) VALUES ('delete', old.n, old.prompt, old.tags); "
        "INSERT INTO takes_fts (rowid, prompt, tags) VALUES (new.n, new.prompt, new.tags); END"_s,
        u"INSERT INTO takes_fts (takes_fts) VALUES ('rebuild')"_s,
    };
    return statements;
}

bool isCorruption(const QSqlError& error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    constexpr int SqliteCorrupt = 11, SqliteNotADatabase = 26;
    return ok && (code == SqliteCorrupt || code == SqliteNotADatabase);
}

// What a statement `what` that failed on `query` means: a damaged file, or another reason.
LibrarySchema::Status failure(const QSqlQuery& query, const QString& what, QString* error)
{
    if (isCorruption(query.lastError())) {
        setError(error, describe(query.lastError()));
        return LibrarySchema::Status::Corrupt;
    }
    setError(error, u"%1: %2"_s.arg(what, describe(query.lastError())));
    return LibrarySchema::Status::Failed;
}

} // namespace

LibrarySchema::LibrarySchema(const QSqlDatabase& db, const QString& path) : m_db(db), m_path(path) {}

bool LibrarySchema::fullCheckDue(IntegrityCheck check) const
{
    if (check == IntegrityCheck::None)
        return false;
    if (check == IntegrityCheck::Full || QFileInfo(m_path).size() <= FullCheckMaxBytes)
        return true;
    // Before the first migration there is no meta table: the query fails and the check is due.
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT value FROM meta WHERE key = 'last_full_check'"_s) || !q.next())
        return true;
    const qint64 last = q.value(0).toLongLong();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return now - last >= FullCheckIntervalSecs || now < last;
}

void LibrarySchema::recordFullCheck()
{
    // Small files are checked on every open anyway: skip the write (and its fsync).
    if (m_readOnly || QFileInfo(m_path).size() <= FullCheckMaxBytes)
        return;
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES ('last_full_check', ?)"_s);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    q.exec();
}

LibrarySchema::Status LibrarySchema::runCheck(QSqlQuery& query, bool full, QString* error)
{
    if (!query.exec(full ? u"PRAGMA integrity_check"_s : u"PRAGMA quick_check"_s))
        return failure(query, u"integrity_check"_s, error);
    QStringList problems;
    while (query.next())
        problems += query.value(0).toString().split(u'\n', Qt::SkipEmptyParts);
    // A check stopped half-way (interrupted, the disk gone) has not passed.
    if (query.lastError().isValid())
        return failure(query, u"integrity_check"_s, error);
    query.finish();
    if (problems == QStringList{u"ok"_s})
        return Status::Ok;
    problems.removeIf([](const QString& line) { return line.startsWith("***"_L1); });
    setError(
        error,
        QCoreApplication::translate("LibrarySchema", "integrity check failed: %1").arg(problems.value(0).simplified()));
    return Status::Corrupt;
}

LibrarySchema::Status LibrarySchema::checkInFull(QString* error)
{
    QSqlQuery query(m_db);
    return runCheck(query, true, error);
}

LibrarySchema::Status LibrarySchema::configure(bool readOnly, IntegrityCheck check, QString* error)
{
    m_readOnly = readOnly;
    // A read-only library could neither repair a damage found after it opened (the file cannot be moved aside) nor
    // record a check that passed: it is checked before anything is read from it, as it always was.
    if (m_readOnly && check == IntegrityCheck::Deferred)
        check = IntegrityCheck::Auto;
    QSqlQuery query(m_db);
    auto failed = [&](const QString& what) { return failure(query, what, error); };
    // First, so that everything after it waits for the other process instead of failing with "database is locked".
    if (!query.exec(u"PRAGMA busy_timeout = %1"_s.arg(BusyTimeoutMs)))
        return failed(u"busy_timeout"_s);
    // The first statement that reads the file: garbage shows up here as "file is not a database".
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return failed(u"user_version"_s);
    m_fileVersion = query.value(0).toInt();
    query.finish();
    if (!m_readOnly) {
        if (!query.exec(u"PRAGMA journal_mode = WAL"_s) || !query.next())
            return failed(u"journal_mode"_s);
        const QString mode = query.value(0).toString();
        query.finish();
        if (mode.compare("wal"_L1, Qt::CaseInsensitive) != 0) {
            setError(error, QCoreApplication::translate(
                                "LibrarySchema", "SQLite would not use write-ahead logging (journal mode is \"%1\")")
                                .arg(mode));
            return Status::Failed;
        }
        if (!query.exec(u"PRAGMA synchronous = FULL"_s))
            return failed(u"synchronous"_s);
    }
    if (!query.exec(u"PRAGMA foreign_keys = ON"_s))
        return failed(u"foreign_keys"_s);
    // Deferred: quick_check is what a musician waits for; the full check, when due, runs after the library has
    // opened, off the UI thread (its cost grows with every index: half a second at 100,000 takes).
    const bool due = fullCheckDue(check == IntegrityCheck::Deferred ? IntegrityCheck::Auto : check);
    m_fullCheck = due && check != IntegrityCheck::Deferred;
    m_fullCheckOwed = due && check == IntegrityCheck::Deferred;
    if (check != IntegrityCheck::None) {
        if (const Status checked = runCheck(query, m_fullCheck, error); checked != Status::Ok)
            return checked;
    }
    if (m_fileVersion > Version) {
        setError(error, QCoreApplication::translate("LibrarySchema",
                                                    "the library was written by a newer version of MusicGen Studio "
                                                    "(schema %1; this version knows up to %2)")
                            .arg(m_fileVersion)
                            .arg(Version));
        return Status::NewerSchema;
    }
    return Status::Ok;
}

bool LibrarySchema::migrate(QString* error)
{
    for (const Migration& step : migrations()) {
        if (step.version <= m_fileVersion)
            continue;
        if (!SqlSupport::beginWrite(m_db, error))
            return false;
        // Another process may have migrated while we waited for the lock.
        QSqlQuery query(m_db);
        if (!query.exec(u"PRAGMA user_version"_s) || !query.next()) {
            setError(error, describe(query.lastError()));
            SqlSupport::rollback(m_db);
            return false;
        }
        const int current = query.value(0).toInt();
        query.finish();
        if (current < step.version) {
            for (const QLatin1StringView statement : step.statements) {
                if (!SqlSupport::exec(m_db, QString(statement), error)) {
                    SqlSupport::rollback(m_db);
                    return false;
                }
            }
            if (!SqlSupport::exec(m_db, u"PRAGMA user_version = %1"_s.arg(step.version), error)) {
                SqlSupport::rollback(m_db);
                return false;
            }
        }
        if (!SqlSupport::commit(m_db, error))
            return false;
        m_fileVersion = std::max(current, step.version);
    }
    return true;
}

bool LibrarySchema::setUpFullTextSearch(bool wanted)
{
    QSqlQuery query(m_db);
    const bool available =
        query.exec(u"SELECT sqlite_compileoption_used('ENABLE_FTS5')"_s) && query.next() && query.value(0).toInt() == 1;
    query.finish();
    int present = 0;
    if (query.exec(u"SELECT count(*) FROM sqlite_master WHERE name IN "
                   "('takes_fts', 'takes_fts_insert', 'takes_fts_delete', 'takes_fts_update')"_s) &&
        query.next())
        present = query.value(0).toInt();
    query.finish();
    if (m_readOnly)
        return wanted && available && present == 4;
    if (!available) {
        // A file made by an SQLite with FTS5: its triggers would make every write fail here.
        if (present > 0 && SqlSupport::beginWrite(m_db, nullptr)) {
            if (SqlSupport::exec(m_db, u"DROP TRIGGER IF EXISTS takes_fts_insert"_s) &&
                SqlSupport::exec(m_db, u"DROP TRIGGER IF EXISTS takes_fts_delete"_s) &&
                SqlSupport::exec(m_db, u"DROP TRIGGER IF EXISTS takes_fts_update"_s))
                SqlSupport::commit(m_db, nullptr);
            else
                SqlSupport::rollback(m_db);
        }
        return false;
    }
    if (present == 4)
        return wanted;
    if (!wanted)
        return false;
    // Missing table or triggers (new file, or one last written without FTS5): create them and index every row.
    if (!SqlSupport::beginWrite(m_db, nullptr))
        return false;
    for (const QString& statement : fullTextStatements()) {
        QString error;
        if (!SqlSupport::exec(m_db, statement, &error)) {
            qWarning("Library: full-text search is unavailable (%s); searching with LIKE", qUtf8Printable(error));
            SqlSupport::rollback(m_db);
            return false;
        }
    }
    return SqlSupport::commit(m_db, nullptr);
}
