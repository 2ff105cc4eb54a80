#include "gui/MainWindow.h"
#include "gui/Studio.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MusicGen Studio"_s);
    QApplication::setApplicationName(u"MusicGen Studio"_s);
    QApplication::setApplicationVersion(QStringLiteral(MUSICGEN_VERSION));
    QApplication::setDesktopFileName(u"io.github.musicgen_studio.MusicGenStudio"_s);
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.musicgen_studio.MusicGenStudio"_s,
                                                 QIcon(u":/icons/io.github.musicgen_studio.MusicGenStudio.png"_s)));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Make music clips from text prompts."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    const auto studio = Studio::createDefault();
    MainWindow window(studio.get());
    window.show();
    return QApplication::exec();
}
