#include "platform/FileNames.h"

#include "model/TextUtils.h"

#include <QList>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString orTake(const QString& name)
{
    return name.isEmpty() ? u"take"_s : name;
}

bool isBidiControl(char32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool isWindowsDeviceName(const QString& name)
{
    // Windows refuses these as a file's name before its first dot, whatever the extension and case.
    const QString stem = name.section(u'.', 0, 0).trimmed().toUpper();
    static const QStringList devices = {u"CON"_s, u"PRN"_s, u"AUX"_s, u"NUL"_s, u"CONIN$"_s, u"CONOUT$"_s};
    if (devices.contains(stem))
        return true;
    return stem.size() == 4 && (stem.startsWith("COM"_L1) || stem.startsWith("LPT"_L1)) &&
           (stem[3].isDigit() || stem[3] == u'\u00B9' || stem[3] == u'\u00B2' || stem[3] == u'\u00B3');
}

// Replaces or drops what no filesystem should see; keeps letters of every script, emoji and ordinary punctuation.
QString cleanCharacters(const QString& text)
{
    QString out;
    const QList<uint> codePoints = text.normalized(QString::NormalizationForm_C).toUcs4();
    for (const uint u : codePoints) {
        const auto c = char32_t(u);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == u'/' || c == u'\\' || c == u':' || c == u'*' || c == u'?' ||
            c == u'<' || c == u'>' || c == u'|' || QChar::isSpace(c)) {
            out += u' ';
        } else if (c == u'"') {
            out += u'\'';
        } else if (isBidiControl(c) || c == 0xFEFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD ||
                   QChar::category(c) == QChar::Other_NotAssigned) {
            continue;
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    return out.simplified();
}

QString trimEnds(QString text)
{
    qsizetype start = 0;
    while (start < text.size() && (text[start] == u'.' || text[start] == u' ' || text[start] == u'-'))
        ++start;
    qsizetype end = text.size();
    while (end > start && (text[end - 1] == u'.' || text[end - 1] == u' '))
        --end;
    return text.mid(start, end - start);
}

// The prompt as a name part: readable, at most ~100 bytes, cut at a word boundary when one is near.
QString promptField(const QString& prompt)
{
    constexpr int PromptBytes = 100;
    const QString clean = cleanCharacters(prompt);
    if (std::none_of(clean.begin(), clean.end(), [](QChar c) { return c.isLetterOrNumber(); }))
        return u"take"_s;
    QString cut = truncateUtf8(clean, PromptBytes);
    if (cut.size() < clean.size() && !clean[cut.size()].isSpace()) {
        const qsizetype space = cut.lastIndexOf(u' ');
        if (space > cut.size() / 2)
            cut.truncate(space);
    }
    return trimEnds(cut);
}

} // namespace

namespace FileNames {

QString slug(const QString& text, int maxBytes)
{
    QString result;
    bool pendingDash = false;
    const QList<uint> codePoints = text.normalized(QString::NormalizationForm_C).toUcs4();
    for (const uint codePoint : codePoints) {
        const auto c = char32_t(codePoint);
        if (!QChar::isLetterOrNumber(c) || QChar::category(c) == QChar::Letter_Modifier) {
            pendingDash = !result.isEmpty();
            continue;
        }
        if (pendingDash)
            result += u'-';
        result += QString::fromUcs4(&c, 1).toLower();
        pendingDash = false;
    }
    result = truncateUtf8(result, maxBytes);
    while (result.endsWith(u'-'))
        result.chop(1);
    return orTake(result);
}

QString safeName(const QString& text, int maxBytes)
{
    QString name = trimEnds(cleanCharacters(text));
    if (isWindowsDeviceName(name))
        name.insert(name.section(u'.', 0, 0).size(), u'_');
    return orTake(trimEnds(truncateUtf8(name, std::max(4, maxBytes))));
}

QString fromTemplate(const QString& fileNameTemplate, const Take& take, int maxBytes)
{
    QString name = fileNameTemplate.trimmed().isEmpty() ? QString(DefaultTemplate) : fileNameTemplate;
    name.replace("{prompt}"_L1, promptField(take.prompt));
    name.replace("{seed}"_L1, QString::number(take.seed));
    name.replace("{duration}"_L1, QString::number(take.requestedDuration));
    name.replace("{id}"_L1, take.id);
    name.replace("{date}"_L1, take.created.toUTC().toString(u"yyyy-MM-dd"_s));
    name.replace("{provider}"_L1, take.provider);
    return safeName(name, maxBytes);
}

} // namespace FileNames
