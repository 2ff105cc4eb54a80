// The take library at scale: a library of 100,000 takes is made on disk (tiny clips and real sidecars, written
// directly without fsync, spread over 36 monthly folders) and indexed through Library::open(), which re-attaches
// every clip from its sidecar in one transaction. Then a new process (this program with --measure) times what a
// musician waits for: opening the library and showing the first screenful of history, and searching; and when the
// full integrity check it owed was done on the writer thread. It prints figures and their ratio to the targets; it
// never fails on time.
//
//   bench-library [--takes N] [--root DIR]     (DIR is kept and reused when it already holds N takes)

#include "library/ClipsFolder.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "library/TakeSidecar.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtEndian>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr double OpenTargetMs = 300;
constexpr double SearchTargetMs = 50;
constexpr double RssTargetMb = 150;
constexpr int Screenful = 50;

double maxRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
}

// Peak resident memory of this process image. ru_maxrss survives exec(), so a child started by a big parent
// reports the parent's peak; VmHWM belongs to the process image alone.
double peakRssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return maxRssMb();
}

double ms(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

void print(const char* what, double value, const char* unit, double target = 0)
{
    if (target > 0)
        std::printf("%-52s %9.1f %-3s (target < %.0f %s: %.2f of target)\n", what, value, unit, target, unit,
                    value / target);
    else
        std::printf("%-52s %9.1f %s\n", what, value, unit);
    std::fflush(stdout);
}

// Words people type into prompts, so searches hit realistic numbers of takes.
const QStringList& words()
{
    static const QStringList list = {
        u"lo-fi"_s,    u"hip"_s,         u"hop"_s,        u"jazz"_s,     u"piano"_s,     u"drums"_s,
        u"bass"_s,     u"guitar"_s,      u"ambient"_s,    u"rain"_s,     u"epic"_s,      u"orchestral"_s,
        u"strings"_s,  u"choir"_s,       u"synthwave"_s,  u"80s"_s,      u"retro"_s,     u"techno"_s,
        u"house"_s,    u"deep"_s,        u"chill"_s,      u"relaxing"_s, u"upbeat"_s,    u"funky"_s,
        u"soul"_s,     u"blues"_s,       u"rock"_s,       u"metal"_s,    u"punk"_s,      u"folk"_s,
        u"acoustic"_s, u"cinematic"_s,   u"trailer"_s,    u"dark"_s,     u"bright"_s,    u"happy"_s,
        u"sad"_s,      u"melancholic"_s, u"dreamy"_s,     u"ethereal"_s, u"pads"_s,      u"arpeggio"_s,
        u"reggae"_s,   u"dub"_s,         u"trap"_s,       u"808"_s,      u"bossa"_s,     u"nova"_s,
        u"café"_s,     u"night"_s,       u"summer"_s,     u"winter"_s,   u"forest"_s,    u"ocean"_s,
        u"city"_s,     u"120bpm"_s,      u"90bpm"_s,      u"slow"_s,     u"fast"_s,      u"violin"_s,
        u"cello"_s,    u"flute"_s,       u"saxophone"_s,  u"trumpet"_s,  u"marimba"_s,   u"harp"_s,
        u"organ"_s,    u"groovy"_s,      u"minimal"_s,    u"glitch"_s,   u"vaporwave"_s, u"tropical"_s,
        u"latin"_s,    u"afrobeat"_s,    u"celtic"_s,     u"medieval"_s, u"chiptune"_s,  u"8-bit"_s,
        u"video"_s,    u"game"_s,        u"boss"_s,       u"battle"_s,   u"peaceful"_s,  u"meditation"_s,
        u"drone"_s,    u"noise"_s,       u"industrial"_s, u"gospel"_s,   u"country"_s,   u"banjo"_s,
        u"ukulele"_s,  u"sitar"_s,       u"tabla"_s,      u"koto"_s,     u"gamelan"_s,   u"kalimba"_s,
        u"whistle"_s,
    };
    return list;
}

QByteArray tinyWav()
{
    // A valid 16-bit mono WAV of 16 silent samples: the clip's content does not matter for indexing.
    constexpr quint32 dataBytes = 32;
    QByteArray wav(44 + int(dataBytes), '\0');
    char* p = wav.data();
    std::memcpy(p, "RIFF", 4);
    qToLittleEndian<quint32>(36 + dataBytes, p + 4);
    std::memcpy(p + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, p + 16);
    qToLittleEndian<quint16>(1, p + 20);
    qToLittleEndian<quint16>(1, p + 22);
    qToLittleEndian<quint32>(32000, p + 24);
    qToLittleEndian<quint32>(64000, p + 28);
    qToLittleEndian<quint16>(2, p + 32);
    qToLittleEndian<quint16>(16, p + 34);
    std::memcpy(p + 36, "data", 4);
    qToLittleEndian<quint32>(dataBytes, p + 40);
    return wav;
}

int createLibrary(const QString& root, int takes)
{
    QElapsedTimer timer;
    timer.start();
    QRandomGenerator random(2024);
    const QByteArray wav = tinyWav();
    const QDateTime start(QDate(2022, 1, 1), QTime(0, 0), Qt::UTC);
    const qint64 spanSeconds = qint64(36) * 30 * 24 * 3600;
    QSet<QString> ids;
    QString lastDir;
    for (int i = 0; i < takes; ++i) {
        Take take;
        do
            take.id = TakeId::generate();
        while (ids.contains(take.id));
        ids.insert(take.id);
        take.created = start.addSecs(spanSeconds * i / takes);
        QStringList prompt;
        const int length = 3 + int(random.bounded(8));
        for (int w = 0; w < length; ++w)
            prompt << words().at(int(random.bounded(qsizetype(words().size()))));
        take.prompt = prompt.join(u' ');
        take.requestedDuration = 1 + int(random.bounded(30));
        take.actualDuration = take.requestedDuration;
        take.seed = int(random.bounded(10000));
        const bool segmind = random.bounded(3) != 0;
        take.provider = segmind ? u"segmind"_s : u"offline"_s;
        take.endpoint = segmind ? u"https://api.segmind.com/v1/meta-musicgen-medium"_s : u"built-in"_s;
        take.model = segmind ? u"meta-musicgen-medium"_s : u"offline-sketch-1"_s;
        take.format = AudioFormat::Wav;
        take.sampleRate = 32000;
        take.channels = 1;
        take.byteSize = 320044;
        take.sha256 = QString(64, u'0');
        take.generationMs = 20000;
        take.attempts = 1;
        take.estimatedCost = segmind ? 0.037 : 0;
        take.favourite = random.bounded(20) == 0;
        take.rating = random.bounded(4) == 0 ? int(random.bounded(6)) : 0;
        if (random.bounded(10) == 0)
            take.tags = {words().at(int(random.bounded(qsizetype(words().size()))))};
        take.trashed = random.bounded(50) == 0;
        // Analysed as a backfilled library is: tempos 60-180 BPM, any of the 24 keys, loudness round -14 LUFS.
        take.analysisVersion = 1;
        take.bpm = 60 + random.bounded(1200) / 10.0;
        take.keyRoot = int(random.bounded(12));
        take.keyMinor = random.bounded(2) == 0;
        take.loudnessLufs = -8 - random.bounded(120) / 10.0;
        const QString dir = take.created.toString(u"'clips/'yyyy/MM"_s);
        if (dir != lastDir) {
            QDir().mkpath(root + u'/' + dir);
            lastDir = dir;
        }
        take.audioRelativePath = dir + u'/' + take.id + u".wav"_s;
        QFile audio(root + u'/' + take.audioRelativePath);
        QFile sidecar(root + u'/' + dir + u'/' + take.id + u".json"_s);
        if (!audio.open(QIODevice::WriteOnly) || audio.write(wav) != wav.size() ||
            !sidecar.open(QIODevice::WriteOnly) || sidecar.write(TakeSidecar::toJson(take)) <= 0) {
            std::fprintf(stderr, "could not write take %d: %s\n", i, qPrintable(audio.errorString()));
            return 1;
        }
    }
    print("created clips + sidecars on disk", ms(timer) / 1000, "s");

    timer.restart();
    Library library(root);
    const OpenReport report = library.open();
    if (!report.ok || report.repairs.reattached != takes) {
        std::fprintf(stderr, "indexing failed: %s (%d re-attached)\n", qPrintable(report.message),
                     report.repairs.reattached);
        return 1;
    }
    print("indexed from sidecars (Library::open re-attach)", ms(timer) / 1000, "s");
    const qint64 bytes =
        QFileInfo(library.databasePath()).size() + QFileInfo(library.databasePath() + u"-wal"_s).size();
    print("database size (with its WAL)", double(bytes) / 1e6, "MB");
    return 0;
}

// Runs in a fresh process: nothing of the library is in this process's memory yet.
int measure(const QString& root, bool openOnly)
{
    QElapsedTimer total;
    total.start();
    auto library = std::make_unique<LibraryService>(root, LibraryOptions{}); // as the window opens it
    const OpenReport report = library->open();
    const double openMs = ms(total);
    if (!report.ok) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(report.message));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    auto model = std::make_unique<HistoryModel>(library.get());
    QStringList shown;
    for (int row = 0; row < std::min(Screenful, model->rowCount()); ++row)
        shown << model->index(row).data().toString() + model->index(row).data(HistoryModel::CreatedRole).toString();
    const double firstScreenMs = ms(timer);
    const double totalMs = ms(total);
    const char* check = report.fullIntegrityCheck ? "full integrity_check"
                        : report.fullCheckOwed    ? "quick_check; integrity_check owed to the writer thread"
                                                  : "quick_check";
    std::printf("  open %.1f ms (%s, %d re-attached) + first screenful %.1f ms (%d rows read)\n", openMs, check,
                report.repairs.reattached, firstScreenMs, model->rowCount());
    print("  open + first screenful", totalMs, "ms", OpenTargetMs);
    if (openOnly) {
        if (report.fullCheckOwed) {
            // The full check is the writer thread's first job, and a service waits for its writer when it goes.
            model.reset();
            library.reset();
            print("  integrity_check on the writer thread, done after open by", ms(total) - openMs, "ms");
        }
        print("  peak RSS (VmHWM)", peakRssMb(), "MB", RssTargetMb);
        return 0;
    }
    Library probe(root);
    probe.open();
    std::printf("  (%d takes listed, full-text search: %s)\n", library->count({}),
                probe.hasFullTextSearch() ? "FTS5" : "LIKE");

    const QStringList searches = {u"piano"_s, u"lo-fi hip"_s,      u"drum"_s, u"epic orch"_s,    u"ambient rain"_s,
                                  u"jazz"_s,  u"synthwave 80"_s,   u"cafe"_s, u"koto whistle"_s, u"zzz"_s,
                                  u"b"_s,     u"night city slow"_s};
    // The analysis filters (TakeSearch), alone and with words: common, rare and empty results.
    const QStringList filters = {u"bpm:120"_s,   u"bpm:118-124"_s,       u"key:Am"_s,
                                 u"key:8B"_s,    u"compatible:Am"_s,     u"piano bpm:90-100"_s,
                                 u"bpm:179.9"_s, u"jazz key:F# minor"_s, u"compatible:Ebm bpm:170-180"_s,
                                 u"zzz key:Am"_s};
    const auto matches = [&library](const QString& search) {
        TakeQuery query;
        query.search = search;
        return library->count(query);
    };
    // Three rounds of `queries`: the first page as the window shows it, then with the total count; prints the medians
    // and the slowest.
    const auto measureSearches = [&](const char* what, const QStringList& queries) {
        QList<double> firstPage, withCount;
        for (int round = 0; round < 3; ++round) {
            for (const QString& search : queries) {
                TakeQuery query;
                query.search = search;
                timer.restart();
                model->setQuery(query);
                firstPage << ms(timer);
                library->count(query);
                withCount << ms(timer);
            }
        }
        print(qPrintable(u"%1: model.setQuery (200-row page), median"_s.arg(QLatin1StringView(what))),
              median(firstPage), "ms", SearchTargetMs);
        print(qPrintable(u"%1: first page + count(), median"_s.arg(QLatin1StringView(what))), median(withCount), "ms",
              SearchTargetMs);
        print(qPrintable(u"%1: first page + count(), slowest"_s.arg(QLatin1StringView(what))),
              *std::max_element(withCount.cbegin(), withCount.cend()), "ms");
    };
    measureSearches("search", searches);
    std::printf("  (%d queries x 3 rounds; e.g. \"drum\" matches %d takes)\n", int(searches.size()),
                matches(u"drum"_s));
    measureSearches("tempo/key search", filters);
    std::printf("  (%d queries x 3 rounds; e.g. \"bpm:118-124\" matches %d takes, \"compatible:Am\" %d)\n",
                int(filters.size()), matches(u"bpm:118-124"_s), matches(u"compatible:Am"_s));

    TakeQuery filtered;
    filtered.favouritesOnly = true;
    filtered.provider = u"segmind"_s;
    timer.restart();
    model->setQuery(filtered);
    print("filter: favourites from Segmind (first page)", ms(timer), "ms");

    timer.restart();
    model->setQuery({});
    while (model->canFetchMore({}) && model->rowCount() < 2000)
        model->fetchMore({});
    print("scrolling: 10 pages of 200 rows", ms(timer), "ms");

    const auto found = library->find(model->index(1234).data(HistoryModel::IdRole).toString().left(6));
    timer.restart();
    for (int i = 0; i < 100; ++i)
        library->find(found ? found->id.left(6) : u"abcdef"_s);
    print("find by 6-character prefix", ms(timer) / 100, "ms");

    print("peak RSS of this process (VmHWM)", peakRssMb(), "MB", RssTargetMb);
    print("  ru_maxrss (includes the parent's peak: fork+exec)", maxRssMb(), "MB");
    return 0;
}

