#include "cli/Commands.h"

#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace CliSupport;

int runCredits(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("credits", "Show the Segmind account's credits."));
    parser.addPositionalArgument(u"credits"_s, QCoreApplication::translate("credits", "Show the balance."),
                                 u"credits"_s);
    const QCommandLineOption json(u"json"_s, QCoreApplication::translate("credits", "Print one JSON object."));
    parser.addOptions({apiBaseOption(), json});
    if (!parse(parser, arguments))
        return ExitInvalidInput;

    SegmindConfig config;
    QString error;
    config.apiBase = apiBase(parser, &error);
    config.apiKey = apiKey();
    if (!error.isEmpty()) {
        printError(error);
        return ExitInvalidInput;
    }
    if (config.apiKey.isEmpty()) {
        printError(QCoreApplication::translate("credits", "no API key: set SEGMIND_API_KEY"));
        return ExitAuthentication;
    }

    NetworkGateway gateway;
    SegmindProvider provider(&gateway, config);
    int exitCode = ExitOk;
    CreditsQuery* query = provider.queryCredits();
    QObject::connect(query, &CreditsQuery::finished, &provider, [&](const CreditsResult& result) {
        if (!result.credits) {
            printError(result.error.toUserText());
            exitCode = exitCodeFor(result.error.kind);
        } else if (parser.isSet(json)) {
            const QJsonObject object{{u"credits"_s, result.credits->credits},
                                     {u"free_credits"_s, result.credits->freeCredits}};
            printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        } else {
            printLine(QCoreApplication::translate("credits", "credits: %1 (free credits: %2)")
                          .arg(result.credits->credits)
                          .arg(result.credits->freeCredits));
        }
        QCoreApplication::exit(exitCode);
    });
    QCoreApplication::exec();
    return exitCode;
}
