#include "cli/Commands.h"

#include "analysis/TakeAnalysis.h"
#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "library/Library.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("analyze", text);
}

} // namespace

int runAnalyze(const QStringList& arguments)
{
    QCommandLineParser parser;
    describe(parser, u"analyze"_s,
             tr("Measure tempo, key and loudness of takes (by id) or of any audio files (WAV, FLAC, Ogg, MP3). A take "
                "analysed by an older version keeps the new result."),
             u"analyze ID|PATH..."_s);
    const QCommandLineOption json(u"json"_s, tr("Print a JSON array."));
    parser.addOption(json);
    if (!parse(parser, arguments))
        return ExitInvalidInput;
    const QStringList targets = parser.positionalArguments().mid(1);
    if (targets.isEmpty()) {
        printError(tr("give take ids or audio files to analyse"));
        return ExitInvalidInput;
    }

    int exitCode = ExitOk;
    std::unique_ptr<Library> library; // opened for the first id
    QJsonArray array;
    for (const QString& target : targets) {
        QJsonObject object;
        QByteArray audio;
        std::optional<Take> take;
        QString error;
        bool invalid = false; ///< no such take: bad input rather than a failure
        const QFileInfo info(target);
        if (info.isFile()) {
            audio = AtomicFile::read(target, &error).value_or(QByteArray());
        } else if (info.exists() || target.contains(u'/') || target.contains(u'.')) {
            error = info.exists() ? tr("not an audio file") : tr("no such file");
        } else {
            if (!library && !(library = openLibrary(&exitCode)))
                return exitCode;
            take = library->find(target, &error);
            if (take)
                audio = library->readAudio(*take, &error);
            else
                invalid = true;
        }
        std::optional<MusicAnalysis> found;
        if (error.isEmpty())
            found = take ? TakeAnalysis::analyse(audio, take->request(), take->model, &error)
                         : TakeAnalysis::analyse(audio, {}, {}, &error);
        if (!found) {
            printError(invalid ? error : tr("%1: %2").arg(forTerminal(take ? take->id : target), error));
            exitCode = std::max(exitCode, invalid ? int(ExitInvalidInput) : int(ExitLocalFailure));
            continue;
        }
        object.insert(take ? u"id"_s : u"path"_s, take ? take->id : target);
        if (take && take->analysisVersion < TakeAnalysis::Version && !library->isReadOnly() &&
            !library->setAnalysis(take->id, *found, &error))
            printNotice(tr("%1: analysed, but not kept in the library: %2").arg(take->id, error));
        const std::optional<double> byUser = take ? take->bpmByUser : std::nullopt;
        if (parser.isSet(json)) {
            TakeAnalysis::addToJson(object, *found, byUser);
            array.append(object);
        } else {
            printLine(u"%1: %2"_s.arg(forTerminal(take ? take->id : target), found->inWords(byUser).join(u" · "_s)));
        }
    }
    if (parser.isSet(json))
        printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
    return exitCode;
}
