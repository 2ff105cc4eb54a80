#pragma once

#include <QString>

/// Where the app keeps its files. All under QStandardPaths, so XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_MUSIC_DIR
/// move them, and a test isolates everything by pointing those at a temporary folder.
namespace AppPaths {

/// $XDG_DATA_HOME/musicgen-studio: the library (database and clips).
QString dataDir();
/// <Music folder>/MusicGen Studio: the default favourites folder.
QString defaultFavouritesDir();

} // namespace AppPaths
