#include "gui/Theme.h"

#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QWidget>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double ReadableContrast = 4.5; // WCAG AA for body text

// Relative luminance as WCAG defines it.
double luminance(const QColor& color)
{
    const auto linear = [](float channel) {
        return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor mix(const QColor& from, const QColor& to, double amount)
{
    const auto channel = [amount](int a, int b) { return int(std::lround(a + (b - a) * amount)); };
    return QColor(channel(from.red(), to.red()), channel(from.green(), to.green()), channel(from.blue(), to.blue()));
}

// Keeps a widget's text in the error colour of the palette around it: a palette change (the desktop's theme, or the
// parent's palette) recolours it, and the change that recolouring causes finds the colour already right.
class ErrorTextKeeper final : public QObject
{
public:
    static constexpr auto Name = "errorTextKeeper"_L1;

    explicit ErrorTextKeeper(QWidget* widget) : QObject(widget)
    {
        setObjectName(Name);
        widget->installEventFilter(this);
        apply(widget);
    }

    static void apply(QWidget* widget)
    {
        const QPalette around =
            widget->parentWidget() ? widget->parentWidget()->palette() : QApplication::palette(widget);
        const QColor color = Theme::errorColor(around);
        if (widget->palette().color(QPalette::WindowText) == color)
            return;
        QPalette palette = widget->palette();
        palette.setColor(QPalette::WindowText, color);
        widget->setPalette(palette);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ParentChange)
            apply(static_cast<QWidget*>(watched));
        return false;
    }
};

} // namespace

QColor Theme::errorColor(const QPalette& palette)
{
    const QColor red(0xE0, 0x1B, 0x24);
    const QColor text = palette.color(QPalette::WindowText);
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    for (int step = 0; step < 10; ++step) {
        const QColor candidate = mix(red, text, step / 10.0);
        if (contrast(candidate, window) >= ReadableContrast && contrast(candidate, base) >= ReadableContrast)
            return candidate;
    }
    return text; // a palette whose own text hardly reads: at least as readable as everything else
}

void Theme::setErrorText(QWidget* widget, bool error)
{
    QObject* keeper = widget->findChild<QObject*>(ErrorTextKeeper::Name, Qt::FindDirectChildrenOnly);
    if (error && !keeper) {
        new ErrorTextKeeper(widget);
    } else if (!error && keeper) {
        delete keeper;
        widget->setPalette(QPalette()); // inherits again
    }
}

QIcon Theme::icon(const QString& name, const QPalette& palette)
{
    // The drawings are single-coloured shapes: painted in the button text colour they read on a light or dark palette
    // alike, as the theme's own symbolic icons do.
    const QIcon drawing(u":/icons/%1.svg"_s.arg(name));
    QIcon painted;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = drawing.pixmap(QSize(size, size));
        if (pixmap.isNull())
            continue;
        QPainter painter(&pixmap);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(pixmap.rect(), palette.color(QPalette::ButtonText));
        painter.end();
        painted.addPixmap(pixmap);
    }
    return QIcon::fromTheme(name, painted);
}
