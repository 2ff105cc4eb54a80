#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

/// A key as musicians name it: a tonic and major or minor. Spelled the way DJ software and tag readers expect
/// (flats for Db, Eb, Ab, Bb major; C#m, F#m, G#m for the common minor keys), with the Camelot wheel's code for
/// harmonic mixing.
struct MusicalKey
{
    int root = -1; ///< pitch class of the tonic 0..11 (0 = C); -1: no key
    bool minor = false;

    bool isValid() const { return root >= 0 && root < 12; }
    /// "A minor", "Eb major"; empty when there is no key.
    QString name() const;
    /// "Am", "Eb", "F#m": at most three characters, as ID3's TKEY wants.
    QString shortName() const;
    /// The Camelot code: "8A" for A minor, "8B" for C major.
    QString camelot() const;
    /// The keys that mix with this one on the Camelot wheel: itself, its relative (same number, other letter) and
    /// a fifth either way (the neighbouring numbers, same letter).
    QList<MusicalKey> compatible() const;

    /// Reads "Am", "A minor", "a min", "F#", "Gb major", "Ebm", "8A", "12b" (also with ♯ and ♭); nothing for
    /// anything else. A tonic alone is major.
    static std::optional<MusicalKey> parse(QStringView text);

    friend bool operator==(const MusicalKey&, const MusicalKey&) = default;
};
