#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

class QSqlError;
class QSqlQuery;

/// The few operations on the library's SQLite connection that both its schema set-up (LibrarySchema) and its
/// statements (LibraryDatabase) need: running a statement with SQLite's reason when it fails, and the write
/// transaction around several.
namespace SqlSupport {

/// SQLite's own words for a failed statement ("no such table: takes"), or Qt's when SQLite said nothing.
QString describe(const QSqlError& error);

/// Runs one statement; on failure `error` (when given) says why.
bool exec(const QSqlDatabase& db, const QString& sql, QString* error = nullptr);

/// Prepares `sql` on `query`; on failure `error` (when given) gets SQLite's reason ("no such table: takes"). Run
/// without this check, a statement that failed to prepare only reports Qt's "Parameter count mismatch".
bool prepare(QSqlQuery& query, const QString& sql, QString* error);

/// Prepares `sql` on `query`, binds `values` in order and runs it; on failure `error` (when given) says why.
bool run(QSqlQuery& query, const QString& sql, const QVariantList& values, QString* error);

/// BEGIN IMMEDIATE: takes the write lock now (waiting up to the busy timeout), so that a read-modify-write is safe
/// against the other process.
bool beginWrite(const QSqlDatabase& db, QString* error);

/// COMMIT; rolls back when the commit fails, so the connection is never left inside a transaction.
bool commit(const QSqlDatabase& db, QString* error);

void rollback(const QSqlDatabase& db);

} // namespace SqlSupport
