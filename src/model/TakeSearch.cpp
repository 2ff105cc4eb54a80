#include "model/TakeSearch.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

// A tempo as shown (one decimal at most) or a range of them: "120", "118-124", "87.5-90".
std::optional<std::pair<double, double>> readTempo(const QString& value)
{
    static const QRegularExpression pattern(u"^(\\d{1,3}(?:\\.\\d)?)(?:-(\\d{1,3}(?:\\.\\d)?))?$"_s);
    const QRegularExpressionMatch match = pattern.match(value);
    if (!match.hasMatch())
        return std::nullopt;
    const double low = match.captured(1).toDouble();
    const double high = match.hasCaptured(2) ? match.captured(2).toDouble() : low;
    if (high < low || low <= 0)
        return std::nullopt;
    // "120" is every tempo that shows as 120; "87.5" every one that shows as 87.5.
    const double half = value.contains(u'.') ? 0.05 : 0.5;
    return std::pair{low - half, high + half};
}

bool isModeWord(const QString& word)
{
    static const QStringList modes{u"major"_s, u"minor"_s, u"maj"_s, u"min"_s};
    return modes.contains(word.toLower());
}

// The text split into words, a double-quoted stretch ("A minor") kept as one.
QStringList splitWords(const QString& text)
{
    QStringList words;
    const QStringList quoted = text.split(u'"');
    for (qsizetype i = 0; i < quoted.size(); ++i) {
        if (i % 2 == 1) {
            // Inside quotes: one word, joined to a filter name written just before it ("key:" then "A minor").
            const QString inside = quoted[i].simplified();
            if (!words.isEmpty() && words.last().endsWith(u':'))
                words.last() += inside;
            else if (!inside.isEmpty())
                words << inside.split(u' ');
        } else {
            words << quoted[i].split(u' ', Qt::SkipEmptyParts);
        }
    }
    return words;
}

} // namespace

TakeSearch TakeSearch::parse(const QString& text)
{
    TakeSearch search;
    const QStringList words = splitWords(text.simplified());
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& word = words[i];
        const qsizetype colon = word.indexOf(u':');
        const QString name = word.left(colon).toLower();
        const QString value = word.mid(colon + 1);
        if (colon <= 0 || value.isEmpty()) {
            search.words << word;
            continue;
        }
        if (name == u"bpm"_s) {
            if (const auto tempo = readTempo(value)) {
                search.tempo = search.tempo ? std::pair{std::max(search.tempo->first, tempo->first),
                                                        std::min(search.tempo->second, tempo->second)}
                                            : *tempo;
                continue;
            }
        } else if (name == u"key"_s || name == u"compatible"_s) {
            // "key:A minor" typed without quotes: the mode is the next word, unless the key already has one.
            const bool modeFollows =
                i + 1 < words.size() && isModeWord(words[i + 1]) && MusicalKey::parse(value + u' ' + words[i + 1]);
            if (const auto key = MusicalKey::parse(modeFollows ? value + u' ' + words[i + 1] : value)) {
                const QList<MusicalKey> named = name == u"key"_s ? QList<MusicalKey>{*key} : key->compatible();
                if (search.keys)
                    search.keys->removeIf([&named](const MusicalKey& kept) { return !named.contains(kept); });
                else
                    search.keys = named;
                i += modeFollows ? 1 : 0;
                continue;
            }
        }
        search.words << word;
    }
    return search;
}
