#include "library/SqlSupport.h"

#include "model/TextUtils.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace SqlSupport {

QString describe(const QSqlError& error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

bool exec(const QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    setError(error, describe(query.lastError()));
    return false;
}

bool prepare(QSqlQuery& query, const QString& sql, QString* error)
{
    if (query.prepare(sql))
        return true;
    setError(error, describe(query.lastError()));
    return false;
}

bool run(QSqlQuery& query, const QString& sql, const QVariantList& values, QString* error)
{
    if (!prepare(query, sql, error))
        return false;
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (query.exec())
        return true;
    setError(error, describe(query.lastError()));
    return false;
}

bool beginWrite(const QSqlDatabase& db, QString* error)
{
    return exec(db, u"BEGIN IMMEDIATE"_s, error);
}

bool commit(const QSqlDatabase& db, QString* error)
{
    if (exec(db, u"COMMIT"_s, error))
        return true;
    rollback(db);
    return false;
}

void rollback(const QSqlDatabase& db)
{
    exec(db, u"ROLLBACK"_s);
}

} // namespace SqlSupport
