#include "cli/Commands.h"

#include "analysis/TakeAnalysis.h"
#include "audio/AudioFile.h"
#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "cli/InterruptWatcher.h"
#include "generation/GenerationService.h"
#include "generation/OfflineProvider.h"
#include "generation/PendingTakes.h"
#include "generation/Providers.h"
#include "library/ClipFile.h"
#include "library/Library.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"
#include "platform/AppPaths.h"
#include "platform/Settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

struct GenerateOptions
{
    GenerationRequest request;
    QString outputPath; ///< empty: a name made from the prompt, in the current folder
    QString providerId; ///< "segmind" or "offline"
    SegmindConfig segmind;
    bool json = false;
    bool recordInLibrary = true;
    bool force = false; ///< replace an existing file instead of refusing (--output) or numbering (default name)
};

QString tr(const char* text)
{
    return QCoreApplication::translate("generate", text);
}

/// Reads and checks every option; anything wrong is reported before a byte is sent.
std::optional<GenerateOptions> parseOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Generate one music clip from a text prompt."));
    parser.addPositionalArgument(u"generate"_s, tr("Generate one clip."), u"generate"_s);
    const QCommandLineOption prompt(u"prompt"_s, tr("What the music should sound like."), u"text"_s);
    const QCommandLineOption duration(u"duration"_s, tr("Length in whole seconds, 1-30 (default 10)."), u"seconds"_s);
    const QCommandLineOption seed(u"seed"_s, tr("Seed 0-9999, or -1 for a random one (default 42)."), u"n"_s);
    const QCommandLineOption output(u"output"_s,
                                    tr("Where to write the clip; .wav, .flac, .ogg or .mp3 choose the format "
                                       "(default: <prompt>_<seed>.<ext> in this folder)."),
                                    u"path"_s);
    const QCommandLineOption provider(u"provider"_s,
                                      tr("segmind, or offline for the built-in sketch engine (default: segmind when "
                                         "SEGMIND_API_KEY is set, otherwise offline)."),
                                      u"name"_s);
    const QCommandLineOption timeout(u"timeout"_s, tr("Give up after this many seconds in all (default 300)."),
                                     u"seconds"_s);
    const QCommandLineOption idleTimeout(
        u"idle-timeout"_s, tr("Give up when no data moves for this many seconds (default 60)."), u"seconds"_s);
    const QCommandLineOption retries(u"retries"_s,
                                     tr("Retries after the first attempt for rate limits, server errors and "
                                        "connection failures (default 2)."),
                                     u"n"_s);
    const QCommandLineOption api(u"api"_s,
                                 tr("How Segmind is asked: v2 (its queue), v1 (the blocking call) or auto (the queue, "
                                    "v1 where there is none; default: the app's setting, auto)."),
                                 u"auto|v2|v1"_s);
    const QCommandLineOption json(u"json"_s, tr("Print one JSON object describing the clip instead of its path."));
    const QCommandLineOption noHistory(u"no-history"_s, tr("Do not keep the take in the library."));
    const QCommandLineOption force(u"force"_s, tr("Replace an existing file. Without it an existing --output is "
                                                  "refused before anything is sent, and the default name gets a "
                                                  "number: <prompt>_<seed> (2).<ext>."));
    parser.addOptions({prompt, duration, seed, output, provider, apiBaseOption(), api, timeout, idleTimeout, retries,
                       json, noHistory, force});
    if (!parse(parser, arguments))
        return std::nullopt;

    GenerateOptions options;
    QString error;
    options.request.prompt = parser.value(prompt);
    options.request.durationSeconds = intOption(parser, duration, GenerationRequest::DefaultDuration,
                                                GenerationRequest::MinDuration, GenerationRequest::MaxDuration, &error);
    options.request.seed = intOption(parser, seed, GenerationRequest::DefaultSeed, GenerationRequest::MinSeed,
                                     GenerationRequest::MaxSeed, &error);
    options.segmind.totalTimeoutMs = intOption(parser, timeout, 300, 1, 3600, &error) * 1000;
    options.segmind.idleTimeoutMs = intOption(parser, idleTimeout, 60, 1, 3600, &error) * 1000;
    options.segmind.maxAttempts = intOption(parser, retries, 2, 0, 10, &error) + 1;
    options.segmind.apiBase = apiBase(parser, &error);
    options.segmind.apiKey = apiKey();
    const std::optional<Settings::ApiTransport> transport =
        parser.isSet(api) ? Settings::apiTransportNamed(parser.value(api)) : Settings().apiTransport();
    if (transport)
        options.segmind.transport = Providers::transportFor(*transport);
    else if (error.isEmpty())
        error = tr("--api is auto, v2 or v1 (got \"%1\")").arg(parser.value(api));
    options.json = parser.isSet(json);
    options.recordInLibrary = !parser.isSet(noHistory);
    options.force = parser.isSet(force);
    if (error.isEmpty() && !parser.isSet(prompt))
        error = tr("--prompt is required, e.g. --prompt \"lo-fi music with a soothing melody\"");
    if (error.isEmpty())
        error = validationError(options.request);

    options.providerId = parser.value(provider);
    if (options.providerId.isEmpty())
        options.providerId = options.segmind.apiKey.isEmpty() ? u"offline"_s : u"segmind"_s;
    else if (options.providerId != "segmind"_L1 && options.providerId != "offline"_L1 && error.isEmpty())
        error = tr("--provider is segmind or offline (got \"%1\")").arg(options.providerId);

    options.outputPath = parser.value(output);
    if (!options.outputPath.isEmpty() && error.isEmpty()) {
        const QFileInfo info(options.outputPath);
        if (audioFormatFromName(options.outputPath) == AudioFormat::Unknown)
            error = tr("--output must end in .wav, .flac, .ogg or .mp3 (got \"%1\")").arg(options.outputPath);
        else if (!info.absoluteDir().exists())
            error = tr("the folder %1 does not exist").arg(info.absolutePath());
        else if (info.isDir())
            error = tr("%1 is a folder; give a file name").arg(options.outputPath);
        else if (info.exists() && !info.isFile())
            error = tr("%1 is not a regular file (a device or a pipe); give a file name").arg(options.outputPath);
        else if (info.exists() && !options.force)
            error =
                tr("%1 already exists; add --force to replace it, or choose another --output").arg(options.outputPath);
    }
    if (!error.isEmpty()) {
        printError(error);
        return std::nullopt;
    }
    return options;
}

