#include "library/LibraryDatabase.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

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
    };
    return steps;
}

constexpr auto Columns = "id, created, prompt, requested_duration, actual_duration, seed, provider, endpoint, model, "
                         "format, sample_rate, channels, byte_size, sha256, generation_ms, attempts, estimated_cost, "
                         "remaining_credits, favourite, rating, tags, note, trashed, audio_missing, parent_id, "
                         "audio_path, favourite_path"_L1;

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

// Qt binds a null QString as SQL NULL; the text columns are NOT NULL, so bind empty text instead.
QVariant text(const QString& value)
{
    return value.isNull() ? QVariant(QString::fromLatin1("")) : QVariant(value);
}

QString describe(const QSqlError& error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

void setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
}

QString encodeTags(const QStringList& tags)
{
    return tags.isEmpty()
               ? QString()
               : QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList decodeTags(const QString& text)
{
    QStringList tags;
    if (text.isEmpty())
        return tags;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue& value : array)
        tags << value.toString();
    return tags;
}

Take takeFromRow(const QSqlQuery& q)
{
    Take t;
    t.id = q.value(0).toString();
    t.created = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    t.prompt = q.value(2).toString();
    t.requestedDuration = q.value(3).toInt();
    t.actualDuration = q.value(4).toDouble();
    t.seed = q.value(5).toInt();
    t.provider = q.value(6).toString();
    t.endpoint = q.value(7).toString();
    t.model = q.value(8).toString();
    t.format = audioFormatFromName(q.value(9).toString());
    t.sampleRate = q.value(10).toInt();
    t.channels = q.value(11).toInt();
    t.byteSize = q.value(12).toLongLong();
    t.sha256 = q.value(13).toString();
    t.generationMs = q.value(14).toLongLong();
    t.attempts = q.value(15).toInt();
    t.estimatedCost = q.value(16).toDouble();
    if (!q.isNull(17))
        t.remainingCredits = q.value(17).toDouble();
    t.favourite = q.value(18).toBool();
    t.rating = q.value(19).toInt();
    t.tags = decodeTags(q.value(20).toString());
    t.note = q.value(21).toString();
    t.trashed = q.value(22).toBool();
    t.audioMissing = q.value(23).toBool();
    t.parentId = q.value(24).toString();
    t.audioRelativePath = q.value(25).toString();
    t.favouritePath = q.value(26).toString();
    return t;
}

// Full-text query for the words that have letters or digits: each becomes a quoted prefix term, all must match.
QString ftsExpression(const QStringList& words)
{
    QStringList terms;
    for (QString word : words)
        terms << u'"' + word.replace(u'"', "\"\""_L1) + u"\"*"_s;
    return terms.join(u' ');
}

QString likePattern(QString word)
{
    word.replace(u'\\', "\\\\"_L1).replace(u'%', "\\%"_L1).replace(u'_', "\\_"_L1);
    return u'%' + word + u'%';
}

bool hasWordCharacter(const QString& word)
{
    return std::any_of(word.begin(), word.end(), [](QChar c) { return c.isLetterOrNumber(); });
}

} // namespace

LibraryDatabase::LibraryDatabase(const QString& path, const QString& connectionName)
    : m_path(path), m_connectionName(connectionName)
{
}

LibraryDatabase::~LibraryDatabase()
{
    close();
}

void LibraryDatabase::close()
{
    m_insert.reset();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    m_readOnly = false;
    m_fullTextSearch = false;
}

bool LibraryDatabase::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

bool LibraryDatabase::exec(const QString& sql, QString* error) const
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    setError(error, describe(query.lastError()));
    return false;
}

LibraryDatabase::Status LibraryDatabase::open(bool fullTextSearch, QString* error, IntegrityCheck check)
{
    close();
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(m_path);
    if (!m_db.open()) {
        setError(error, describe(m_db.lastError()));
        close();
        return Status::Failed;
    }
    Status status = configure(check, error);
    if (status == Status::NewerSchema) {
        // Reopen so that SQLite itself refuses writes, whatever a caller tries.
        m_db.close();
        m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!m_db.open()) {
            setError(error, describe(m_db.lastError()));
            close();
            return Status::Failed;
        }
        m_readOnly = true;
        QString configureError;
        if (configure(check, &configureError) != Status::NewerSchema) {
            setError(error, configureError);
            close();
            return Status::Failed;
        }
    }
    if (status == Status::Ok && !migrate(error))
        status = Status::Failed;
    if (status == Status::Ok && m_fullCheck)
        recordFullCheck();
    if (status == Status::Failed)
        close();
    // Corrupt stays open: closing would let SQLite delete the -wal and -shm files the caller wants to keep.
    if (status == Status::Corrupt || status == Status::Failed)
        return status;
    setUpFullTextSearch(fullTextSearch);
    return status;
}

