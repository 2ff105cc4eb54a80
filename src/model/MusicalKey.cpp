#include "model/MusicalKey.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

const char* const MajorNames[12] = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
const char* const MinorNames[12] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"};

// Camelot numbers rise by one per fifth up (7 semitones); 8A is A minor and 8B is C major.
constexpr int CamelotEightMinor = 9;
constexpr int CamelotEightMajor = 0;

int camelotNumber(const MusicalKey& key)
{
    const int fromEight = ((key.root - (key.minor ? CamelotEightMinor : CamelotEightMajor)) * 7 % 12 + 12) % 12;
    return (fromEight + 7) % 12 + 1;
}

MusicalKey fromCamelot(int number, bool minor)
{
    const int steps = ((number - 8) % 12 + 12) % 12;
    const int root = ((minor ? CamelotEightMinor : CamelotEightMajor) + 7 * steps) % 12;
    return MusicalKey{root, minor};
}

int naturalPitch(QChar letter)
{
    switch (letter.toUpper().unicode()) {
    case u'C': return 0;
    case u'D': return 2;
    case u'E': return 4;
    case u'F': return 5;
    case u'G': return 7;
    case u'A': return 9;
    case u'B': return 11;
    default: return -1;
    }
}

} // namespace

QString MusicalKey::name() const
{
    if (!isValid())
        return {};
    const QString tonic = QString::fromLatin1(minor ? MinorNames[root] : MajorNames[root]);
    return minor ? QCoreApplication::translate("MusicalKey", "%1 minor").arg(tonic)
                 : QCoreApplication::translate("MusicalKey", "%1 major").arg(tonic);
}

QString MusicalKey::shortName() const
{
    if (!isValid())
        return {};
    return minor ? QString::fromLatin1(MinorNames[root]) + u'm' : QString::fromLatin1(MajorNames[root]);
}

QString MusicalKey::camelot() const
{
    if (!isValid())
        return {};
    return QString::number(camelotNumber(*this)) + (minor ? u'A' : u'B');
}

QList<MusicalKey> MusicalKey::compatible() const
{
    if (!isValid())
        return {};
    const int number = camelotNumber(*this);
    return {*this, MusicalKey{(root + (minor ? 3 : 9)) % 12, !minor}, fromCamelot(number % 12 + 1, minor),
            fromCamelot((number + 10) % 12 + 1, minor)};
}

std::optional<MusicalKey> MusicalKey::parse(QStringView text)
{
    const QString t = text.trimmed().toString().toLower().replace(u'♯', u'#').replace(u'♭', u'b');
    if (t.isEmpty())
        return std::nullopt;

    // Camelot: 1..12 then A (minor) or B (major).
    if (t.front().isDigit()) {
        bool ok = false;
        const int number = t.chopped(1).toInt(&ok);
        if (!ok || number < 1 || number > 12 || (t.back() != u'a' && t.back() != u'b'))
            return std::nullopt;
        return fromCamelot(number, t.back() == u'a');
    }

    int root = naturalPitch(t.front());
    if (root < 0)
        return std::nullopt;
    QStringView rest = QStringView(t).mid(1);
    if (rest.startsWith(u'#')) {
        root = (root + 1) % 12;
        rest = rest.mid(1);
    } else if (rest.startsWith(u'b')) {
        // No mode word starts with b: "eb", "bbm" and "ebminor" are flats.
        root = (root + 11) % 12;
        rest = rest.mid(1);
    }
    const QString mode = rest.trimmed().toString();
    if (mode.isEmpty() || mode == u"maj"_s || mode == u"major"_s)
        return MusicalKey{root, false};
    if (mode == u"m"_s || mode == u"min"_s || mode == u"minor"_s)
        return MusicalKey{root, true};
    return std::nullopt;
}