QString retryText(const JobStatus& status)
{
    return tr("%1; retrying in %2 s (attempt %3 of %4)")
        .arg(status.lastError.toUserText())
        .arg(status.retryInSeconds)
        .arg(status.attempt + 1)
        .arg(status.maxAttempts);
}

/// Writes the take where asked, never replacing a file without --force: --output was checked before sending, and
/// a file that appeared there since is kept (the write fails and says so); the default name, in the current folder,
/// gets a number instead ("name (2).wav"). The result's path is the file written, as the user should see it.
AtomicFile::WriteResult writeClip(const GenerateOptions& options, const GenerationResult& result)
{
    const AtomicFile::Mode mode = options.force ? AtomicFile::Mode::Replace : AtomicFile::Mode::NoReplace;
    if (!options.outputPath.isEmpty())
        return AudioFile::write(options.outputPath, result.audio, audioFormatFromName(options.outputPath), mode);
    const QString name = ClipFile::defaultFileName(result.request, result.audioInfo.format);
    if (options.force)
        return AudioFile::write(name, result.audio, result.audioInfo.format, AtomicFile::Mode::Replace);
    AtomicFile::WriteResult written = AudioFile::writeUnique(QDir::currentPath(), QFileInfo(name).completeBaseName(),
                                                             result.audio, result.audioInfo.format);
    if (written.ok())
        written.path = QFileInfo(written.path).fileName();
    return written;
}

/// The take as `generate --json` shows it; the names mean what they mean in `history --json`.
QJsonObject describe(const GenerationResult& result, const QString& path, qint64 elapsedMs, const QString& takeId)
{
    QJsonObject object{
        {u"id"_s, takeId.isEmpty() ? QJsonValue() : QJsonValue(takeId)},
        {u"path"_s, path},
        {u"format"_s, audioFormatExtension(audioFormatFromName(path))},
        {u"sample_rate"_s, result.audioInfo.sampleRate},
        {u"channels"_s, result.audioInfo.channels},
        {u"duration_s"_s, result.request.durationSeconds},
        {u"actual_duration_s"_s, result.audioInfo.durationSeconds()},
        {u"seed"_s, result.request.seed},
        {u"prompt"_s, result.request.prompt},
        {u"provider"_s, result.providerId},
        {u"model"_s, result.model},
        {u"elapsed_ms"_s, elapsedMs},
        {u"attempts"_s, result.attempts},
    };
    if (result.remainingCredits)
        object.insert(u"remaining_credits"_s, *result.remainingCredits);
    TakeAnalysis::addToJson(object, result.analysis.value_or(MusicAnalysis{}));
    return object;
}

} // namespace

