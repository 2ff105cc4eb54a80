#include "cli/Commands.h"

#include "analysis/TakeAnalysis.h"
#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "cli/InterruptWatcher.h"
#include "generation/TakeLoops.h"
#include "library/Library.h"
#include "library/LibraryReconciler.h"
#include "model/TextUtils.h"
#include "platform/AppPaths.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <memory>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("library", text);
}

/// The library and the take a one-take command is about, or the exit code when either is not to be had.
struct TakeCommand
{
    std::unique_ptr<Library> library;
    std::optional<Take> take;
    int exitCode = ExitOk;
};

/// Parses a command that takes one take id (and the options already added to `parser`), opens the library and
/// finds the take by its id or a unique prefix.
TakeCommand openTake(QCommandLineParser& parser, const QStringList& arguments)
{
    TakeCommand command;
    if (!parse(parser, arguments)) {
        command.exitCode = ExitInvalidInput;
        return command;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        printError(tr("give one take id (see musicgen-cli history)"));
        command.exitCode = ExitInvalidInput;
        return command;
    }
    command.library = openLibrary(&command.exitCode);
    if (!command.library)
        return command;
    QString error;
    command.take = command.library->find(positional.at(1), &error);
    if (!command.take) {
        printError(error);
        command.exitCode = ExitInvalidInput;
    }
    return command;
}

/// A take as `history --json` shows it. `duration_s` and `actual_duration_s` mean what they mean in
/// `generate --json`: the whole seconds asked for, and the audio's measured length.
QJsonObject takeToJson(const Take& take)
{
    QJsonObject object{
        {u"id"_s, take.id},
        {u"created"_s, take.created.toString(Qt::ISODateWithMs)},
        {u"prompt"_s, take.prompt},
        {u"duration_s"_s, take.requestedDuration},
        {u"actual_duration_s"_s, take.actualDuration},
        {u"seed"_s, take.seed},
        {u"provider"_s, take.provider},
        {u"model"_s, take.model},
        {u"format"_s, audioFormatExtension(take.format)},
        {u"sample_rate"_s, take.sampleRate},
        {u"channels"_s, take.channels},
        {u"favourite"_s, take.favourite},
        {u"rating"_s, take.rating},
        {u"tags"_s, QJsonArray::fromStringList(take.tags)},
        {u"note"_s, take.note},
        {u"estimated_cost"_s, take.estimatedCost},
        {u"cost"_s, take.cost()},
        {u"cost_source"_s, take.costSource()},
        {u"generation_ms"_s, take.generationMs},
        {u"attempts"_s, take.attempts},
        {u"audio_missing"_s, take.audioMissing},
        {u"trashed"_s, take.trashed},
    };
    if (!take.parentId.isEmpty())
        object.insert(u"parent_id"_s, take.parentId);
    if (take.loopBars > 0) {
        object.insert(u"loop_start_bar"_s, take.loopStartBar);
        object.insert(u"loop_bars"_s, take.loopBars);
    }
    if (!take.requestId.isEmpty())
        object.insert(u"request_id"_s, take.requestId);
    object.insert(u"analysed"_s, take.analysisVersion > 0);
    TakeAnalysis::addToJson(object, take.analysis(), take.bpmByUser);
    return object;
}

} // namespace

int runHistory(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"history"_s, tr("List the takes in the library, newest first."), u"history"_s);
    const QCommandLineOption json(u"json"_s, tr("Print a JSON array."));
    const QCommandLineOption favourites(u"favourites"_s, tr("Only favourites."));
    const QCommandLineOption trash(u"trash"_s, tr("Only the takes in the trash."));
    const QCommandLineOption search(u"search"_s,
                                    tr("Only takes whose prompt or tags contain these words; bpm:120, bpm:118-124, "
                                       "key:Am (or \"A minor\", 8A) and compatible:Am filter by tempo and key."),
                                    u"text"_s);
    const QCommandLineOption limit(u"limit"_s, tr("At most this many takes (default 50; 0: all)."), u"n"_s);
    parser.addOptions({json, favourites, trash, search, limit});
    if (!parse(parser, arguments))
        return ExitInvalidInput;
    QString error;
    TakeQuery query;
    query.limit = intOption(parser, limit, 50, 0, INT_MAX, &error);
    query.search = parser.value(search);
    query.favouritesOnly = parser.isSet(favourites);
    query.trashed = parser.isSet(trash);
    if (!error.isEmpty()) {
        printError(error);
        return ExitInvalidInput;
    }
    int exitCode = ExitOk;
    const auto library = openLibrary(&exitCode);
    if (!library)
        return exitCode;

    const QList<Take> takes = library->takes(query, &error);
    if (!error.isEmpty()) {
        printError(tr("could not read the history: %1").arg(error));
        return ExitLocalFailure;
    }
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const Take& take : takes)
            array.append(takeToJson(take));
        printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
        return ExitOk;
    }
    for (const Take& take : takes) {
        const QString flags = QString(take.favourite ? u'★' : u' ') + (take.audioMissing ? u'!' : u' ');
        const QStringList chips = TakeAnalysis::chips(take);
        printLine(u"%1 %2 %3 %4s seed %5 %6  %7%8"_s
                      .arg(take.id, flags, take.created.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s))
                      .arg(take.requestedDuration, 2)
                      .arg(take.seed, 4)
                      .arg(take.provider, -8)
                      .arg(forTerminal(take.prompt.simplified()),
                           chips.isEmpty() ? QString() : u"  ["_s + chips.join(u" · "_s) + u']'));
    }
    const bool filtered = !query.search.isEmpty() || query.favouritesOnly || query.trashed;
    if (takes.isEmpty() && filtered)
        printNotice(tr("no takes match"));
    else if (takes.isEmpty())
        printNotice(tr("no takes yet: musicgen-cli generate --prompt \"...\" adds one"));
    return ExitOk;
}

