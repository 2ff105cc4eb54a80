#pragma once

#include "playback/PlayerBackend.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

/// A/B(/C/D) comparison of two to four takes: every slot has a player of its own and all of them run together from
/// the same position; only the slot being heard has its volume up. Switching slots changes two volumes and nothing
/// else — no load, no seek, no restart — so the music carries on from the same beat in the other take.
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

    /// Makes one backend per slot (the app: MediaPlayerBackend; tests: a fake). The backends are owned here, made
    /// as a comparison first needs them (MaxSlots at most) and kept for the next comparisons.
    using BackendFactory = std::function<PlayerBackend*()>;
    /// Milliseconds on a clock that never goes back: how long a slot has played since it last reported its position.
    using Clock = std::function<qint64()>;

    /// One take to compare.
    struct Slot
    {
        QString takeId;
        QString audioPath;
        std::optional<double> loudnessLufs; ///< integrated loudness as measured; nothing: unknown
    };

    /// `clock`: nothing for the system's steady clock (tests pass one they move on by hand).
    explicit ComparePlayer(BackendFactory makeBackend, QObject* parent = nullptr, Clock clock = {});
    ~ComparePlayer() override;

    /// Loads the slots (MinSlots..MaxSlots) and starts all of them playing from the start, slot 0 heard. Returns
    /// false, with `error` saying what to do, for fewer or more slots; an earlier comparison is left first.
    bool start(const QList<Slot>& slots, QString* error = nullptr);
    /// Stops every slot and lets go of their files. The players are kept for the next comparison: taking one down
    /// waits for its thread, which would hold the window up.
    void leave();
    bool isActive() const { return !m_slots.isEmpty(); }
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
    qint64 position() const { return m_position; }
    /// The longest slot's length.
    qint64 duration() const;

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
    /// The position of the slot being heard.
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    /// The gains changed (loudness matching turned on or off, or a new comparison).
    void gainsChanged();
    void failed(const QString& message);

private:
    struct Running;
    /// How far a silent slot may stray from the heard one before it is moved back in step. Each slot runs its own
    /// pipeline: one that prerolled later starts later, and a busy machine makes one lose a few milliseconds now
    /// and then. Two takes under about 25 ms apart still land on the same beat when switched; closer than that
    /// the positions the players report (±2 ms once running, tens of ms in their first seconds) would have the
    /// slots moved for nothing. A silent slot is moved by a seek, which is never heard.
    static constexpr qint64 StepToleranceMs = 25;
    /// The volume of a slot not heard: −100 dB, silence (a 16-bit take's samples round to nothing), yet never 0.
    /// GStreamer marks audio at volume 0 as a gap and stops sending it to the sound server; the slot's stream runs
    /// dry, and once turned up it sounds at once while the slot turned down still plays from its full buffer: both
    /// takes together for 80 ms at every switch, for most of a second after the first ones. With every stream kept
    /// full, both change after the same buffer and the switch is a clean cut.
    static constexpr float SilentVolume = 1e-5F;
    /// How long a slot plays after starting, being sought or being moved before it is kept in step. Positions
    /// reported in a player's first second jitter by tens of milliseconds, and a pipeline moved again within a few
    /// hundred milliseconds of starting can stay silent for good.
    static constexpr qint64 SettleMs = 1000;
    /// The most a silent slot is aimed ahead of the heard one to make up for the time its seek takes.
    static constexpr qint64 MaxLeadMs = 1000;

    /// The slot whose position is the comparison's: the heard one, or, once that take has ended, the first that
    /// still plays.
    Running* reference() const;
    void onStateChanged(Running& slot, PlayerBackend::State state);
    void onPositionChanged(Running& slot, qint64 ms);
    void onDurationChanged(Running& slot, qint64 ms);
    void onReachedEnd(Running& slot);
    void onFailed(Running& slot, const QString& message);
    /// Once no slot is left playing, the comparison is over: every slot that can play goes back to the start.
    void endIfNonePlays();
    /// Moves a silent slot that has strayed from the reference back in step with it.
    void keepInStep(Running& slot);
    void updateState();
    void computeGains();
    void applyVolumes();

    /// One more slot, with its backend made and connected.
    Running* makeRunning();
    /// `slot` is in the comparison being played: reports from a backend left over from an earlier one are ignored.
    bool isPlayed(const Running& slot) const { return m_slots.contains(&slot); }

    BackendFactory m_makeBackend;
    Clock m_clock;
    QList<Running*> m_made;  ///< every slot made so far, owned here; the first slotCount() are the comparison's
    QList<Running*> m_slots; ///< the comparison's
    int m_current = 0;
    PlayerBackend::State m_state = PlayerBackend::State::Stopped;
    qint64 m_position = 0;
    qint64 m_duration = 0;
    bool m_matchLoudness = true;
    int m_volume = 80;
    QByteArray m_outputDevice;
};