int runGenerate(const QStringList& arguments)
{
    const std::optional<GenerateOptions> options = parseOptions(arguments);
    if (!options)
        return ExitInvalidInput;

    NetworkGateway gateway;
    std::unique_ptr<Provider> provider;
    if (options->providerId == "segmind"_L1) {
        if (options->segmind.apiKey.isEmpty()) {
            printError(tr("no API key: set SEGMIND_API_KEY, or use --provider offline for the built-in engine"));
            return ExitAuthentication;
        }
        provider = std::make_unique<SegmindProvider>(&gateway, options->segmind);
    } else {
        provider = std::make_unique<OfflineProvider>();
        if (options->segmind.apiKey.isEmpty())
            printNotice(tr("note: no SEGMIND_API_KEY set, so the offline sketch engine (built in, not MusicGen) "
                           "made this clip; set the key to use MusicGen."));
    }

    // Opened before anything is sent: a take the library cannot keep is not asked for (nor paid for).
    std::unique_ptr<Library> library;
    if (options->recordInLibrary) {
        library = std::make_unique<Library>(AppPaths::dataDir(), libraryOptionsFrom(Settings()));
        const OpenReport report = library->open();
        QString why = report.message;
        if (!report.ok || !library->canKeep(options->request.durationSeconds, &why)) {
            printError(tr("%1 The take could not be kept in the library, so nothing was sent; add --no-history to "
                          "only write the file")
                           .arg(why.endsWith(u'.') ? why : why + u'.'));
            return ExitLocalFailure;
        }
        if (!report.message.isEmpty())
            printNotice(report.message);
    }

    GenerationService service(provider.get());
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &service, [&service] { service.cancelAll(); });
    // The provider counts a wait down every second for the window; a script gets one line per retry.
    int announcedAttempt = 0;
    QObject::connect(&service, &GenerationService::jobStatusChanged, &service,
                     [&announcedAttempt](quint64, const JobStatus& status) {
                         if (status.phase != JobPhase::RetryWaiting || status.attempt == announcedAttempt)
                             return;
                         announcedAttempt = status.attempt;
                         printNotice(retryText(status));
                     });

    // The moment Segmind's queue accepts the take it is noted on disk, so that a kill or Ctrl+C does not lose a take
    // that will be billed: `musicgen-cli resume` follows it to its end.
    const PendingTakes pending(AppPaths::dataDir());
    GenerationRequest sent;
    QString acceptedId;
    bool notedOutput = false;
    std::unique_ptr<PendingTakes::Claim> claim;
    QObject::connect(&service, &GenerationService::jobStatusChanged, &service, [&](quint64, const JobStatus& status) {
        if (!library || status.requestId.isEmpty())
            return;
        if (!acceptedId.isEmpty()) {
            if (!status.outputUrl.isEmpty() && !notedOutput)
                notedOutput = pending.noteOutput(acceptedId, status.outputUrl);
            return;
        }
        acceptedId = status.requestId;
        QString error;
        PendingTake take;
        take.requestId = acceptedId;
        take.request = sent;
        take.apiBase = options->segmind.apiBase;
        take.submitted = QDateTime::currentDateTimeUtc();
        if (pending.add(take, &error))
            claim = pending.claim(acceptedId);
        else
            printNotice(tr("warning: request %1 could not be noted for resuming: %2").arg(acceptedId, error));
    });

    QElapsedTimer clock;
    clock.start();
    int exitCode = ExitOk;
    QObject::connect(&service, &GenerationService::jobFinished, &service, [&](quint64, const GenerationResult& result) {
        if (!result.ok()) {
            if (!acceptedId.isEmpty() && !PendingTakes::isOver(result.error)) {
                printNotice(tr("Segmind accepted request %1 and may still make it: musicgen-cli resume fetches it into "
                               "the library when it is done")
                                .arg(acceptedId));
            } else {
                pending.remove(acceptedId);
                if (result.error.kind == ErrorKind::Cancelled)
                    printNotice(tr("interrupted: the request was cancelled and nothing was written"));
            }
            if (result.error.kind != ErrorKind::Cancelled)
                printError(result.error.toUserText());
            exitCode = exitCodeFor(result.error.kind);
            QCoreApplication::exit(exitCode);
            return;
        }
        QString takeId, libraryError;
        if (library) {
            if (const auto take = library->add(result, {}, &libraryError))
                takeId = take->id;
        }
        const AtomicFile::WriteResult written = writeClip(*options, result);
        if (!takeId.isEmpty() || written.ok())
            pending.remove(acceptedId); // kept: nothing left to resume
        if (!written.ok()) {
            QString keptAt = takeId.isEmpty() ? QString() : tr("in the library as %1").arg(takeId);
            QString rescueError;
            if (keptAt.isEmpty()) {
                const QString rescued = ClipFile::rescue(result.request, result.audio, result.audioInfo.format,
                                                         AppPaths::dataDir(), &rescueError);
                if (!rescued.isEmpty())
                    keptAt = tr("at %1").arg(rescued);
            }
            if (!libraryError.isEmpty())
                printError(tr("the take was not kept in the library: %1").arg(libraryError));
            if (keptAt.isEmpty()) {
                printError(written.error);
                printError(rescueError);
            } else {
                // The reason may already end a sentence with what to do next; the rescue is a sentence of its own.
                const QString reason = written.error.endsWith(u'.') ? written.error : written.error + u'.';
                printError(tr("%1 The take is kept %2").arg(reason, keptAt));
            }
            exitCode = ExitLocalFailure;
        } else if (!libraryError.isEmpty()) {
            printError(tr("the take was not kept in the library: %1. It is at %2").arg(libraryError, written.path));
            exitCode = ExitLocalFailure;
        } else if (options->json) {
            const QJsonObject object = describe(result, written.path, clock.elapsed(), takeId);
            printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        } else {
            printLine(written.path);
        }
        QCoreApplication::exit(exitCode);
    });

    const auto submission = service.submit(options->request);
    if (!submission.accepted()) {
        printError(submission.error);
        return ExitInvalidInput;
    }
    sent = submission.request;
    QCoreApplication::exec();
    return exitCode;
}
