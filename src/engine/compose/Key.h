#pragma once

#include <string>
#include <vector>

namespace engine {

/// A chord as degrees of the key it is in.
struct Chord
{
    int degree = 0;         ///< 0-based scale degree of the root
    std::vector<int> tones; ///< scale degrees (0..6) of root, third, fifth and, for sevenths, the seventh

    /// The triad, or with `seventh` the seventh chord, on a degree.
    static Chord on(int degree, bool seventh);
};

/// A key (a tonic and the major or natural minor scale on it) and the arithmetic of notes in it.
///
/// Melodies and voicings count in scale indices, seven to the octave, so moving a shape by one is a step of the
/// scale and every note stays in the key; index 0 is the tonic of the octave that starts at MIDI note 12.
class Key
{
public:
    Key() = default;
    /// `root` is a pitch class; any integer is taken modulo 12.
    Key(int root, bool minor);

    int root() const { return m_root; }
    /// The seven pitch classes of the scale, from the tonic up.
    std::vector<int> pitchClasses() const;
    /// "A minor", "F# major", "Bb minor".
    std::string name() const;
    /// "Am7", "F", "Bdim", spelled with sharps or flats as the key is.
    std::string chordName(const Chord& chord) const;

    int midiOf(int scaleIndex) const;
    /// The highest scale index at or below a MIDI note.
    int scaleIndexBelow(int midi) const;
    /// The index nearest to `scaleIndex` (the lower one on a tie) on the chord's root, third or fifth.
    int nearestChordTone(int scaleIndex, const Chord& chord) const;
    /// The lowest index at or above MIDI note `low` on the chord's root (`toneRank` 0), third (1) or fifth (2).
    int bassNote(const Chord& chord, int toneRank, int low) const;
    /// The index of the tonic nearest to `scaleIndex`.
    int nearestTonic(int scaleIndex) const;

private:
    const int* intervals() const;
    bool usesFlats() const;

    int m_root = 0;
    bool m_minor = false;
};

} // namespace engine
