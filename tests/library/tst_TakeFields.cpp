#include "FolderPerTest.h"
#include "TestDatabase.h"
#include "library/LibraryDatabase.h"
#include "library/TakeSidecar.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Every field set to something other than its default.
Take everyField()
{
    Take take;
    take.id = u"abcd234567"_s;
    take.created = QDateTime(QDate(2024, 3, 9), QTime(23, 59, 58, 123), Qt::UTC);
    take.prompt = u"Lo-fi \"rainy\" beat ☔"_s;
    take.requestedDuration = 12;
    take.actualDuration = 11.5;
    take.seed = 42;
    take.provider = u"segmind"_s;
    take.endpoint = u"https://api.segmind.com/v1/meta-musicgen-medium"_s;
    take.model = u"meta-musicgen-medium"_s;
    take.format = AudioFormat::Mp3;
    take.sampleRate = 44100;
    take.channels = 2;
    take.byteSize = 5'000'000'000;
    take.sha256 = u"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"_s;
    take.generationMs = 1234;
    take.attempts = 2;
    take.estimatedCost = 0.0125;
    take.remainingCredits = 9.5;
    take.favourite = true;
    take.rating = 4;
    take.tags = {u"lo-fi"_s, u"night drive"_s};
    take.note = u"keep the intro"_s;
    take.trashed = true;
    take.audioMissing = true;
    take.parentId = u"zzzz234567"_s;
    take.audioRelativePath = u"clips/2024/03/abcd234567.mp3"_s;
    take.favouritePath = u"/home/me/Favourites/rainy.mp3"_s;
    return take;
}

// everyField() as another take: no credits, tags or parent, its audio present, never saved as a favourite.
Take fewerFields()
{
    Take take = everyField();
    take.id = u"efgh234567"_s;
    take.remainingCredits.reset();
    take.tags.clear();
    take.audioMissing = false;
    take.parentId.clear();
    take.favouritePath.clear();
    return take;
}

// What the sidecar writer of version 0.1.0 (before TakeFields) wrote, compact, for everyField() and fewerFields(). The
// prompt is an ordinary string literal: moc misreads \" inside a raw one.
const char* const Version1Sidecars[] = {
    R"({"actualDuration":11.5,"app":"MusicGen Studio","appVersion":"0.1.0","attempts":2,)"
    R"("audio":"clips/2024/03/abcd234567.mp3","byteSize":5000000000,"channels":2,"created":"2024-03-09T23:59:58.123Z",)"
    R"("endpoint":"https://api.segmind.com/v1/meta-musicgen-medium","estimatedCost":0.0125,"favourite":true,)"
    R"("format":"mp3","generationMs":1234,"id":"abcd234567","model":"meta-musicgen-medium","note":"keep the intro",)"
    R"("parentId":"zzzz234567",)"
    "\"prompt\":\"Lo-fi \\\"rainy\\\" beat ☔\","
    R"("provider":"segmind","rating":4,)"
    R"("remainingCredits":9.5,"requestedDuration":12,"sampleRate":44100,"schema":1,"seed":42,)"
    R"("sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","tags":["lo-fi","night drive"],)"
    R"("trashed":true})",
    R"({"actualDuration":11.5,"app":"MusicGen Studio","appVersion":"0.1.0","attempts":2,)"
    R"("audio":"clips/2024/03/abcd234567.mp3","byteSize":5000000000,"channels":2,"created":"2024-03-09T23:59:58.123Z",)"
    R"("endpoint":"https://api.segmind.com/v1/meta-musicgen-medium","estimatedCost":0.0125,"favourite":true,)"
    R"("format":"mp3","generationMs":1234,"id":"efgh234567","model":"meta-musicgen-medium","note":"keep the intro",)"
    R"("parentId":"",)"
    "\"prompt\":\"Lo-fi \\\"rainy\\\" beat ☔\","
    R"("provider":"segmind","rating":4,)"
    R"("remainingCredits":null,"requestedDuration":12,"sampleRate":44100,"schema":1,"seed":42,)"
    R"("sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","tags":[],"trashed":true})",
};

// The rows LibraryDatabase of version 0.1.0 wrote for everyField() and fewerFields(), as SQLite's quote() of each
// column in the table's order: the type of every value shows (text in quotes, NULL, integer or real).
const char* const Version1Rows[] = {
    R"(1172354004959,'abcd234567',1710028798123,'Lo-fi "rainy" beat ☔',12,11.5,42,'segmind',)"
    R"('https://api.segmind.com/v1/meta-musicgen-medium','meta-musicgen-medium','mp3',44100,2,5000000000,)"
    R"('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',1234,2,0.0125,9.5,1,4,)"
    R"('["lo-fi","night drive"]','keep the intro',1,1,'zzzz234567','clips/2024/03/abcd234567.mp3',)"
    R"('/home/me/Favourites/rainy.mp3')",
    R"(146449622792159,'efgh234567',1710028798123,'Lo-fi "rainy" beat ☔',12,11.5,42,'segmind',)"
    R"('https://api.segmind.com/v1/meta-musicgen-medium','meta-musicgen-medium','mp3',44100,2,5000000000,)"
    R"('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',1234,2,0.0125,NULL,1,4,'',)"
    R"('keep the intro',1,0,'','clips/2024/03/abcd234567.mp3','')",
};

