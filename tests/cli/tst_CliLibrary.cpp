#include "audio/AudioCodec.h"
#include "library/Library.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

/// The library through musicgen-cli, as scripts use it: every command a separate process on a real library
/// in a temporary XDG home.
class TestCliLibrary final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void generateRecordsEveryTake();
    void historyIsSafeInATerminalAndSaysWhyItIsEmpty();
    void noHistoryRecordsNothing();
    void favouritesAreSavedAndNeverOverwritten();
    void exportWritesTheAskedFormat();
    void deleteAndRestore();
    void idsAcceptAUniquePrefix();
    void rebuildRestoresTheIndex();
    void aLibraryThatWillNotOpenIsALocalFailure();
    void playingATakeWhoseAudioIsGoneIsALocalFailure();
    void historyOfAnUnreadableIndexIsALocalFailure();
    void killDuringWritesLosesNothingEarlier();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run cli(const QStringList& arguments);
    QProcessEnvironment environment() const;
    QString generate(const QString& prompt, int seed);
    QJsonArray history(const QStringList& extra = {});

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestCliLibrary::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
}

QProcessEnvironment TestCliLibrary::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"SEGMIND_API_KEY"_s);
    environment.insert(u"XDG_DATA_HOME"_s, m_home->filePath(u"data"_s));
    environment.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
    environment.insert(u"XDG_CACHE_HOME"_s, m_home->filePath(u"cache"_s));
    environment.insert(u"XDG_MUSIC_DIR"_s, m_home->filePath(u"music"_s));
    return environment;
}