bool LibraryDatabase::fullCheckDue(IntegrityCheck check) const
{
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

void LibraryDatabase::recordFullCheck()
{
    // Small files are checked on every open anyway: skip the write (and its fsync).
    if (m_readOnly || QFileInfo(m_path).size() <= FullCheckMaxBytes)
        return;
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES ('last_full_check', ?)"_s);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    q.exec();
}

LibraryDatabase::Status LibraryDatabase::configure(IntegrityCheck check, QString* error)
{
    QSqlQuery query(m_db);
    auto failed = [&](const QString& what) {
        if (isCorruption(query.lastError())) {
            setError(error, describe(query.lastError()));
            return Status::Corrupt;
        }
        setError(error, u"%1: %2"_s.arg(what, describe(query.lastError())));
        return Status::Failed;
    };
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
                                "LibraryDatabase", "SQLite would not use write-ahead logging (journal mode is \"%1\")")
                                .arg(mode));
            return Status::Failed;
        }
        if (!query.exec(u"PRAGMA synchronous = FULL"_s))
            return failed(u"synchronous"_s);
    }
    if (!query.exec(u"PRAGMA foreign_keys = ON"_s))
        return failed(u"foreign_keys"_s);
    m_fullCheck = fullCheckDue(check);
    if (!query.exec(m_fullCheck ? u"PRAGMA integrity_check"_s : u"PRAGMA quick_check"_s))
        return failed(u"integrity_check"_s);
    QStringList problems;
    while (query.next())
        problems += query.value(0).toString().split(u'\n', Qt::SkipEmptyParts);
    query.finish();
    if (problems != QStringList{u"ok"_s}) {
        problems.removeIf([](const QString& line) { return line.startsWith("***"_L1); });
        setError(error, QCoreApplication::translate("LibraryDatabase", "integrity check failed: %1")
                            .arg(problems.value(0).simplified()));
        return Status::Corrupt;
    }
    if (m_fileVersion > SchemaVersion) {
        setError(error, QCoreApplication::translate("LibraryDatabase",
                                                    "the library was written by a newer version of MusicGen Studio "
                                                    "(schema %1; this version knows up to %2)")
                            .arg(m_fileVersion)
                            .arg(SchemaVersion));
        return Status::NewerSchema;
    }
    return Status::Ok;
}

bool LibraryDatabase::migrate(QString* error)
{
    for (const Migration& step : migrations()) {
        if (step.version <= m_fileVersion)
            continue;
        if (!beginWrite(error))
            return false;
        // Another process may have migrated while we waited for the lock.
        QSqlQuery query(m_db);
        if (!query.exec(u"PRAGMA user_version"_s) || !query.next()) {
            setError(error, describe(query.lastError()));
            rollback();
            return false;
        }
        const int current = query.value(0).toInt();
        query.finish();
        if (current < step.version) {
            for (const QLatin1StringView statement : step.statements) {
                if (!exec(QString(statement), error)) {
                    rollback();
                    return false;
                }
            }
            if (!exec(u"PRAGMA user_version = %1"_s.arg(step.version), error)) {
                rollback();
                return false;
            }
        }
        if (!commit(error))
            return false;
        m_fileVersion = std::max(current, step.version);
    }
    return true;
}

void LibraryDatabase::setUpFullTextSearch(bool wanted)
{
    m_fullTextSearch = false;
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
    if (m_readOnly) {
        m_fullTextSearch = wanted && available && present == 4;
        return;
    }
    if (!available) {
        // A file made by an SQLite with FTS5: its triggers would make every write fail here.
        if (present > 0 && beginWrite(nullptr)) {
            if (exec(u"DROP TRIGGER IF EXISTS takes_fts_insert"_s) &&
                exec(u"DROP TRIGGER IF EXISTS takes_fts_delete"_s) &&
                exec(u"DROP TRIGGER IF EXISTS takes_fts_update"_s))
                commit(nullptr);
            else
                rollback();
        }
        return;
    }
    if (present == 4) {
        m_fullTextSearch = wanted;
        return;
    }
    if (!wanted)
        return;
    // Missing table or triggers (new file, or one last written without FTS5): create them and index every row.
    if (!beginWrite(nullptr))
        return;
    for (const QString& statement : fullTextStatements()) {
        QString error;
        if (!exec(statement, &error)) {
            qWarning("Library: full-text search is unavailable (%s); searching with LIKE", qUtf8Printable(error));
            rollback();
            return;
        }
    }
    m_fullTextSearch = commit(nullptr);
}

