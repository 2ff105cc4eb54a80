#include "library/LibraryDatabase.h"

#include "library/SqlSupport.h"
#include "library/TakeFields.h"
#include "model/TakeSearch.h"
#include "model/TextUtils.h"

#include <QCoreApplication>
#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QUrl>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;
using SqlSupport::describe;
using SqlSupport::prepare;
using SqlSupport::run;

namespace {

// The SELECT list TakeFields::fromRow reads.
const QString& selectColumns()
{
    static const QString columns = TakeFields::columns().join(u", "_s);
    return columns;
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
    m_migratedCopy.reset();
    m_readOnly = false;
    m_fullTextSearch = false;
    m_fullCheckOwed = false;
}

bool LibraryDatabase::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

LibraryDatabase::Status LibraryDatabase::open(bool fullTextSearch, QString* error, IntegrityCheck check, Access access)
{
    close();
    const Status status =
        access == Access::ReadOnly ? Status::NewerSchema : openReadWrite(fullTextSearch, error, check);
    // A newer file is reopened read-only, so that SQLite itself refuses writes, whatever a caller tries.
    return status == Status::NewerSchema ? openReadOnly(fullTextSearch, error, check) : status;
}

LibraryDatabase::Status LibraryDatabase::openReadWrite(bool fullTextSearch, QString* error, IntegrityCheck check)
{
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(m_path);
    if (!m_db.open()) {
        setError(error, describe(m_db.lastError()));
        close();
        return Status::Failed;
    }
    Status status = Status::Failed;
    {
        // Gone before close(): Qt SQL warns about connections closed while something still uses them.
        LibrarySchema schema(m_db, m_path);
        status = schema.configure(false, check, error);
        m_fullCheck = schema.ranFullCheck();
        if (status == Status::Ok && !schema.migrate(error))
            status = Status::Failed;
        m_fullCheckOwed = status == Status::Ok && schema.fullCheckOwed();
        m_fileVersion = schema.fileVersion();
        if (status == Status::Ok && m_fullCheck)
            schema.recordFullCheck();
        if (status == Status::Ok)
            m_fullTextSearch = schema.setUpFullTextSearch(fullTextSearch);
    }
    // Corrupt stays open: closing would let SQLite delete the -wal and -shm files the caller wants to keep.
    if (status == Status::Failed || status == Status::NewerSchema)
        close();
    return status;
}

LibraryDatabase::Status LibraryDatabase::checkInFull(QString* error)
{
    if (!isOpen()) {
        setError(error, QCoreApplication::translate("LibraryDatabase", "the library's index is not open"));
        return Status::Failed;
    }
    LibrarySchema schema(m_db, m_path);
    const Status status = schema.checkInFull(error);
    if (status == Status::Ok && !m_readOnly)
        schema.recordFullCheck();
    if (status == Status::Ok)
        m_fullCheckOwed = false;
    return status;
}

LibraryDatabase::Status LibraryDatabase::openReadOnly(bool fullTextSearch, QString* error, IntegrityCheck check)
{
    // SQLite reads a WAL database through its -shm file, which it must be able to create or open: in a folder it
    // cannot write that fails, unless the file is declared immutable (nothing can change it there anyway).
    QString reason;
    for (const auto query : {"mode=ro"_L1, "mode=ro&immutable=1"_L1}) {
        close();
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        QUrl uri = QUrl::fromLocalFile(m_path);
        uri.setQuery(query);
        m_db.setDatabaseName(uri.toString(QUrl::FullyEncoded));
        m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"_s);
        if (!m_db.open()) {
            reason = describe(m_db.lastError());
            continue;
        }
        Status status = Status::Failed;
        {
            LibrarySchema schema(m_db, m_path);
            status = schema.configure(true, check, &reason);
            m_fullCheck = schema.ranFullCheck();
            m_fileVersion = schema.fileVersion();
            if (status == Status::Ok || status == Status::NewerSchema)
                m_fullTextSearch = schema.setUpFullTextSearch(fullTextSearch);
        }
        if (status == Status::Failed)
            continue;
        if (status == Status::Ok && m_fileVersion < SchemaVersion)
            return openMigratedCopy(fullTextSearch, error);
        m_readOnly = true;
        if (status == Status::Corrupt)
            setError(error, reason);
        return status;
    }
    setError(error, reason);
    close();
    return Status::Failed;
}

LibraryDatabase::Status LibraryDatabase::openMigratedCopy(bool fullTextSearch, QString* error)
{
    // This version's statements need its layout, which cannot be written into a file that cannot be written: the
    // index is copied to a private temporary file, migrated there and read from there until close().
    auto copy = std::make_unique<QTemporaryFile>(QDir::tempPath() + u"/musicgen-library-XXXXXX.sqlite3"_s);
    QSqlQuery vacuum(m_db);
    bool copied = copy->open();
    copy->close(); // VACUUM INTO writes into an empty file of that name
    copied = copied && vacuum.prepare(u"VACUUM INTO ?"_s);
    vacuum.addBindValue(copy->fileName());
    copied = copied && vacuum.exec();
    const QString why = copied ? QString() : describe(vacuum.lastError());
    vacuum = QSqlQuery();
    close();
    if (!copied) {
        setError(error, QCoreApplication::translate("LibraryDatabase",
                                                    "could not make a readable copy of the library's index in %1: %2")
                            .arg(QDir::tempPath(), why));
        return Status::Failed;
    }
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(copy->fileName());
    Status status = m_db.open() ? Status::Ok : Status::Failed;
    if (status == Status::Ok) {
        LibrarySchema schema(m_db, copy->fileName());
        status = schema.configure(false, IntegrityCheck::None, error);
        if (status == Status::Ok && !schema.migrate(error))
            status = Status::Failed;
        if (status == Status::Ok)
            m_fullTextSearch = schema.setUpFullTextSearch(fullTextSearch);
    } else {
        setError(error, describe(m_db.lastError()));
    }
    if (status != Status::Ok) {
        close();
        return Status::Failed;
    }
    m_readOnly = true;
    m_migratedCopy = std::move(copy);
    return Status::Ok;
}

bool LibraryDatabase::beginWrite(QString* error)
{
    if (m_readOnly) {
        setError(error, QCoreApplication::translate("LibraryDatabase", "the library is open read-only"));
        return false;
    }
    return SqlSupport::beginWrite(m_db, error);
}

bool LibraryDatabase::commit(QString* error)
{
    return SqlSupport::commit(m_db, error);
}

void LibraryDatabase::rollback()
{
    SqlSupport::rollback(m_db);
}

bool LibraryDatabase::insert(const Take& t, QString* error)
{
    if (!m_insert) {
        const QStringList columns = TakeFields::columns();
        const QStringList placeholders(columns.size() + 1, u"?"_s);
        m_insert = std::make_unique<QSqlQuery>(m_db);
        if (!m_insert->prepare(u"INSERT INTO takes (n, %1) VALUES (%2) ON CONFLICT DO NOTHING"_s.arg(
                columns.join(u", "_s), placeholders.join(u", "_s)))) {
            setError(error, describe(m_insert->lastError()));
            m_insert.reset();
            return false;
        }
    }
    QSqlQuery& q = *m_insert;
    q.addBindValue(TakeId::toNumber(t.id));
    const QVariantList values = TakeFields::sqlValues(t);
    for (const QVariant& value : values)
        q.addBindValue(value);
    const bool ok = q.exec();
    if (!ok)
        setError(error, describe(q.lastError()));
    q.finish();
    return ok;
}

bool LibraryDatabase::update(const Take& t, QString* error)
{
    using TakeFields::Scope;
    QSqlQuery q(m_db);
    return run(q,
               u"UPDATE takes SET %1 = ? WHERE n = ?"_s.arg(TakeFields::columns(Scope::ChangeLater).join(u" = ?, "_s)),
               TakeFields::sqlValues(t, Scope::ChangeLater) << TakeId::toNumber(t.id), error);
}

bool LibraryDatabase::remove(const QStringList& ids, QString* error)
{
    QSqlQuery q(m_db);
    if (!prepare(q, u"DELETE FROM takes WHERE n = ?"_s, error))
        return false;
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
    if (!prepare(q, u"INSERT OR IGNORE INTO retired_ids (id) VALUES (?)"_s, error))
        return false;
    for (const QString& id : ids) {
        q.addBindValue(id);
        if (!q.exec()) {
            setError(error, describe(q.lastError()));
            return false;
        }
    }
    return true;
}

bool LibraryDatabase::setAudioMissing(const QStringList& ids, bool missing, QString* error)
{
    QSqlQuery q(m_db);
    if (!prepare(q, u"UPDATE takes SET audio_missing = ? WHERE n = ?"_s, error))
        return false;
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

std::optional<Take> LibraryDatabase::take(const QString& id, QString* error) const
{
    QSqlQuery q(m_db);
    if (!run(q, u"SELECT %1 FROM takes WHERE n = ?"_s.arg(selectColumns()), {TakeId::toNumber(id)}, error))
        return std::nullopt;
    return q.next() ? std::optional<Take>(TakeFields::fromRow(q)) : std::nullopt;
}

std::optional<Take> LibraryDatabase::takeByRequestId(const QString& requestId, QString* error) const
{
    QSqlQuery q(m_db);
    if (requestId.isEmpty() ||
        !run(q, u"SELECT %1 FROM takes WHERE request_id = ? AND request_id != '' LIMIT 1"_s.arg(selectColumns()),
             {requestId}, error))
        return std::nullopt;
    return q.next() ? std::optional<Take>(TakeFields::fromRow(q)) : std::nullopt;
}

QList<Take> LibraryDatabase::takesWithPrefix(const QString& prefix, int limit, int* total, QString* error) const
{
    // The ids that share a prefix are one range of row keys.
    const auto [first, last] = TakeId::prefixRange(prefix);
    QSqlQuery q(m_db);
    *total = 0;
    QList<Take> result;
    if (!run(q, u"SELECT count(*) FROM takes WHERE n BETWEEN ? AND ?"_s, {first, last}, error) || !q.next())
        return result;
    *total = q.value(0).toInt();
    if (!run(q, u"SELECT %1 FROM takes WHERE n BETWEEN ? AND ? ORDER BY n LIMIT ?"_s.arg(selectColumns()),
             {first, last, limit}, error))
        return result;
    while (q.next())
        result << TakeFields::fromRow(q);
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
    if (query.analysedBefore > 0) {
        conditions << u"analysis_version < ? AND audio_missing = 0"_s;
        *values << query.analysedBefore;
    }
    const TakeSearch search = TakeSearch::parse(query.search);
    if (search.tempo) {
        conditions << u"coalesce(bpm_by_user, bpm) >= ? AND coalesce(bpm_by_user, bpm) < ?"_s;
        *values << search.tempo->first << search.tempo->second;
    }
    if (search.keys && search.keys->isEmpty()) {
        conditions << u"0"_s; // key filters that exclude each other
    } else if (search.keys) {
        QStringList anyKey;
        for (const MusicalKey& key : *search.keys) {
            anyKey << u"(key_root = ? AND key_minor = ?)"_s;
            *values << key.root << int(key.minor);
        }
        conditions << u'(' + anyKey.join(" OR "_L1) + u')';
    }
    QStringList indexedWords;
    for (const QString& word : search.words) {
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

QList<Take> LibraryDatabase::takes(const TakeQuery& query, QString* error) const
{
    QList<QVariant> values;
    const QString where = whereClause(query, &values);
    values << (query.limit > 0 ? query.limit : -1) << std::max(0, query.offset);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    QList<Take> result;
    if (!run(q,
             u"SELECT %1 FROM takes WHERE %2 ORDER BY created DESC, n DESC LIMIT ? OFFSET ?"_s.arg(selectColumns(),
                                                                                                   where),
             values, error))
        return result;
    while (q.next())
        result << TakeFields::fromRow(q);
    return result;
}

int LibraryDatabase::count(const TakeQuery& query, QString* error) const
{
    QList<QVariant> values;
    const QString where = whereClause(query, &values);
    QSqlQuery q(m_db);
    if (!run(q, u"SELECT count(*) FROM takes WHERE %1"_s.arg(where), values, error))
        return -1;
    return q.next() ? q.value(0).toInt() : 0;
}

bool LibraryDatabase::matches(const QString& id, const TakeQuery& query) const
{
    TakeQuery filters = query;
    filters.olderThanId.clear();
    QList<QVariant> values{TakeId::toNumber(id)};
    const QString where = whereClause(filters, &values);
    QSqlQuery q(m_db);
    return run(q, u"SELECT 1 FROM takes WHERE n = ? AND %1"_s.arg(where), values, nullptr) && q.next();
}

QHash<QString, LibraryDatabase::IndexedAudio> LibraryDatabase::indexedAudio(const QStringList& dirs) const
{
    QHash<QString, IndexedAudio> result;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    QString sql = u"SELECT id, audio_path, audio_missing FROM takes"_s;
    QList<QVariant> values;
    if (dirs.isEmpty()) {
        if (q.exec(u"SELECT count(*) FROM takes"_s) && q.next())
            result.reserve(q.value(0).toInt());
        q.finish();
    } else {
        // Every folder is matched exactly by SQLite, all in one pass over the table. A range alone ('0' is the
        // character after '/', so "<dir>/" to "<dir>0") also holds every take below the folder, for "clips" all of
        // them, and handing 100,000 rows to Qt costs five times the pass. A new year's first take lists three
        // folders: with a pass each that took 0.2 s of the opening at 100,000 takes, in this one 0.05 s.
        QStringList anyDir;
        for (const QString& dir : dirs) {
            anyDir << u"(audio_path >= ? AND audio_path < ? AND instr(substr(audio_path, length(?) + 1), '/') = 0)"_s;
            values << dir + u'/' << dir + u'0' << dir + u'/';
        }
        sql += u" WHERE "_s + anyDir.join(" OR "_L1);
    }
    if (!run(q, sql, values, nullptr))
        return result;
    while (q.next()) {
        const QString path = q.value(1).toString();
        const qsizetype slash = path.lastIndexOf(u'/');
        result.insert(q.value(0).toString(),
                      IndexedAudio{path.left(std::max<qsizetype>(0, slash)), q.value(2).toBool()});
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
    return run(q, u"UPDATE takes SET audio_path = ?, audio_missing = 0 WHERE n = ?"_s,
               {relativePath, TakeId::toNumber(id)}, error);
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
    if (!SqlSupport::exec(m_db, u"DELETE FROM scanned_dirs"_s, error))
        return false;
    QSqlQuery q(m_db);
    if (!prepare(q, u"INSERT INTO scanned_dirs (path, mtime) VALUES (?, ?)"_s, error))
        return false;
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

std::optional<bool> LibraryDatabase::idInUse(const QString& id, QString* error) const
{
    QSqlQuery q(m_db);
    if (!run(q, u"SELECT 1 FROM takes WHERE n = ? UNION ALL SELECT 1 FROM retired_ids WHERE id = ?"_s,
             {TakeId::toNumber(id), id}, error))
        return std::nullopt;
    return q.next();
}

qint64 LibraryDatabase::dataVersion() const
{
    QSqlQuery q(m_db);
    return q.exec(u"PRAGMA data_version"_s) && q.next() ? q.value(0).toLongLong() : -1;
}
