#pragma once

#include <QCoreApplication>
#include <QString>

/// The app's name and version as Qt, the desktop and `--version` know them: the same for the window and the CLI.
namespace AppIdentity {

/// Call once at start, right after the application object exists.
inline void apply()
{
    using namespace Qt::StringLiterals;
    QCoreApplication::setOrganizationName(u"MusicGen Studio"_s);
    QCoreApplication::setApplicationName(u"MusicGen Studio"_s);
    QCoreApplication::setApplicationVersion(QString::fromUtf8(MUSICGEN_VERSION));
}

} // namespace AppIdentity
