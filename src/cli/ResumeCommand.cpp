#include "cli/Commands.h"

#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "generation/GenerationService.h"
#include "generation/PendingTakes.h"
#include "library/Library.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"
#include "platform/AppPaths.h"
#include "platform/Settings.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("resume", text);
}

/// Follows `take` to its end with `provider` and waits for it; a take that arrives is measured as a new one is.
GenerationResult follow(SegmindProvider& provider, const PendingTake& take)
{
    GenerationService service(&provider);
    GenerationResult result;
    QEventLoop loop;
    QObject::connect(&service, &GenerationService::jobFinished, &loop, [&](quint64, const GenerationResult& finished) {
        result = finished;
        loop.quit();
    });
    service.follow(provider.resumeJob(take.request, take.requestId, take.apiBase, take.outputUrl, nullptr));
    loop.exec();
    return result;
}

} // namespace

int runResume(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"resume"_s,
             tr("Finish every take Segmind's queue accepted that was not fetched (the app or the command line was "
                "closed or killed meanwhile): each is followed to its end without being submitted again, kept in the "
                "library, and its path printed."),
             u"resume"_s);
    const QCommandLineOption json(u"json"_s, tr("Print one JSON object a take instead of its path."));
    // Without a deadline of its own, a take that cannot be reached would hold up the others for the default 300 s.
    const QCommandLineOption timeout(
        u"timeout"_s, tr("Give up on a take after this many seconds; it stays noted (default 300)."), u"seconds"_s);
    parser.addOptions({json, timeout});
    if (!parse(parser, arguments))
        return ExitInvalidInput;
    QString invalid;
    const int timeoutMs = intOption(parser, timeout, 300, 1, 3600, &invalid) * 1000;
    if (!invalid.isEmpty()) {
        printError(invalid);
        return ExitInvalidInput;
    }

    const PendingTakes pending(AppPaths::dataDir());
    const QList<PendingTake> takes = pending.all();
    if (takes.isEmpty())
        return ExitOk;
    Library library(AppPaths::dataDir(), libraryOptionsFrom(Settings()));
    const OpenReport report = library.open();
    QString why = report.message;
    if (!report.ok || !library.canKeep(GenerationRequest::MaxDuration, &why)) {
        printError(tr("%1 The takes Segmind is making could not be kept; they wait until the library can keep them")
                       .arg(why.endsWith(u'.') ? why : why + u'.'));
        return ExitLocalFailure;
    }
    if (!report.message.isEmpty())
        printNotice(report.message);

    NetworkGateway gateway;
    int exitCode = ExitOk;
    for (const PendingTake& take : takes) {
        const std::unique_ptr<PendingTakes::Claim> claim = pending.claim(take.requestId);
        if (!claim) {
            printNotice(tr("request %1 is being fetched by another MusicGen Studio").arg(take.requestId));
            continue;
        }
        SegmindConfig config;
        config.apiKey = apiKey();
        config.transport = SegmindTransport::V2;
        config.totalTimeoutMs = timeoutMs;
        SegmindProvider provider(&gateway, config);
        const GenerationResult result = follow(provider, take);
        if (!result.ok()) {
            printError(tr("request %1: %2").arg(take.requestId, result.error.toUserText()));
            if (PendingTakes::isOver(result.error))
                pending.remove(take.requestId);
            exitCode = exitCodeFor(result.error.kind);
            continue;
        }
        QString error;
        const std::optional<Take> kept = library.add(result, take.parentId, &error);
        if (!kept) {
            printError(tr("request %1 arrived but could not be kept: %2").arg(take.requestId, error));
            exitCode = ExitLocalFailure;
            continue;
        }
        pending.remove(take.requestId);
        const QString path = library.audioPath(*kept);
        if (parser.isSet(json)) {
            const QJsonObject object{{u"id"_s, kept->id},
                                     {u"path"_s, path},
                                     {u"request_id"_s, take.requestId},
                                     {u"prompt"_s, kept->prompt},
                                     {u"seed"_s, kept->seed},
                                     {u"cost"_s, kept->cost()},
                                     {u"cost_source"_s, kept->costSource()}};
            printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        } else {
            printLine(path);
        }
    }
    return exitCode;
}
