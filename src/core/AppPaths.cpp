#include "AppPaths.h"

#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace AppPaths {

QString dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/musicgen-studio"_s;
}

QString cacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/musicgen-studio"_s;
}

QString defaultFavouritesDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::MusicLocation) + u"/MusicGen Studio"_s;
}

} // namespace AppPaths