int runFavourite(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"favourite"_s,
             tr("Mark a take as a favourite: a copy with its recipe inside is saved to the favourites folder."),
             u"favourite ID"_s);
    const QCommandLineOption off(u"off"_s, tr("Unmark it (the saved copy stays where it is)."));
    parser.addOption(off);
    const TakeCommand command = openTake(parser, arguments);
    if (!command.take)
        return command.exitCode;
    Library* library = command.library.get();
    const std::optional<Take>& take = command.take;
    QString savedPath, error;
    if (!library->setFavourite(take->id, !parser.isSet(off), &savedPath, &error)) {
        printError(error);
        return ExitLocalFailure;
    }
    if (!savedPath.isEmpty())
        printLine(savedPath);
    return ExitOk;
}

int runExport(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"export"_s, tr("Write a take to a file as WAV, FLAC, Ogg Vorbis or MP3."), u"export ID"_s);
    const QCommandLineOption to(u"to"_s, tr("The file to write."), u"path"_s);
    const QCommandLineOption format(u"format"_s, tr("wav, flac, ogg or mp3 (default: from the file name)."),
                                    u"format"_s);
    const QCommandLineOption force(u"force"_s, tr("Overwrite an existing file."));
    parser.addOptions({to, format, force});
    const TakeCommand command = openTake(parser, arguments);
    if (!command.take)
        return command.exitCode;
    Library* library = command.library.get();
    const std::optional<Take>& take = command.take;
    const QString path = parser.value(to);
    const AudioFormat target = audioFormatFromName(parser.isSet(format) ? parser.value(format) : path);
    if (path.isEmpty() || target == AudioFormat::Unknown) {
        printError(tr("give --to PATH ending in .wav, .flac, .ogg or .mp3, or --format"));
        return ExitInvalidInput;
    }
    QString error;
    if (!library->exportTake(take->id, path, target, parser.isSet(force), &error)) {
        printError(error);
        return ExitLocalFailure;
    }
    printLine(path);
    return ExitOk;
}

int runLoop(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"loop"_s,
             tr("Cut whole bars of a take, at its tempo, into a loop whose end flows into its start: written to a file "
                "(a WAV loops by itself in samplers and DAWs; FLAC, Ogg and MP3 carry tempo and key tags) and kept in "
                "the library as a new take linked to its parent."),
             u"loop ID"_s);
    const QCommandLineOption bars(u"bars"_s, tr("How many bars of four beats."), u"n"_s);
    const QCommandLineOption startBar(
        u"start-bar"_s,
        tr("The first bar, counted from 0: the bar that begins at the take's first downbeat (default 0)."), u"k"_s);
    const QCommandLineOption to(u"to"_s, tr("The file to write."), u"path"_s);
    const QCommandLineOption format(u"format"_s, tr("wav, flac, ogg or mp3 (default: from the file name, else wav)."),
                                    u"format"_s);
    const QCommandLineOption force(u"force"_s, tr("Overwrite an existing file."));
    const QCommandLineOption json(u"json"_s, tr("Print the new take as history --json shows it, with its \"path\"."));
    parser.addOptions({bars, startBar, to, format, force, json});
    const TakeCommand command = openTake(parser, arguments);
    if (!command.take)
        return command.exitCode;
    QString error;
    const int count = intOption(parser, bars, 0, 1, 1000, &error);
    const int first = intOption(parser, startBar, 0, 0, 1000000, &error);
    const QString path = parser.value(to);
    const AudioFormat named = audioFormatFromName(parser.isSet(format) ? parser.value(format) : path);
    if (error.isEmpty() && !parser.isSet(bars))
        error = tr("give --bars N, how many bars the loop holds");
    else if (error.isEmpty() && path.isEmpty())
        error = tr("give --to PATH, the file to write the loop to");
    else if (error.isEmpty() && parser.isSet(format) && named == AudioFormat::Unknown)
        error = tr("--format is wav, flac, ogg or mp3 (got \"%1\")").arg(parser.value(format));
    if (!error.isEmpty()) {
        printError(error);
        return ExitInvalidInput;
    }
    Library* library = command.library.get();
    const QByteArray audio = library->readAudio(*command.take, &error);
    const std::optional<TakeLoops::Loop> loop =
        audio.isEmpty() ? std::nullopt : TakeLoops::make(*command.take, audio, count, first, &error);
    const AudioFormat target = named == AudioFormat::Unknown ? AudioFormat::Wav : named;
    const std::optional<Take> kept =
        loop ? library->addDerived(loop->recipe, loop->wav, path, target, parser.isSet(force), &error) : std::nullopt;
    if (!kept) {
        printError(error);
        return ExitLocalFailure;
    }
    if (parser.isSet(json)) {
        QJsonObject object = takeToJson(*kept);
        object.insert(u"path"_s, path);
        printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    } else {
        printLine(u"%1 %2"_s.arg(kept->id, path));
    }
    return ExitOk;
}

