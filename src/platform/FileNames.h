#pragma once

#include <QString>

/// Names for files made from what users type: safe on every common filesystem.
namespace FileNames {

/// A lower-case slug of `text`: letters and digits (any script) kept, every other run turned into one '-',
/// trimmed, at most `maxBytes` bytes of UTF-8 and never empty ("take" then).
QString slug(const QString& text, int maxBytes = 60);

} // namespace FileNames