// Every row of the file's takes table as in Version1Rows, in row order.
QStringList quotedRows(const QString& path)
{
    const QString connection = u"quoted"_s;
    QStringList rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        QSqlQuery q(db);
        // The statement names every column of the table, so a column added or moved shows in the comparison.
        const QString eachColumnQuoted = u"SELECT group_concat('quote(' || name || ')', ' || '','' || ') "
                                         "FROM pragma_table_info('takes')"_s;
        const bool ok = db.open() && q.exec(eachColumnQuoted) && q.next() &&
                        q.exec(u"SELECT %1 FROM takes ORDER BY n"_s.arg(q.value(0).toString()));
        while (ok && q.next())
            rows << q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(connection);
    return rows;
}

} // namespace

/// A take's fields as the sidecar and the index keep them: exactly as earlier versions wrote them, both ways.
class TestTakeFields final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void sidecarsOfVersion1ReadAndWriteTheSame();
    void sidecarReadingIsTolerant();
    void indexStoresRowsAsVersion1Did();
    void indexRowsOfVersion1ReadTheSame();
    void loopBarsTravelInSidecarAndIndex();
    void aSchema4IndexGainsTheLoopColumns();

private:
    std::unique_ptr<LibraryDatabase> openDatabase();
};

std::unique_ptr<LibraryDatabase> TestTakeFields::openDatabase()
{
    auto db = std::make_unique<LibraryDatabase>(filePath(u"library.sqlite3"_s), u"fields"_s);
    QString error;
    if (db->open(false, &error) != LibraryDatabase::Status::Ok) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return db;
}

void TestTakeFields::sidecarsOfVersion1ReadAndWriteTheSame()
{
    const QList<Take> takes = {everyField(), fewerFields()};
    for (int i = 0; i < takes.size(); ++i) {
        Take expected = takes[i];
        expected.audioMissing = false; // the sidecar does not keep what describes this computer
        expected.favouritePath.clear();
        const QByteArray old = Version1Sidecars[i];
        const auto read = TakeSidecar::fromJson(old);
        QVERIFY(read);
        QCOMPARE(*read, expected);

        QJsonObject oldObject = QJsonDocument::fromJson(old).object();
        QVERIFY(!oldObject.isEmpty());
        // A newer version changes the app's version and adds keys; every key of version 1 keeps its meaning.
        oldObject.insert(u"appVersion"_s, QString::fromUtf8(MUSICGEN_VERSION));
        oldObject.insert(u"favouritePath"_s, takes[i].favouritePath);
        oldObject.insert(u"revision"_s, 0);
        oldObject.insert(u"serverCost"_s, QJsonValue());
        oldObject.insert(u"requestId"_s, u""_s);
        for (const auto key : {"analysisVersion"_L1, "bpm"_L1, "bpmConfidence"_L1, "downbeatSeconds"_L1,
                               "keyConfidence"_L1, "loopStartBar"_L1, "loopBars"_L1})
            oldObject.insert(key, 0);
        oldObject.insert(u"keyRoot"_s, -1);
        oldObject.insert(u"keyMinor"_s, false);
        for (const auto key : {"bpmByUser"_L1, "loudnessLufs"_L1, "truePeakDbtp"_L1})
            oldObject.insert(key, QJsonValue());
        QCOMPARE(QJsonDocument::fromJson(TakeSidecar::toJson(takes[i])).object(), oldObject);
        QCOMPARE(QJsonDocument::fromJson(TakeSidecar::toJson(takes[i], false)).object(), oldObject);
    }
}

void TestTakeFields::sidecarReadingIsTolerant()
{
    Take idOnly;
    idOnly.id = u"abcd234567"_s;
    idOnly.created = QDateTime::fromString(QString(), Qt::ISODateWithMs).toUTC();
    const auto minimal = TakeSidecar::fromJson(R"({"id":"abcd234567"})");
    QVERIFY(minimal);
    QCOMPARE(*minimal, idOnly);

    // Mistyped values keep their defaults; a rating out of range is brought into 0..5 stars.
    const auto mistyped = TakeSidecar::fromJson(R"({"id":"abcd234567","seed":"42","favourite":1,"tags":"lo-fi",)"
                                                R"("remainingCredits":"9.5","byteSize":true,"rating":9})");
    QVERIFY(mistyped);
    Take expected = idOnly;
    expected.rating = 5;
    QCOMPARE(*mistyped, expected);
    QCOMPARE(TakeSidecar::fromJson(R"({"id":"abcd234567","rating":-2})")->rating, 0);

    QString error;
    QVERIFY(!TakeSidecar::fromJson(R"({"id":"ABCD"})", &error));
    QCOMPARE(error, u"the sidecar has no valid take id"_s);
    QVERIFY(!TakeSidecar::fromJson("[1]", &error));
    QVERIFY(error.startsWith(u"not a take sidecar"_s));
}

