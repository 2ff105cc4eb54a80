#pragma once

#include <QColor>
#include <QPalette>

#include <algorithm>
#include <cmath>

/// Palettes and the contrast between colours, worked out here rather than taken from the code under test.
namespace TestPalettes {

/// WCAG's contrast ratio between two colours: 1 (the same) to 21 (black on white).
inline double contrast(const QColor& a, const QColor& b)
{
    const auto luminance = [](const QColor& c) {
        const auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

/// A palette with `text` on `window` and on `base`.
inline QPalette palette(const QColor& window, const QColor& text, const QColor& base)
{
    QPalette palette(window);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    return palette;
}

/// Fusion's light and dark looks.
inline QPalette light()
{
    return palette(QColor(0xEF, 0xEF, 0xEF), Qt::black, Qt::white);
}

inline QPalette dark()
{
    return palette(QColor(0x35, 0x35, 0x35), QColor(0xEE, 0xEE, 0xEE), QColor(0x23, 0x26, 0x29));
}

} // namespace TestPalettes
