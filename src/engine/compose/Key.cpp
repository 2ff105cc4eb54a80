#include "engine/compose/Key.h"

#include <algorithm>

namespace engine {

namespace {

constexpr int MajorScale[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr int MinorScale[7] = {0, 2, 3, 5, 7, 8, 10};
const char* const SharpNames[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
const char* const FlatNames[12] = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};

int floorDiv(int a, int b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

Chord Chord::on(int degree, bool seventh)
{
    Chord chord;
    chord.degree = degree;
    chord.tones = {degree % 7, (degree + 2) % 7, (degree + 4) % 7};
    if (seventh)
        chord.tones.push_back((degree + 6) % 7);
    return chord;
}

Key::Key(int root, bool minor) : m_root(((root % 12) + 12) % 12), m_minor(minor) {}

const int* Key::intervals() const
{
    return m_minor ? MinorScale : MajorScale;
}

bool Key::usesFlats() const
{
    const int major = m_minor ? (m_root + 3) % 12 : m_root;
    return major == 5 || major == 10 || major == 3 || major == 8 || major == 1 || (m_minor && m_root == 3);
}

std::vector<int> Key::pitchClasses() const
{
    std::vector<int> classes;
    for (int i = 0; i < 7; ++i)
        classes.push_back((m_root + intervals()[i]) % 12);
    return classes;
}

std::string Key::name() const
{
    return std::string((usesFlats() ? FlatNames : SharpNames)[m_root]) + (m_minor ? " minor" : " major");
}

std::string Key::chordName(const Chord& chord) const
{
    const int rootPc = (m_root + intervals()[chord.degree % 7]) % 12;
    auto interval = [&](int offset) {
        const int pc = (m_root + intervals()[(chord.degree + offset) % 7]) % 12;
        return (pc - rootPc + 12) % 12;
    };
    const int third = interval(2);
    const int fifth = interval(4);
    std::string name = (usesFlats() ? FlatNames : SharpNames)[rootPc];
    if (chord.tones.size() >= 4) {
        const int seventh = interval(6);
        if (fifth == 6)
            return name + "m7b5";
        if (third == 3)
            return name + "m7";
        return name + (seventh == 11 ? "maj7" : "7");
    }
    if (fifth == 6)
        return name + "dim";
    return name + (third == 3 ? "m" : "");
}

int Key::midiOf(int scaleIndex) const
{
    const int octave = floorDiv(scaleIndex, 7);
    const int degree = scaleIndex - octave * 7;
    return 12 + m_root + 12 * octave + intervals()[degree];
}

int Key::scaleIndexBelow(int midi) const
{
    int index = floorDiv(midi - 12 - m_root, 12) * 7 - 7;
    while (midiOf(index + 1) <= midi)
        ++index;
    return index;
}

int Key::nearestChordTone(int scaleIndex, const Chord& chord) const
{
    for (const int distance : {0, -1, 1, -2, 2, -3, 3}) {
        const int candidate = scaleIndex + distance;
        const int degree = candidate - floorDiv(candidate, 7) * 7;
        if (std::find(chord.tones.begin(), chord.tones.begin() + 3, degree) != chord.tones.begin() + 3)
            return candidate;
    }
    return scaleIndex;
}

int Key::bassNote(const Chord& chord, int toneRank, int low) const
{
    int index = chord.degree + 2 * toneRank;
    while (midiOf(index) < low)
        index += 7;
    while (midiOf(index - 7) >= low)
        index -= 7;
    return index;
}

int Key::nearestTonic(int scaleIndex) const
{
    return floorDiv(scaleIndex + 3, 7) * 7;
}

} // namespace engine
