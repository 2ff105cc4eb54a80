#pragma once

#include <QCoreApplication>
#include <QString>

/// The app's name and version as Qt, the desktop and `--version` know them: the same for the window and the CLI.
namespace AppIdentity {

/// The name people see: what `--version` and the desktop's media controls say.
inline QString name()
{
    using namespace Qt::StringLiterals;
    return u"MusicGen Studio"_s;
}

/// The installed launcher's id (packaging/linux/<id>.desktop without ".desktop"), by which the desktop matches the
/// window and its media controls to the launcher's name and icon.
inline QString desktopId()
{
    using namespace Qt::StringLiterals;
    return u"io.github.musicgen_studio.MusicGenStudio"_s;
}

/// Call once at start, right after the application object exists.
inline void apply()
{
    QCoreApplication::setOrganizationName(name());
    QCoreApplication::setApplicationName(name());
    QCoreApplication::setApplicationVersion(QString::fromUtf8(MUSICGEN_VERSION));
}

} // namespace AppIdentity
