#include "GenerationService.h"
#include "MainWindow.h"
#include "NetworkGateway.h"
#include "OfflineProvider.h"
#include "SegmindProvider.h"

#include <QApplication>
#include <QCommandLineParser>

#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MusicGen Studio"_s);
    QApplication::setApplicationName(u"MusicGen Studio"_s);
    QApplication::setApplicationVersion(QStringLiteral(MUSICGEN_VERSION));
    QApplication::setDesktopFileName(u"io.github.musicgen_studio.MusicGenStudio"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Make music clips from text prompts."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    NetworkGateway gateway;
    SegmindConfig config;
    config.apiKey = qgetenv("SEGMIND_API_KEY").trimmed();
    if (const QString base = qEnvironmentVariable("MUSICGEN_API_BASE"); !base.isEmpty())
        config.apiBase = QUrl(base);
    std::unique_ptr<Provider> provider;
    if (config.apiKey.isEmpty())
        provider = std::make_unique<OfflineProvider>();
    else
        provider = std::make_unique<SegmindProvider>(&gateway, config);
    GenerationService service(provider.get());

    MainWindow window(&service);
    window.resize(720, 420);
    window.show();
    return QApplication::exec();
}