bool LibraryDatabase::beginWrite(QString* error)
{
    if (m_readOnly) {
        setError(error, QCoreApplication::translate("LibraryDatabase", "the library is open read-only"));
        return false;
    }
    return exec(u"BEGIN IMMEDIATE"_s, error);
}

bool LibraryDatabase::commit(QString* error)
{
    if (exec(u"COMMIT"_s, error))
        return true;
    rollback();
    return false;
}

void LibraryDatabase::rollback()
{
    exec(u"ROLLBACK"_s);
}

bool LibraryDatabase::insert(const Take& t, QString* error)
{
    if (!m_insert) {
        m_insert = std::make_unique<QSqlQuery>(m_db);
        if (!m_insert->prepare(
                u"INSERT INTO takes (n, %1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"_s.arg(Columns))) {
            setError(error, describe(m_insert->lastError()));
            m_insert.reset();
            return false;
        }
    }
    QSqlQuery& q = *m_insert;
    q.addBindValue(TakeId::toNumber(t.id));
    q.addBindValue(text(t.id));
    q.addBindValue(t.created.toMSecsSinceEpoch());
    q.addBindValue(text(t.prompt));
    q.addBindValue(t.requestedDuration);
    q.addBindValue(t.actualDuration);
    q.addBindValue(t.seed);
    q.addBindValue(text(t.provider));
    q.addBindValue(text(t.endpoint));
    q.addBindValue(text(t.model));
    q.addBindValue(text(audioFormatExtension(t.format)));
    q.addBindValue(t.sampleRate);
    q.addBindValue(t.channels);
    q.addBindValue(t.byteSize);
    q.addBindValue(text(t.sha256));
    q.addBindValue(t.generationMs);
    q.addBindValue(t.attempts);
    q.addBindValue(t.estimatedCost);
    q.addBindValue(t.remainingCredits ? QVariant(*t.remainingCredits) : QVariant());
    q.addBindValue(t.favourite);
    q.addBindValue(std::clamp(t.rating, 0, 5));
    q.addBindValue(text(encodeTags(t.tags)));
    q.addBindValue(text(t.note));
    q.addBindValue(t.trashed);
    q.addBindValue(t.audioMissing);
    q.addBindValue(text(t.parentId));
    q.addBindValue(text(t.audioRelativePath));
    q.addBindValue(text(t.favouritePath));
    const bool ok = q.exec();
    if (!ok)
        setError(error, describe(q.lastError()));
    q.finish();
    return ok;
}

bool LibraryDatabase::update(const Take& t, QString* error)
{
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE takes SET favourite = ?, rating = ?, tags = ?, note = ?, trashed = ?, audio_missing = ?, "
              "favourite_path = ? WHERE n = ?"_s);
    q.addBindValue(t.favourite);
    q.addBindValue(std::clamp(t.rating, 0, 5));
    q.addBindValue(text(encodeTags(t.tags)));
    q.addBindValue(text(t.note));
    q.addBindValue(t.trashed);
    q.addBindValue(t.audioMissing);
    q.addBindValue(text(t.favouritePath));
    q.addBindValue(TakeId::toNumber(t.id));
    if (!q.exec()) {
        setError(error, describe(q.lastError()));
        return false;
    }
    return true;
}

bool LibraryDatabase::remove(const QStringList& ids, QString* error)
{
    QSqlQuery q(m_db);
    q.prepare(u"DELETE FROM takes WHERE n = ?"_s);
    for (const QString& id : ids) {
        q.addBindValue(TakeId::toNumber(id));
        if (!q.exec()) {
            setError(error, describe(q.lastError()));
            return false;
        }
    }
    return true;
}

bool LibraryDatabase::retire(const QStringList& ids, QString* error)
{
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR IGNORE INTO retired_ids (id) VALUES (?)"_s);
    for (const QString& id : ids) {
        q.addBindValue(id);
        if (!q.exec()) {
            setError(error, describe(q.lastError()));
            return false;
        }
    }
    return true;
}

bool LibraryDatabase::clear(QString* error)
{
    return exec(u"DELETE FROM takes"_s, error);
}