TestCliLibrary::Run TestCliLibrary::cli(const QStringList& arguments)
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.setWorkingDirectory(m_home->path());
    process.start(QString::fromUtf8(MUSICGEN_CLI_PATH), arguments);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString TestCliLibrary::generate(const QString& prompt, int seed)
{
    const Run run = cli({u"generate"_s, u"--prompt"_s, prompt, u"--duration"_s, u"2"_s, u"--seed"_s,
                         QString::number(seed), u"--json"_s, u"--output"_s, u"out.wav"_s, u"--force"_s});
    if (run.exitCode != 0)
        qWarning("generate failed: %s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).object().value("id"_L1).toString();
}

QJsonArray TestCliLibrary::history(const QStringList& extra)
{
    const Run run = cli(QStringList{u"history"_s, u"--json"_s} + extra);
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

void TestCliLibrary::generateRecordsEveryTake()
{
    const QString first = generate(u"lo-fi piano"_s, 1);
    const QString second = generate(u"techno at 128 bpm"_s, 2);
    QVERIFY(!first.isEmpty() && !second.isEmpty() && first != second);
    const QJsonArray takes = history();
    QCOMPARE(takes.size(), 2);
    QCOMPARE(takes.at(0).toObject().value("id"_L1).toString(), second); // newest first
    QCOMPARE(takes.at(1).toObject().value("prompt"_L1).toString(), u"lo-fi piano"_s);
    QCOMPARE(takes.at(1).toObject().value("seed"_L1).toInt(), 1);
    QCOMPARE(takes.at(1).toObject().value("provider"_L1).toString(), u"offline"_s);

    const Run text = cli({u"history"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(first) && text.out.contains(u"lo-fi piano"_s));
    QCOMPARE(history({u"--search"_s, u"techno"_s}).size(), 1);
}

void TestCliLibrary::historyIsSafeInATerminalAndSaysWhyItIsEmpty()
{
    const Run empty = cli({u"history"_s});
    QCOMPARE(empty.exitCode, 0);
    QVERIFY2(empty.err.contains(u"no takes yet"_s), qPrintable(empty.err));

    // A prompt that would recolour the terminal and reverse the rest of the line.
    const QString hostile = u"\x1b[31mred\x1b[0m piano \u202Eevil"_s;
    QVERIFY(!generate(hostile, 3).isEmpty());
    const Run text = cli({u"history"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"\\u{001b}[31mred\\u{001b}[0m piano \\u{202e}evil"_s), qPrintable(text.out));
    QVERIFY(!text.out.contains(QChar(0x1b)) && !text.out.contains(QChar(0x202E)));
    // JSON stays exact: scripts get the prompt as it was typed.
    QCOMPARE(history().at(0).toObject().value("prompt"_L1).toString(), hostile);

    const Run none = cli({u"history"_s, u"--search"_s, u"trombone"_s});
    QCOMPARE(none.exitCode, 0);
    QVERIFY2(none.err.contains(u"no takes match"_s), qPrintable(none.err));
    QVERIFY(!none.err.contains(u"no takes yet"_s));
}

void TestCliLibrary::noHistoryRecordsNothing()
{
    const Run run = cli({u"generate"_s, u"--prompt"_s, u"x"_s, u"--duration"_s, u"1"_s, u"--no-history"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(history().size(), 0);
}

void TestCliLibrary::favouritesAreSavedAndNeverOverwritten()
{
    const QString a = generate(u"dreamy ambient pads"_s, 5);
    const QString b = generate(u"dreamy ambient pads"_s, 5); // the same recipe, so the same file name
    const Run first = cli({u"favourite"_s, a});
    const Run second = cli({u"favourite"_s, b});
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(second.exitCode, 0);
    const QString firstPath = first.out.trimmed(), secondPath = second.out.trimmed();
    QVERIFY2(firstPath.startsWith(m_home->filePath(u"music/MusicGen Studio/"_s)), qPrintable(firstPath));
    QVERIFY(firstPath != secondPath);
    QVERIFY(QFile::exists(firstPath) && QFile::exists(secondPath));
    QCOMPARE(history({u"--favourites"_s}).size(), 2);

    QCOMPARE(cli({u"favourite"_s, a, u"--off"_s}).exitCode, 0);
    QVERIFY(QFile::exists(firstPath)); // the user's copy stays
    QCOMPARE(history({u"--favourites"_s}).size(), 1);
}

void TestCliLibrary::exportWritesTheAskedFormat()
{
    const QString id = generate(u"funk bass"_s, 9);
    const QString path = m_home->filePath(u"funk.flac"_s);
    QCOMPARE(cli({u"export"_s, id, u"--to"_s, path}).exitCode, 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto info = AudioCodec::probe(file.readAll());
    QVERIFY(info.has_value());
    QCOMPARE(info->format, AudioFormat::Flac);
    const Run again = cli({u"export"_s, id, u"--to"_s, path});
    QVERIFY(again.exitCode != 0); // never overwrites without --force
    QVERIFY(again.err.startsWith(u"error: "_s));
    QCOMPARE(cli({u"export"_s, id, u"--to"_s, m_home->filePath(u"x.mp3"_s), u"--format"_s, u"mp3"_s}).exitCode, 0);
}

void TestCliLibrary::deleteAndRestore()
{
    const QString id = generate(u"sad strings"_s, 3);
    QCOMPARE(cli({u"delete"_s, id}).exitCode, 0);
    QCOMPARE(history().size(), 0);
    QCOMPARE(history({u"--trash"_s}).size(), 1);
    QCOMPARE(cli({u"restore"_s, id}).exitCode, 0);
    QCOMPARE(history().size(), 1);
}

void TestCliLibrary::idsAcceptAUniquePrefix()
{
    const QString id = generate(u"rock guitar"_s, 4);
    const Run run = cli({u"export"_s, id.left(5), u"--to"_s, m_home->filePath(u"rock.wav"_s)});
    QCOMPARE(run.exitCode, 0);
    const Run unknown = cli({u"delete"_s, u"zzzzzzzzzz"_s});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains(u"zzzzzzzzzz"_s));
}

void TestCliLibrary::rebuildRestoresTheIndex()
{
    const QString a = generate(u"jazz brass"_s, 1);
    const QString b = generate(u"house 124 bpm"_s, 2);
    QCOMPARE(cli({u"favourite"_s, a}).exitCode, 0);
    const QString database = m_home->filePath(u"data/musicgen-studio/library.sqlite3"_s);
    QVERIFY(QFile::exists(database));
    for (const QString& suffix : {QString(), u"-wal"_s, u"-shm"_s})
        QFile::remove(database + suffix);
    const Run rebuild = cli({u"library"_s, u"rebuild"_s});
    QCOMPARE(rebuild.exitCode, 0);
    const QJsonArray takes = history();
    QCOMPARE(takes.size(), 2);
    QStringList ids{takes.at(0).toObject().value("id"_L1).toString(), takes.at(1).toObject().value("id"_L1).toString()};
    QVERIFY(ids.contains(a) && ids.contains(b));
    QCOMPARE(history({u"--favourites"_s}).size(), 1);
}

void TestCliLibrary::aLibraryThatWillNotOpenIsALocalFailure()
{
    // XDG_DATA_HOME is a regular file, so the library folder cannot be made under it.
    QFile blocker(m_home->filePath(u"data"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString id = u"t73xclj33w"_s;
    const QList<QStringList> commands{
        {u"history"_s},       {u"history"_s, u"--json"_s},
        {u"favourite"_s, id}, {u"export"_s, id, u"--to"_s, m_home->filePath(u"x.wav"_s)},
        {u"delete"_s, id},    {u"restore"_s, id},
        {u"play"_s, id},      {u"library"_s, u"rebuild"_s},
    };
    for (const QStringList& command : commands) {
        const Run run = cli(command);
        QVERIFY2(run.exitCode == 1, qPrintable(command.join(u' ') + u": "_s + QString::number(run.exitCode)));
        QVERIFY2(run.err.startsWith(u"error: "_s) && run.err.contains(m_home->filePath(u"data"_s)),
                 qPrintable(run.err));
        QCOMPARE(run.out, QString());
    }
}

void TestCliLibrary::playingATakeWhoseAudioIsGoneIsALocalFailure()
{
    const QString id = generate(u"lo-fi piano"_s, 1);
    QVERIFY(!id.isEmpty());
    QDirIterator clips(m_home->filePath(u"data/musicgen-studio/clips"_s), {id + u".wav"_s}, QDir::Files,
                       QDirIterator::Subdirectories);
    QVERIFY(clips.hasNext());
    QVERIFY(QFile::remove(clips.next()));
    const Run run = cli({u"play"_s, id});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"missing"_s), qPrintable(run.err));
}

void TestCliLibrary::historyOfAnUnreadableIndexIsALocalFailure()
{
    QVERIFY(!generate(u"kept in the clips folder"_s, 1).isEmpty());
    {
        // The index loses its takes table (damage, or a tamperer); the library still opens.
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"break"_s);
        db.setDatabaseName(m_home->filePath(u"data/musicgen-studio/library.sqlite3"_s));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"DROP TABLE takes"_s));
    }
    QSqlDatabase::removeDatabase(u"break"_s);
    for (const QStringList& command : {QStringList{u"history"_s}, QStringList{u"history"_s, u"--json"_s}}) {
        const Run run = cli(command);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"error: could not read the history"_s) &&
                     run.err.contains(u"no such table: takes"_s) && !run.err.contains(u"no takes yet"_s),
                 qPrintable(run.err));
        QCOMPARE(run.out, QString());
    }
}