/// delete and restore: the same shape, opposite directions.
static int runTrashCommand(const QStringList& arguments, bool toTrash)
{
    QCommandLineParser parser;
    if (toTrash)
        describe(parser, u"delete"_s, tr("Move a take to the trash (musicgen-cli restore brings it back)."),
                 u"delete ID"_s);
    else
        describe(parser, u"restore"_s, tr("Bring a take back from the trash."), u"restore ID"_s);
    const TakeCommand command = openTake(parser, arguments);
    if (!command.take)
        return command.exitCode;
    Library* library = command.library.get();
    const std::optional<Take>& take = command.take;
    QString error;
    const bool ok = toTrash ? library->moveToTrash(take->id, &error) : library->restore(take->id, &error);
    if (!ok) {
        printError(error);
        return ExitLocalFailure;
    }
    printLine(take->id);
    return ExitOk;
}

int runDelete(const QStringList& arguments)
{
    return runTrashCommand(arguments, true);
}

int runRestore(const QStringList& arguments)
{
    return runTrashCommand(arguments, false);
}

int runPlay(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"play"_s, tr("Play a take through the default audio output and exit at its end."), u"play ID"_s);
    const TakeCommand command = openTake(parser, arguments);
    if (!command.take)
        return command.exitCode;
    Library* library = command.library.get();
    const std::optional<Take>& take = command.take;
    const QString path = library->audioPath(*take);
    if (take->audioMissing || !QFileInfo::exists(path)) {
        printError(tr("the audio of %1 is missing (%2)").arg(take->id, path));
        return ExitLocalFailure;
    }

    Player player(new MediaPlayerBackend);
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &player, [&player] {
        player.stop();
        QCoreApplication::exit(ExitInterrupted);
    });
    QObject::connect(&player, &Player::stateChanged, &player, [&player](PlayerBackend::State state) {
        if (state == PlayerBackend::State::Stopped && player.duration() > 0)
            QCoreApplication::exit(ExitOk);
    });
    QObject::connect(&player, &Player::failed, &player, [](const QString& message) {
        printError(tr("cannot play: %1").arg(message));
        QCoreApplication::exit(ExitServerOrNetwork);
    });
    printNotice(tr("playing %1: %2 (%3 s)").arg(take->id, take->prompt).arg(take->actualDuration, 0, 'f', 1));
    player.load(take->id, path, true);
    return QCoreApplication::exec();
}

int runLibrary(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"library"_s,
             tr("Look after the library. rebuild: index every take again from both copies of its recipe (the index and "
                "the sidecar beside the clip): the newer copy wins, damaged or missing sidecars are written again."),
             u"library rebuild"_s);
    if (!parse(parser, arguments))
        return ExitInvalidInput;
    if (parser.positionalArguments().value(1) != "rebuild"_L1) {
        printError(tr("unknown library action; use: musicgen-cli library rebuild"));
        return ExitInvalidInput;
    }
    int exitCode = ExitOk;
    const auto library = openLibrary(&exitCode);
    if (!library)
        return exitCode;
    QString error;
    Repairs repairs;
    const int count = library->rebuildIndex(&repairs, &error);
    if (const QString mended = LibraryReconciler::describe(repairs); !mended.isEmpty())
        printNotice(mended);
    if (count < 0) {
        printError(error);
        return ExitLocalFailure;
    }
    printLine(QCoreApplication::translate("library", "indexed %1").arg(takesText(count)));
    return repairs.unrepaired.isEmpty() ? ExitOk : ExitLocalFailure;
}