bool LibraryDatabase::setAudioMissing(const QStringList& ids, bool missing, QString* error)
{
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE takes SET audio_missing = ? WHERE n = ?"_s);
    for (const QString& id : ids) {
        q.addBindValue(missing);
        q.addBindValue(TakeId::toNumber(id));
        if (!q.exec()) {
            setError(error, describe(q.lastError()));
            return false;
        }
    }
    return true;
}

std::optional<Take> LibraryDatabase::take(const QString& id) const
{
    QSqlQuery q(m_db);
    q.prepare(u"SELECT %1 FROM takes WHERE n = ?"_s.arg(Columns));
    q.addBindValue(TakeId::toNumber(id));
    if (q.exec() && q.next())
        return takeFromRow(q);
    return std::nullopt;
}

QList<Take> LibraryDatabase::takesWithPrefix(const QString& prefix, int limit, int* total) const
{
    // The ids that share a prefix are one range of row keys.
    const auto [first, last] = TakeId::prefixRange(prefix);
    QSqlQuery q(m_db);
    q.prepare(u"SELECT count(*) FROM takes WHERE n BETWEEN ? AND ?"_s);
    q.addBindValue(first);
    q.addBindValue(last);
    *total = q.exec() && q.next() ? q.value(0).toInt() : 0;
    QList<Take> result;
    q.prepare(u"SELECT %1 FROM takes WHERE n BETWEEN ? AND ? ORDER BY n LIMIT ?"_s.arg(Columns));
    q.addBindValue(first);
    q.addBindValue(last);
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next())
            result << takeFromRow(q);
    }
    return result;
}

QString LibraryDatabase::whereClause(const TakeQuery& query, QList<QVariant>* values) const
{
    QStringList conditions{u"trashed = ?"_s};
    *values << int(query.trashed);
    if (query.favouritesOnly)
        conditions << u"favourite = 1"_s;
    if (!query.provider.isEmpty()) {
        conditions << u"provider = ?"_s;
        *values << query.provider;
    }
    if (query.minDuration > 0) {
        conditions << u"requested_duration >= ?"_s;
        *values << query.minDuration;
    }
    if (query.maxDuration > 0) {
        conditions << u"requested_duration <= ?"_s;
        *values << query.maxDuration;
    }
    // Quotes are not part of any word people look for; dropping them keeps both search paths alike.
    const QStringList words = QString(query.search).replace(u'"', u' ').simplified().split(u' ', Qt::SkipEmptyParts);
    QStringList indexedWords;
    for (const QString& word : words) {
        // FTS5 tokens are made of letters and digits; anything else (emoji, "!!!") is found by substring instead.
        if (m_fullTextSearch && hasWordCharacter(word)) {
            indexedWords << word;
        } else {
            conditions << u"(prompt LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\')"_s;
            *values << likePattern(word) << likePattern(word);
        }
    }
    if (!indexedWords.isEmpty()) {
        conditions << u"n IN (SELECT rowid FROM takes_fts WHERE takes_fts MATCH ?)"_s;
        *values << ftsExpression(indexedWords);
    }
    if (!query.olderThanId.isEmpty()) {
        const qint64 created = query.olderThan.toMSecsSinceEpoch();
        conditions << u"(created < ? OR (created = ? AND n < ?))"_s;
        *values << created << created << TakeId::toNumber(query.olderThanId);
    }
    return conditions.join(" AND "_L1);
}

void LibraryDatabase::bindFilters(QSqlQuery& query, const QList<QVariant>& values) const
{
    for (const QVariant& value : values)
        query.addBindValue(value);
}

QList<Take> LibraryDatabase::takes(const TakeQuery& query, QString* error) const
{
    QList<QVariant> values;
    const QString where = whereClause(query, &values);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT %1 FROM takes WHERE %2 ORDER BY created DESC, n DESC LIMIT ? OFFSET ?"_s.arg(Columns, where));
    bindFilters(q, values);
    q.addBindValue(query.limit > 0 ? query.limit : -1);
    q.addBindValue(std::max(0, query.offset));
    QList<Take> result;
    if (!q.exec()) {
        setError(error, describe(q.lastError()));
        return result;
    }
    while (q.next())
        result << takeFromRow(q);
    return result;
}

int LibraryDatabase::count(const TakeQuery& query) const
{
    QList<QVariant> values;
    const QString where = whereClause(query, &values);
    QSqlQuery q(m_db);
    q.prepare(u"SELECT count(*) FROM takes WHERE %1"_s.arg(where));
    bindFilters(q, values);
    return q.exec() && q.next() ? q.value(0).toInt() : 0;
}

