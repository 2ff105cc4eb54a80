#include "CliRun.h"
#include "TestTakes.h"
#include "audio/AudioCodec.h"
#include "audio/AudioTags.h"
#include "audio/SndFileMemory.h"
#include "library/Library.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

/// `musicgen-cli loop` as scripts use it: a separate process on a real library in a temporary XDG home, writing real
/// files.
class TestCliLoop final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void aLoopIsWrittenAndKeptLinkedToItsParent();
    void otherFormatsCarryTempoAndKey();
    void badInputIsAClearError();
    void takesWithoutATempoHaveNoBars();
    void anUnwritableDestinationKeepsNothing();

private:
    /// Runs musicgen-cli with `arguments`, as `nobody` (setpriv) when `asNobody`.
    CliRun cli(const QStringList& arguments, bool asNobody = false);
    QJsonArray history();
    /// A 12 s offline take at 124 BPM in A minor; its id.
    QString generate();
    QString path(const QString& name) const { return m_home->filePath(name); }
    QString libraryRoot() const { return path(u"data/musicgen-studio"_s); }
    /// A loop's failure: exit code and message as expected, and neither a take kept nor a file written.
    void checkRefused(const QStringList& arguments, int exitCode, const QString& message);

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestCliLoop::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
}

CliRun TestCliLoop::cli(const QStringList& arguments, bool asNobody)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"SEGMIND_API_KEY"_s);
    environment.insert(u"HOME"_s, m_home->path());
    for (const auto folder : {"DATA"_L1, "CONFIG"_L1, "CACHE"_L1, "MUSIC"_L1})
        environment.insert(u"XDG_%1_HOME"_s.arg(folder), path(folder.toString().toLower()));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_home->path());
    const QString program = QString::fromUtf8(MUSICGEN_CLI_PATH);
    if (asNobody) {
        process.setProgram(u"setpriv"_s);
        process.setArguments(QStringList{u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, program} +
                             arguments);
    } else {
        process.setProgram(program);
        process.setArguments(arguments);
    }
    return CliRun::of(process, 60000);
}

QJsonArray TestCliLoop::history()
{
    const CliRun run = cli({u"history"_s, u"--json"_s});
    if (run.exitCode != 0)
        qWarning("history failed: %s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

QString TestCliLoop::generate()
{
    const CliRun run = cli({u"generate"_s, u"--provider"_s, u"offline"_s, u"--prompt"_s,
                            u"house at 124 bpm in A minor with piano and pads"_s, u"--duration"_s, u"12"_s,
                            u"--output"_s, path(u"take.wav"_s)});
    if (run.exitCode != 0)
        qWarning("generate failed: %s", qPrintable(run.err));
    return history().first().toObject().value("id"_L1).toString();
}

void TestCliLoop::checkRefused(const QStringList& arguments, int exitCode, const QString& message)
{
    const int before = int(history().size());
    const QStringList filesBefore = QDir(m_home->path()).entryList(QDir::Files);
    const CliRun run = cli(arguments);
    QVERIFY2(run.exitCode == exitCode,
             qPrintable(u"%1: exit %2, %3"_s.arg(arguments.join(u' ')).arg(run.exitCode).arg(run.err)));
    QCOMPARE(run.err, u"error: "_s + message + u'\n');
    QVERIFY(run.out.isEmpty());
    QCOMPARE(history().size(), before);
    QCOMPARE(QDir(m_home->path()).entryList(QDir::Files), filesBefore);
}

void TestCliLoop::aLoopIsWrittenAndKeptLinkedToItsParent()
{
    const QString parent = generate();
    QVERIFY(!parent.isEmpty());
    const QString file = path(u"loop.wav"_s);
    const CliRun run = cli({u"loop"_s, parent.left(6), u"--bars"_s, u"4"_s, u"--to"_s, file});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // The new take's id, then the file's path.
    const QStringList printed = run.out.trimmed().split(u' ');
    QCOMPARE(printed.size(), 2);
    const QString loop = printed[0];
    QVERIFY(TakeId::isValid(loop) && loop != parent);
    QCOMPARE(printed[1], file);

    // A WAV of exactly four bars that samplers loop by themselves, with the tempo, beats and root note.
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    SndFileMemory sound(written.readAll());
    QVERIFY(sound.isOpen());
    QCOMPARE(sound.info().frames, std::llround(4 * 4 * 60.0 / 124 * 32000));
    SF_INSTRUMENT instrument{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_INSTRUMENT, &instrument, sizeof instrument), SF_TRUE);
    QCOMPARE(instrument.loop_count, 1);
    QCOMPARE(instrument.loops[0].start, 0U);
    QCOMPARE(instrument.loops[0].end, quint32(sound.info().frames));
    SF_LOOP_INFO info{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_LOOP_INFO, &info, sizeof info), SF_TRUE);
    QCOMPARE(info.bpm, 124.0F);
    QCOMPARE(info.num_beats, 16);
    QCOMPARE(info.root_key, 57);

    // In the history: the loop, newest, linked to its parent; the parent links to nothing.
    const QJsonArray takes = history();
    QCOMPARE(takes.size(), 2);
    const QJsonObject kept = takes[0].toObject();
    QCOMPARE(kept.value("id"_L1).toString(), loop);
    QCOMPARE(kept.value("parent_id"_L1).toString(), parent);
    QCOMPARE(kept.value("loop_bars"_L1).toInt(), 4);
    QCOMPARE(kept.value("loop_start_bar"_L1).toInt(), 0);
    QCOMPARE(kept.value("provider"_L1).toString(), u"loop"_s);
    QCOMPARE(kept.value("duration_s"_L1).toInt(), 8);
    QVERIFY(std::abs(kept.value("actual_duration_s"_L1).toDouble() - 4 * 4 * 60.0 / 124) < 1e-3);
    QCOMPARE(kept.value("bpm"_L1).toDouble(), 124.0);
    QCOMPARE(kept.value("key"_L1).toString(), u"A minor"_s);
    QCOMPARE(kept.value("downbeat_s"_L1).toDouble(), 0.0);
    QVERIFY(kept.value("lufs"_L1).isDouble());
    QCOMPARE(kept.value("cost"_L1).toDouble(), 0.0);
    const QJsonObject original = takes[1].toObject();
    QCOMPARE(original.value("id"_L1).toString(), parent);
    QVERIFY(!original.contains("parent_id"_L1) && !original.contains("loop_bars"_L1));

    // The command is listed.
    const CliRun help = cli({u"--help"_s});
    QVERIFY(help.out.contains(u"loop       cut whole bars of a take"_s));
    const CliRun loopHelp = cli({u"loop"_s, u"--help"_s});
    QCOMPARE(loopHelp.exitCode, 0);
    for (const auto option : {"--bars"_L1, "--start-bar"_L1, "--to"_L1, "--format"_L1, "--force"_L1, "--json"_L1})
        QVERIFY2(loopHelp.out.contains(option), qPrintable(loopHelp.out));
}

