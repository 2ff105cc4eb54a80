#include "platform/AppPaths.h"

#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace AppPaths {

QString dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/musicgen-studio"_s;
}

QString defaultFavouritesDir()
{
    // Qt reads XDG_MUSIC_DIR only from user-dirs.dirs; the environment variable wins here, as it does for the
    // other XDG folders.
    QString music = qEnvironmentVariable("XDG_MUSIC_DIR");
    if (music.isEmpty())
        music = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    return music + u"/MusicGen Studio"_s;
}

} // namespace AppPaths