bool LibraryDatabase::matches(const QString& id, const TakeQuery& query) const
{
    TakeQuery filters = query;
    filters.olderThanId.clear();
    QList<QVariant> values;
    const QString where = whereClause(filters, &values);
    QSqlQuery q(m_db);
    q.prepare(u"SELECT 1 FROM takes WHERE n = ? AND %1"_s.arg(where));
    q.addBindValue(TakeId::toNumber(id));
    bindFilters(q, values);
    return q.exec() && q.next();
}

QHash<QString, LibraryDatabase::IndexedAudio> LibraryDatabase::indexedAudio(const QStringList& dirs) const
{
    QHash<QString, IndexedAudio> result;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    auto collect = [&](const QString* onlyDir) {
        while (q.next()) {
            const QString path = q.value(1).toString();
            const qsizetype slash = path.lastIndexOf(u'/');
            const QStringView dir = QStringView(path).left(std::max<qsizetype>(0, slash));
            if (onlyDir && dir != *onlyDir)
                continue;
            result.insert(q.value(0).toString(),
                          IndexedAudio{onlyDir ? *onlyDir : dir.toString(), q.value(2).toBool()});
        }
    };
    if (dirs.isEmpty()) {
        if (q.exec(u"SELECT count(*) FROM takes"_s) && q.next())
            result.reserve(q.value(0).toInt());
        q.finish();
        if (q.exec(u"SELECT id, audio_path, audio_missing FROM takes"_s))
            collect(nullptr);
        return result;
    }
    // One pass over the table per folder; '0' is the character after '/', so the range is "<dir>/...".
    q.prepare(u"SELECT id, audio_path, audio_missing FROM takes WHERE audio_path >= ? AND audio_path < ?"_s);
    for (const QString& dir : dirs) {
        q.addBindValue(dir + u'/');
        q.addBindValue(dir + u'0');
        if (q.exec())
            collect(&dir);
    }
    return result;
}

int LibraryDatabase::countAudioMissing() const
{
    QSqlQuery q(m_db);
    return q.exec(u"SELECT count(*) FROM takes WHERE audio_missing = 1"_s) && q.next() ? q.value(0).toInt() : 0;
}

bool LibraryDatabase::setAudioPath(const QString& id, const QString& relativePath, QString* error)
{
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE takes SET audio_path = ?, audio_missing = 0 WHERE n = ?"_s);
    q.addBindValue(relativePath);
    q.addBindValue(TakeId::toNumber(id));
    if (!q.exec()) {
        setError(error, describe(q.lastError()));
        return false;
    }
    return true;
}

QHash<QString, qint64> LibraryDatabase::scannedDirs() const
{
    QHash<QString, qint64> dirs;
    QSqlQuery q(m_db);
    if (q.exec(u"SELECT path, mtime FROM scanned_dirs"_s)) {
        while (q.next())
            dirs.insert(q.value(0).toString(), q.value(1).toLongLong());
    }
    return dirs;
}

bool LibraryDatabase::saveScannedDirs(const QHash<QString, qint64>& dirs, QString* error)
{
    if (!exec(u"DELETE FROM scanned_dirs"_s, error))
        return false;
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO scanned_dirs (path, mtime) VALUES (?, ?)"_s);
    for (auto it = dirs.cbegin(); it != dirs.cend(); ++it) {
        q.addBindValue(it.key());
        q.addBindValue(it.value());
        if (!q.exec()) {
            setError(error, describe(q.lastError()));
            return false;
        }
    }
    return true;
}

QStringList LibraryDatabase::trashedIds() const
{
    QStringList ids;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (q.exec(u"SELECT id FROM takes WHERE trashed = 1"_s)) {
        while (q.next())
            ids << q.value(0).toString();
    }
    return ids;
}

bool LibraryDatabase::idInUse(const QString& id) const
{
    QSqlQuery q(m_db);
    q.prepare(u"SELECT 1 FROM takes WHERE n = ? UNION ALL SELECT 1 FROM retired_ids WHERE id = ?"_s);
    q.addBindValue(TakeId::toNumber(id));
    q.addBindValue(id);
    // When the question cannot be answered, say "in use": the caller then just draws another id.
    return !q.exec() || q.next();
}

qint64 LibraryDatabase::dataVersion() const
{
    QSqlQuery q(m_db);
    return q.exec(u"PRAGMA data_version"_s) && q.next() ? q.value(0).toLongLong() : -1;
}
