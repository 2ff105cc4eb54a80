#pragma once

#include "model/MusicalKey.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// The search box's language, shared by the window and `musicgen-cli history --search`: words matched against the
/// prompt and tags, and filters on what the analysis found.
///
/// - `bpm:120` takes whose tempo rounds to 120 (119.5 up to 120.5); `bpm:87.5` to one decimal; `bpm:118-124` a
///   range, both ends included.
/// - `key:Am`, `key:"A minor"`, `key:A minor`, `key:8A` takes in that key (any spelling MusicalKey::parse reads).
/// - `compatible:Am` takes in a key that mixes with A minor: the same, its relative, a fifth either way.
/// Filters all apply: two tempo ranges keep the tempos in both, `key:` and `compatible:` the keys in both. A filter
/// whose value cannot be read ("bpm:fast") is searched for as a word, so that nothing typed is silently dropped.
struct TakeSearch
{
    QStringList words;
    /// Tempo bounds in BPM, the lower included and the upper excluded; nothing: any tempo.
    std::optional<std::pair<double, double>> tempo;
    /// Takes in any of these keys; nothing: any key; an empty list: no take (filters that exclude each other).
    std::optional<QList<MusicalKey>> keys;

    bool isEmpty() const { return words.isEmpty() && !tempo && !keys; }

    static TakeSearch parse(const QString& text);
};