void TestTakeFields::indexStoresRowsAsVersion1Did()
{
    auto db = openDatabase();
    QVERIFY(db);
    QString error;
    // The first take gets its favourite, rating, tags, note, trash and missing flag and favourite copy later.
    Take asMade = everyField();
    asMade.favourite = asMade.trashed = asMade.audioMissing = false;
    asMade.rating = 0;
    asMade.tags.clear();
    asMade.note.clear();
    asMade.favouritePath.clear();
    QVERIFY2(db->insert(asMade, &error), qPrintable(error));
    QVERIFY2(db->update(everyField(), &error), qPrintable(error));
    QVERIFY2(db->insert(fewerFields(), &error), qPrintable(error));
    db->close();
    // Later schemas added their columns at the end: revision (2), server_cost and request_id (3), the analysis (4),
    // the loop's bars (5).
    const QString added = u",0,NULL,'',0,0.0,0.0,0.0,NULL,-1,0,0.0,NULL,NULL,0,0"_s;
    QCOMPARE(quotedRows(filePath(u"library.sqlite3"_s)),
             QStringList({QString::fromUtf8(Version1Rows[0]) + added, QString::fromUtf8(Version1Rows[1]) + added}));
}

void TestTakeFields::indexRowsOfVersion1ReadTheSame()
{
    auto db = openDatabase();
    QVERIFY(db);
    for (const char* row : Version1Rows)
        QVERIFY(TestDatabase::exec(
            db->path(),
            u"INSERT INTO takes VALUES (%1, 0, NULL, '', 0, 0, 0, 0, NULL, -1, 0, 0, NULL, NULL, 0, 0)"_s.arg(
                QString::fromUtf8(row))));
    QCOMPARE(db->take(u"abcd234567"_s), std::optional<Take>(everyField()));
    QCOMPARE(db->take(u"efgh234567"_s), std::optional<Take>(fewerFields()));
    int total = 0;
    const QList<Take> all = db->takesWithPrefix(QString(), 10, &total);
    QCOMPARE(total, 2);
    QCOMPARE(all, QList<Take>({everyField(), fewerFields()}));
}

void TestTakeFields::loopBarsTravelInSidecarAndIndex()
{
    Take loop = fewerFields();
    loop.parentId = u"zzzz234567"_s;
    loop.loopStartBar = 2;
    loop.loopBars = 4;
    const QJsonObject json = QJsonDocument::fromJson(TakeSidecar::toJson(loop)).object();
    QCOMPARE(json.value("parentId"_L1).toString(), u"zzzz234567"_s);
    QCOMPARE(json.value("loopStartBar"_L1), QJsonValue(2));
    QCOMPARE(json.value("loopBars"_L1), QJsonValue(4));
    QCOMPARE(TakeSidecar::fromJson(TakeSidecar::toJson(loop)), std::optional<Take>(loop));
    // A sidecar written before loops existed reads as a take that is no loop.
    QCOMPARE(TakeSidecar::fromJson(Version1Sidecars[1])->loopBars, 0);

    auto db = openDatabase();
    QVERIFY(db);
    QString error;
    QVERIFY2(db->insert(loop, &error), qPrintable(error));
    QCOMPARE(db->take(loop.id), std::optional<Take>(loop));
}

void TestTakeFields::aSchema4IndexGainsTheLoopColumns()
{
    auto db = openDatabase();
    QVERIFY(db);
    QString error;
    QVERIFY2(db->insert(fewerFields(), &error), qPrintable(error));
    db.reset();
    // Back to the layout of version 4, before loops.
    const QString path = filePath(u"library.sqlite3"_s);
    for (const auto column : {"loop_start_bar"_L1, "loop_bars"_L1})
        QVERIFY(TestDatabase::exec(path, u"ALTER TABLE takes DROP COLUMN "_s + column));
    QVERIFY(TestDatabase::exec(path, u"PRAGMA user_version = 4"_s));
    QVERIFY(quotedRows(path).constFirst().endsWith(u",NULL,NULL"_s));

    db = openDatabase();
    QVERIFY(db);
    QCOMPARE(db->fileSchemaVersion(), 5);
    QCOMPARE(db->take(fewerFields().id), std::optional<Take>(fewerFields()));
    Take loop = everyField();
    loop.loopStartBar = 1;
    loop.loopBars = 8;
    QVERIFY2(db->insert(loop, &error), qPrintable(error));
    QCOMPARE(db->take(loop.id), std::optional<Take>(loop));
    db.reset();
    // The takes kept before are no loops; the columns came at the end of the row.
    const QStringList rows = quotedRows(path);
    QCOMPARE(rows.size(), 2);
    QVERIFY2(rows[0].endsWith(u",NULL,NULL,1,8"_s), qPrintable(rows[0]));
    QVERIFY2(rows[1].endsWith(u",NULL,NULL,0,0"_s), qPrintable(rows[1]));
}

QTEST_GUILESS_MAIN(TestTakeFields)
#include "tst_TakeFields.moc"
