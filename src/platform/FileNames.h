#pragma once

#include "model/Take.h"

#include <QLatin1StringView>
#include <QString>

/// Names for files made from what users type: safe on every common filesystem.
namespace FileNames {

/// The file-name template favourites and exports start with (the settings' default).
inline constexpr QLatin1StringView DefaultTemplate("{prompt}_{seed}_{duration}s");
/// Longest name made, in bytes of UTF-8: common limits are 255 bytes, and this leaves room for " (123)".
inline constexpr int MaxBytes = 200;

/// A lower-case slug of `text`: letters and digits (any script) kept, every other run turned into one '-',
/// trimmed, at most `maxBytes` bytes of UTF-8 and never empty ("take" then).
QString slug(const QString& text, int maxBytes = 60);

/// `text` as a file name that every common filesystem accepts: no path separators, control, bidi-control or
/// Windows-reserved characters (":*?\"<>|"; quotes become apostrophes), no leading dot, dash or space, no
/// trailing dot or space, not a Windows device name (CON, NUL, COM1...), at most `maxBytes` bytes of UTF-8
/// cut between characters, and never empty ("take" then).
QString safeName(const QString& text, int maxBytes = MaxBytes);

/// `fileNameTemplate` (DefaultTemplate when blank) with its fields {prompt} {seed} {duration} {id} {date}
/// {provider} filled in for `take` and made safe with safeName(); no extension. The prompt is cut to about 100
/// bytes, at a word boundary when one is near. Unknown fields stay as they are written.
QString fromTemplate(const QString& fileNameTemplate, const Take& take, int maxBytes = MaxBytes);

} // namespace FileNames
