#pragma once

#include "playback/CompareMixer.h"
#include "playback/PlayerBackend.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

class MixOutput;

/// A/B(/C/D) comparison of two to four takes. The takes are decoded into memory when the comparison starts and
/// mixed into one output (CompareMixer into a MixOutput): all of them advance from one position, and only the slot
/// being heard has its gain up. Switching slots changes the gains at the next sample the sound device takes: no
/// load, no seek, no restart, so the music carries on from the same beat in the other take, a few milliseconds
/// later.
///
/// With loudness matching on, each slot's gain brings its measured integrated loudness down to that of the quietest
/// slot (gains are never above 0 dB, so nothing is pushed into clipping): a louder take no longer wins just by being
/// louder. A slot whose loudness is unknown plays at 0 dB.
class ComparePlayer final : public QObject
{
    Q_OBJECT

public:
    static constexpr int MinSlots = 2;
    static constexpr int MaxSlots = 4;

    /// Makes the output the comparison is heard through (the app: SinkMixOutput; tests: one they render by hand).
    using OutputFactory = std::function<MixOutput*()>;

    /// One take to compare.
    struct Slot
    {
        QString takeId;
        QString audioPath;
        std::optional<double> loudnessLufs; ///< integrated loudness as measured; nothing: unknown
    };

    /// The takes of a comparison decoded to one rate (the highest among them) and one channel count (stereo when
    /// any take is): what the mixer plays.
    struct Decoded
    {
        int sampleRate = 0;
        int channels = 0;
        std::vector<std::vector<float>> tracks; ///< per slot, channels interleaved; empty for one that failed
        QStringList errors;                     ///< per slot: why it cannot be played; empty when it can
    };
    /// Reads and decodes the files at `paths`. Slow: the comparison runs it in Qt's thread pool.
    static Decoded decode(const QStringList& paths);

    /// `makeOutput`: nothing for a SinkMixOutput. The output is made with the first comparison and kept.
    explicit ComparePlayer(OutputFactory makeOutput = {}, QObject* parent = nullptr);
    ~ComparePlayer() override;

    /// Takes the slots (MinSlots..MaxSlots), decodes them in the pool and, once they are ready, plays all of them
    /// from the start, slot 0 heard. Returns false, with `error` saying what to do, for fewer or more slots; an
    /// earlier comparison is left first.
    bool start(const QList<Slot>& slots, QString* error = nullptr);
    /// Fades the sound out and lets go of the takes and, once the fade has been heard, of the output.
    void leave();
    bool isActive() const { return !m_slots.isEmpty(); }
    /// The takes are decoded and in the mixer (they play once this is true).
    bool isReady() const { return m_ready; }
    int slotCount() const { return int(m_slots.size()); }
    QString takeIdAt(int slot) const;

    /// The slot being heard.
    int current() const { return m_current; }
    /// Makes `slot` the one heard, from the position the comparison is at; starts playing when paused or stopped.
    void switchTo(int slot);

    void play();
    void pause();
    void togglePlayPause();
    /// Moves every slot to `ms`.
    void seek(qint64 ms);
    PlayerBackend::State state() const { return m_state; }
    /// Where the comparison is as heard: the mixer's position less what the output still holds.
    qint64 position() const { return m_position; }
    /// The longest slot's length.
    qint64 duration() const { return m_duration; }

    void setMatchLoudness(bool match);
    bool matchesLoudness() const { return m_matchLoudness; }
    /// The gain applied to `slot`, in dB (0 when loudness is not matched or the slot's loudness is unknown).
    double gainDb(int slot) const;
    /// The master volume, 0..100, on the same curve as Player::setVolume.
    void setVolume(int percent);
    void setOutputDevice(const QByteArray& id);

signals:
    void currentChanged(int slot);
    void stateChanged(PlayerBackend::State state);
    /// The position of the comparison, as heard.
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    /// The gains changed (loudness matching turned on or off, or a new comparison).
    void gainsChanged();
    void failed(const QString& message);

private:
    /// How often the position heard is read from the mixer and the output, and the end looked for.
    static constexpr int PollMs = 25;
    /// How long after leaving the output is let go: the fade-out through the largest buffer the output may have
    /// grown to (SinkMixOutput::MaxBufferMs).
    static constexpr int LetGoAfterMs = 250;

    /// The decoded takes arrived for the comparison started as `generation`.
    void onDecoded(quint64 generation, Decoded decoded);
    /// Reads the position heard; once the longest take has ended, the comparison goes back to the start.
    void poll();
    void setState(PlayerBackend::State state);
    void computeGains();
    /// Sends the heard slot's gain (with the master volume) and silence for the others to the mixer.
    void applyGains();
    qint64 msToFrames(qint64 ms) const;

    OutputFactory m_makeOutput;
    MixOutput* m_output = nullptr; ///< made with the first comparison
    CompareMixer m_mixer;
    QTimer m_poll;
    QList<Slot> m_slots;
    std::vector<double> m_gainsDb;
    quint64 m_generation = 0; ///< counts comparisons, so a late decode of a left one is dropped
    bool m_ready = false;
    bool m_wantsToPlay = false; ///< play or pause asked for before the takes were ready
    bool m_outputLost = false;  ///< the output stopped by itself: play() opens it again
    int m_current = 0;
    PlayerBackend::State m_state = PlayerBackend::State::Stopped;
    qint64 m_position = 0;
    qint64 m_duration = 0;
    bool m_matchLoudness = true;
    int m_volume = 80;
    QByteArray m_outputDevice;
};
