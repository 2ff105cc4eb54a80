#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <cstdio>

/// A library's SQLite file changed behind the code under test, through a connection of its own: what another
/// process, a tamperer or damage does to it while a library has it open.
namespace TestDatabase {

/// Runs `sql` on the file at `path`; returns whether it worked (a failure is printed).
inline bool exec(const QString& path, const QString& sql)
{
    using namespace Qt::StringLiterals;
    const QString connection = u"test-database"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        QString error;
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(sql);
            error = query.lastError().text();
        } else {
            error = db.lastError().text();
        }
        if (!ok)
            std::fprintf(stderr, "TestDatabase: %s: %s\n", qUtf8Printable(sql), qUtf8Printable(error));
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace TestDatabase
