#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "library/LibraryService.h"
#include "platform/AppIdentity.h"
#include "platform/Settings.h"
#include "playback/Player.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    AppIdentity::apply();
    QApplication::setDesktopFileName(AppIdentity::desktopId());
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.musicgen_studio.MusicGenStudio"_s,
                                                 QIcon(u":/icons/io.github.musicgen_studio.MusicGenStudio.png"_s)));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Make music clips from text prompts."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    const auto studio = Studio::createDefault();
    MainWindow window(studio->windowParts());
    window.show();
    return QApplication::exec();
}