// Runs `sql` on the library's index behind its back: what the measured opening must not find recorded.
void forget(const QString& root, const QString& sql)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench"_s);
        db.setDatabaseName(root + u"/library.sqlite3"_s);
        if (db.open())
            QSqlQuery(db).exec(sql);
    }
    QSqlDatabase::removeDatabase(u"bench"_s);
}

bool runChild(const QString& root, bool openOnly)
{
    std::fflush(stdout);
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    QStringList arguments{u"--measure"_s, root};
    if (openOnly)
        arguments << u"--open-only"_s;
    child.start(QCoreApplication::applicationFilePath(), arguments);
    return child.waitForFinished(-1) && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption takesOption(u"takes"_s, u"Number of takes (default 100000)."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption rootOption(u"root"_s, u"Library folder to create or reuse."_s, u"dir"_s);
    const QCommandLineOption measureOption(u"measure"_s, u"Measure an existing library (child process)."_s, u"dir"_s);
    const QCommandLineOption openOnlyOption(u"open-only"_s, u"With --measure: only open and show the first screen."_s);
    parser.addOptions({takesOption, rootOption, measureOption, openOnlyOption});
    parser.process(app);

    if (parser.isSet(measureOption))
        return measure(parser.value(measureOption), parser.isSet(openOnlyOption));

    const int takes = parser.value(takesOption).toInt();
    QTemporaryDir temporary;
    const QString root = parser.isSet(rootOption) ? parser.value(rootOption) : temporary.path();
    std::printf("bench-library: %d takes in %s\n", takes, qPrintable(root));
    if (QFileInfo::exists(root + u"/library.sqlite3"_s)) {
        Library existing(root);
        TakeQuery trash;
        trash.trashed = true;
        if (!existing.open().ok || existing.count({}) + existing.count(trash) < takes) {
            std::fprintf(stderr, "%s holds another library; give an empty folder\n", qPrintable(root));
            return 2;
        }
        std::printf("reusing the library already there\n");
    } else if (createLibrary(root, takes) != 0) {
        return 1;
    }
    print("peak RSS while creating (this process)", peakRssMb(), "MB");

    // 1. Every new process opens with quick_check and stat()s the clip folders; once a day (and for libraries under
    //    16 MB always) the full integrity_check follows on the writer thread. Forced here by clearing the record of
    //    the last one.
    {
        Library library(root);
        library.open();
    }
    forget(root, u"DELETE FROM meta WHERE key = 'last_full_check'"_s);
    std::printf("\nA new process, first open of the day (integrity_check on the writer thread):\n");
    if (!runChild(root, true))
        return 1;
    // 2. A take was added since (by the window, say): its folder is listed again. Its folders are forgotten, as for a
    //    new year's first take: the clips folder, the year's and the month's are listed.
    {
        Library library(root);
        library.open();
        GenerationResult result;
        result.request = GenerationRequest{u"a new take"_s, 5, 1};
        result.audio = tinyWav();
        result.providerId = u"offline"_s;
        if (const auto take = library.add(result)) {
            const QString month = ClipsFolder::dirFor(take->created);
            forget(root, u"DELETE FROM scanned_dirs WHERE path IN ('clips', '%1', '%2')"_s.arg(month.left(10), month));
        }
    }
    std::printf("\nA new process after another one added a new year's first take (quick_check, three folders "
                "listed):\n");
    if (!runChild(root, true))
        return 1;
    // 3. The usual case, with everything else measured.
    std::printf("\nA new process, nothing changed since the last open (quick_check):\n");
    if (!runChild(root, false)) {
        std::fprintf(stderr, "the measuring process failed\n");
        return 1;
    }
    return 0;
}
