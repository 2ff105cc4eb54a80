#pragma once

#include <QChar>
#include <QCoreApplication>
#include <QString>

/// Fills the optional error out-parameter that fallible functions take (`QString* error = nullptr`).
inline void setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
}

/// `text` cut at a character boundary so that at most `maxBytes` bytes of UTF-8 remain (whole surrogate pairs
/// only): for limits that are counted in bytes, such as file names and tag fields.
inline QString truncateUtf8(const QString& text, int maxBytes)
{
    int bytes = 0;
    qsizetype end = 0;
    while (end < text.size()) {
        const bool pair = text[end].isHighSurrogate() && end + 1 < text.size() && text[end + 1].isLowSurrogate();
        const char32_t c = pair ? QChar::surrogateToUcs4(text[end], text[end + 1]) : text[end].unicode();
        const int width = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        end += pair ? 2 : 1;
    }
    return text.left(end);
}

/// "1 take", "3 takes": English plurals without a translator loaded ("%n take(s)" would show as it is written).
inline QString takesText(int n)
{
    return n == 1 ? QCoreApplication::translate("Library", "1 take")
                  : QCoreApplication::translate("Library", "%1 takes").arg(n);
}