void TestCliLoop::otherFormatsCarryTempoAndKey()
{
    const QString parent = generate();
    // --format wins over the name; --json prints the take as history does, with the file's path.
    const QString file = path(u"loop.sample"_s);
    const CliRun run = cli({u"loop"_s, parent, u"--bars"_s, u"2"_s, u"--start-bar"_s, u"1"_s, u"--to"_s, file,
                            u"--format"_s, u"flac"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject printed = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(printed.value("path"_L1).toString(), file);
    QCOMPARE(printed.value("parent_id"_L1).toString(), parent);
    QCOMPARE(printed.value("loop_start_bar"_L1).toInt(), 1);
    QCOMPARE(printed.value("loop_bars"_L1).toInt(), 2);
    QCOMPARE(printed.value("id"_L1).toString(), history().first().toObject().value("id"_L1).toString());

    // The format from the name; without one, WAV.
    QCOMPARE(cli({u"loop"_s, parent, u"--bars"_s, u"1"_s, u"--to"_s, path(u"loop.ogg"_s)}).exitCode, 0);
    QCOMPARE(cli({u"loop"_s, parent, u"--bars"_s, u"1"_s, u"--to"_s, path(u"loop.mp3"_s)}).exitCode, 0);
    QCOMPARE(cli({u"loop"_s, parent, u"--bars"_s, u"1"_s, u"--to"_s, path(u"loop"_s)}).exitCode, 0);
    const struct
    {
        const char* name;
        AudioFormat format;
    } written[] = {{"loop.sample", AudioFormat::Flac},
                   {"loop.ogg", AudioFormat::Ogg},
                   {"loop.mp3", AudioFormat::Mp3},
                   {"loop", AudioFormat::Wav}};
    for (const auto& [name, format] : written) {
        QFile loop(path(QString::fromLatin1(name)));
        QVERIFY(loop.open(QIODevice::ReadOnly));
        const QByteArray bytes = loop.readAll();
        QCOMPARE(sniffAudioFormat(bytes), format);
        const auto tags = AudioTags::read(bytes);
        QVERIFY(tags);
        QCOMPARE(tags->bpm, 124);
        QCOMPARE(tags->key, u"Am"_s);
    }
    QCOMPARE(history().size(), 5);
}

void TestCliLoop::badInputIsAClearError()
{
    const QString id = generate();
    const QString file = path(u"loop.wav"_s);
    checkRefused({u"loop"_s, u"zzzz2345"_s, u"--bars"_s, u"2"_s, u"--to"_s, file}, 2, u"no take zzzz2345"_s);
    checkRefused({u"loop"_s, u"--bars"_s, u"2"_s, u"--to"_s, file}, 2,
                 u"give one take id (see musicgen-cli history)"_s);
    checkRefused({u"loop"_s, id, u"--to"_s, file}, 2, u"give --bars N, how many bars the loop holds"_s);
    checkRefused({u"loop"_s, id, u"--bars"_s, u"0"_s, u"--to"_s, file}, 2,
                 u"--bars takes a whole number from 1 to 1000 (got \"0\")"_s);
    checkRefused({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--start-bar"_s, u"-1"_s, u"--to"_s, file}, 2,
                 u"--start-bar takes a whole number from 0 to 1000000 (got \"-1\")"_s);
    checkRefused({u"loop"_s, id, u"--bars"_s, u"2"_s}, 2, u"give --to PATH, the file to write the loop to"_s);
    checkRefused({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--to"_s, file, u"--format"_s, u"aiff"_s}, 2,
                 u"--format is wav, flac, ogg or mp3 (got \"aiff\")"_s);
    // 12 s at 124 BPM hold six whole bars of 1.94 s.
    checkRefused({u"loop"_s, id, u"--bars"_s, u"7"_s, u"--to"_s, file}, 1,
                 u"the take holds only 6 whole bars at 124 BPM: ask for 6 or fewer"_s);
    checkRefused({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--start-bar"_s, u"5"_s, u"--to"_s, file}, 1,
                 u"the take holds only 1 whole bar from bar 5 at 124 BPM: ask for 1 or fewer, or start at an earlier "
                 "bar"_s);
}

void TestCliLoop::takesWithoutATempoHaveNoBars()
{
    // A take kept before it was analysed, and one whose analysis found no pulse: kept through the library itself.
    QString notYet, noPulse;
    {
        Library library(libraryRoot());
        QVERIFY(library.open().ok);
        const auto first = library.add(TestTakes::result(u"a drone"_s, 1, 4, u"offline", 3.0));
        const auto second = library.add(TestTakes::result(u"another drone"_s, 2, 4, u"offline", 3.0));
        QVERIFY(first && second);
        MusicAnalysis found;
        found.version = 1;
        found.tempoNote = u"no steady pulse"_s;
        QVERIFY(library.setAnalysis(second->id, found));
        notYet = first->id;
        noPulse = second->id;
    }
    const QString file = path(u"loop.wav"_s);
    checkRefused({u"loop"_s, notYet, u"--bars"_s, u"1"_s, u"--to"_s, file}, 1,
                 u"take %1 has no tempo yet: wait for its analysis (musicgen-cli analyze %1 runs it now), then cut the "
                 "loop"_s.arg(notYet));
    checkRefused({u"loop"_s, noPulse, u"--bars"_s, u"1"_s, u"--to"_s, file}, 1,
                 u"take %1 has no tempo: its analysis found no steady pulse, so it has no bars to cut"_s.arg(noPulse));
}

void TestCliLoop::anUnwritableDestinationKeepsNothing()
{
    const QString id = generate();
    QFile plain(path(u"plain"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly) && plain.write("a file") > 0);
    plain.close();
    checkRefused({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--to"_s, path(u"plain/loop.wav"_s)}, 1,
                 u"could not write %1: Not a directory. Check that the folder exists, or choose another."_s.arg(
                     path(u"plain/loop.wav"_s)));
    QFile existing(path(u"exists.wav"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly) && existing.write("keep me") > 0);
    existing.close();
    const CliRun refused = cli({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--to"_s, existing.fileName()});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(u"already exists"_s), qPrintable(refused.err));
    QCOMPARE(history().size(), 1);
    QCOMPARE(cli({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--to"_s, existing.fileName(), u"--force"_s}).exitCode, 0);
    QCOMPARE(history().size(), 2);

    // A folder its user may not write into: the library can be written, the destination cannot.
    if (::geteuid() != 0 || QStandardPaths::findExecutable(u"setpriv"_s).isEmpty())
        QSKIP("needs root and setpriv to run as another user");
    QVERIFY(QDir(m_home->path()).mkdir(u"locked"_s));
    for (QDirIterator it(m_home->path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                         QDirIterator::Subdirectories);
         it.hasNext();) {
        const QString entry = it.next();
        QFile::setPermissions(entry, QFile::permissions(entry) | QFile::ReadOther | QFile::WriteOther |
                                         (QFileInfo(entry).isDir() ? QFile::ExeOther : QFile::Permissions()));
    }
    QVERIFY(QFile::setPermissions(m_home->path(), QFile::Permissions(0x7777)));
    QVERIFY(QFile::setPermissions(path(u"locked"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                         QFile::ReadOther | QFile::ExeOther));
    const QString locked = path(u"locked/loop.wav"_s);
    const CliRun run = cli({u"loop"_s, id, u"--bars"_s, u"2"_s, u"--to"_s, locked}, true);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"Permission denied"_s), qPrintable(run.err));
    QVERIFY(!QFile::exists(locked));
    QCOMPARE(history().size(), 2);
}

QTEST_GUILESS_MAIN(TestCliLoop)
#include "tst_CliLoop.moc"