void TestCliLibrary::killDuringWritesLosesNothingEarlier()
{
    // Each round starts a generation and kills it with SIGKILL at a random moment, during rendering, the
    // audio write, the sidecar write or the database insert. Whatever happens to that take, every take
    // finished before it must survive, and the database must pass integrity_check.
    QStringList finished;
    auto* random = QRandomGenerator::global();
    for (int round = 0; round < 12; ++round) {
        finished.append(generate(u"round %1"_s.arg(round), round));
        QVERIFY(!finished.constLast().isEmpty());

        QProcess victim;
        victim.setProcessEnvironment(environment());
        victim.setWorkingDirectory(m_home->path());
        victim.start(QString::fromUtf8(MUSICGEN_CLI_PATH),
                     {u"generate"_s, u"--prompt"_s, u"victim %1"_s.arg(round), u"--duration"_s, u"3"_s});
        QVERIFY(victim.waitForStarted());
        QTest::qSleep(int(random->bounded(40, 260)));
        ::kill(pid_t(victim.processId()), SIGKILL);
        QVERIFY(victim.waitForFinished(10000));

        Library library(m_home->filePath(u"data/musicgen-studio"_s));
        const OpenReport report = library.open();
        QVERIFY2(report.ok, qPrintable(report.message));
        QVERIFY2(report.movedAsidePath.isEmpty(), "the database was never damaged");
        for (const QString& id : std::as_const(finished)) {
            const auto take = library.find(id);
            QVERIFY2(take.has_value(), qPrintable(id));
            QVERIFY(!take->audioMissing);
        }
    }
    {
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
        db.setDatabaseName(m_home->filePath(u"data/musicgen-studio/library.sqlite3"_s));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"PRAGMA integrity_check"_s) && query.next());
        QCOMPARE(query.value(0).toString(), u"ok"_s);
    }
    QSqlDatabase::removeDatabase(u"check"_s);
}

QTEST_GUILESS_MAIN(TestCliLibrary)
#include "tst_CliLibrary.moc"
