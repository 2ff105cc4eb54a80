#include "CliSupport.h"
#include "Commands.h"
#include "ExitCode.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"MusicGen Studio"_s);
    QCoreApplication::setApplicationName(u"MusicGen Studio"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MUSICGEN_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (command == "generate"_L1)
        return runGenerate(arguments);
    if (command == "credits"_L1)
        return runCredits(arguments);
    if (command == "serve"_L1)
        return runServe(arguments);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("cli", "Make music clips from text prompts with MusicGen or the offline sketch "
                                           "engine.\n\nCommands:\n"
                                           "  generate   make one clip (see: musicgen-cli generate --help)\n"
                                           "  credits    show the Segmind account's balance\n"
                                           "  serve      serve the offline engine over HTTP, like Segmind's API"));
    parser.addPositionalArgument(u"command"_s, QCoreApplication::translate("cli", "generate, credits or serve"));
    const QCommandLineOption version = parser.addVersionOption();
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        CliSupport::printError(parser.errorText());
        return ExitInvalidInput;
    }
    if (parser.isSet(version))
        parser.showVersion();
    if (command.isEmpty() || parser.isSet(u"help"_s))
        parser.showHelp(command.isEmpty() && !parser.isSet(u"help"_s) ? ExitInvalidInput : ExitOk);
    CliSupport::printError(QCoreApplication::translate("cli", "unknown command \"%1\" (see --help)").arg(command));
    return ExitInvalidInput;
}
