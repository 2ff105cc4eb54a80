#pragma once

#include "audio/AudioCodec.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

/// The waveform peaks of takes, computed in Qt's thread pool (reading and decoding a take costs tens of milliseconds)
/// and kept for the takes shown lately, so going back to a take draws its waveform at once.
class PeaksCache final : public QObject
{
    Q_OBJECT

public:
    /// How many columns of peaks a take gets: finer than any waveform is wide.
    static constexpr int Buckets = 2048;
    /// How many takes' peaks are kept (each is 16 kB).
    static constexpr int Kept = 64;

    using QObject::QObject;

    /// Calls `done` with the peaks of the audio at `path` (take `id`), at once when they are kept, else once they are
    /// computed, on this object's thread. Audio that cannot be read calls nothing: the waveform stays empty.
    void request(const QString& id, const QString& path, std::function<void(const AudioCodec::Peaks&)> done);

private:
    QHash<QString, AudioCodec::Peaks> m_peaks;
};
