#pragma once

#include <QColor>
#include <QIcon>

class QPalette;
class QWidget;

/// The window's look where the style has no word for it: error text in a colour that reads on the palette in use,
/// light or dark, and icons from the desktop's theme with the app's own drawings where the theme has none.
namespace Theme {

/// A red that reads on `palette`'s window and base colours (a contrast of at least 4.5:1 where the palette's own
/// text has it): red pulled toward the palette's text colour as far as it takes.
QColor errorColor(const QPalette& palette);

/// Shows `widget`'s text in errorColor() of the palette around it, and keeps it so when that palette changes (the
/// desktop switching to a dark theme); `false` gives the widget back the palette's own text colour.
void setErrorText(QWidget* widget, bool error);

/// The desktop theme's icon `name`, a freedesktop icon name such as "media-playback-start", or else the app's own
/// drawing of it (in :/icons) painted in `palette`'s button text colour.
QIcon icon(const QString& name, const QPalette& palette);

} // namespace Theme
