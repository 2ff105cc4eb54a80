#include "cli/CliSupport.h"
#include "cli/Commands.h"
#include "cli/ExitCode.h"
#include "platform/AppIdentity.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    AppIdentity::apply();

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    using Command = int (*)(const QStringList&);
    const std::pair<QLatin1StringView, Command> commands[] = {
        {"generate"_L1, runGenerate}, {"credits"_L1, runCredits},     {"serve"_L1, runServe},
        {"history"_L1, runHistory},   {"favourite"_L1, runFavourite}, {"export"_L1, runExport},
        {"delete"_L1, runDelete},     {"restore"_L1, runRestore},     {"play"_L1, runPlay},
        {"library"_L1, runLibrary},   {"resume"_L1, runResume},       {"analyze"_L1, runAnalyze},
        {"loop"_L1, runLoop},
    };
    for (const auto& [name, run] : commands) {
        if (command == name)
            return run(arguments);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "cli", "Make music clips from text prompts with MusicGen or the offline sketch "
               "engine.\n\nCommands:\n"
               "  generate   make one clip and keep it in the library (musicgen-cli generate --help)\n"
               "  history    list the takes in the library\n"
               "  favourite  mark a take as a favourite and save a copy to the favourites folder\n"
               "  export     write a take as WAV, FLAC, Ogg or MP3\n"
               "  loop       cut whole bars of a take into a seamless loop, kept as a new take\n"
               "  delete     move a take to the trash;  restore: bring it back\n"
               "  play       play a take and exit at its end\n"
               "  library    library rebuild: index every take again from its recipe\n"
               "  analyze    measure tempo, key and loudness of takes or audio files\n"
               "  resume     finish the takes Segmind accepted that were not fetched (after a quit or a kill)\n"
               "  credits    show the Segmind account's balance\n"
               "  serve      serve the offline engine over HTTP, like Segmind's API"));
    parser.addPositionalArgument(u"command"_s, QCoreApplication::translate("cli", "the command to run"));
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
