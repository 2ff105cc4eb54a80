#include "playback/ComparePlayer.h"

#include "playback/Player.h"

#include <QUrl>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

struct ComparePlayer::Running
{
    PlayerBackend* backend = nullptr;
    Slot slot;
    double gainDb = 0;
    float volume = -1; ///< as last set; -1: not yet
    PlayerBackend::State state = PlayerBackend::State::Stopped;
    bool ended = false;  ///< played to its end while a longer take goes on
    bool failed = false; ///< cannot be played: takes no more part in this comparison
    qint64 duration = 0;
    qint64 position = 0;    ///< as last reported
    qint64 reportedAt = -1; ///< when `position` was reported, on the comparison's clock; -1: not yet
    /// Where the slot last started playing from: the start, a place sought, or where keepInStep() moved it.
    qint64 startedFrom = 0;
    /// keepInStep() moved the slot and has yet to see how far short of the heard slot that left it.
    bool stepped = false;
    /// How far ahead of the heard slot keepInStep() aims: what a move has been found to cost the player.
    qint64 leadMs = 0;

    /// Played long enough since it last started for its position to be trusted and for it to be moved again.
    bool settled() const { return position >= startedFrom + SettleMs; }

    /// Where the slot is now: players report their position a few times a second, so a playing slot has moved on
    /// since its last report. `now`: the comparison's clock.
    qint64 positionNow(qint64 now) const
    {
        return state == PlayerBackend::State::Playing && reportedAt >= 0 ? position + (now - reportedAt) : position;
    }
    /// Takes part in the comparison's playing: neither ended nor failed.
    bool plays() const { return !ended && !failed; }
};

namespace {

qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

ComparePlayer::ComparePlayer(BackendFactory makeBackend, QObject* parent, Clock clock)
    : QObject(parent), m_makeBackend(std::move(makeBackend)), m_clock(clock ? std::move(clock) : Clock(steadyMs))
{
}

ComparePlayer::~ComparePlayer()
{
    m_slots.clear();
    for (Running* running : std::as_const(m_made)) {
        delete running->backend;
        delete running;
    }
}

ComparePlayer::Running* ComparePlayer::makeRunning()
{
    auto* running = new Running;
    running->backend = m_makeBackend();
    PlayerBackend* backend = running->backend;
    backend->setParent(this);
    if (!m_outputDevice.isEmpty())
        backend->setOutputDevice(m_outputDevice);
    // Made once and kept: the backend is the context only so that reports still queued from its thread are
    // dropped when the comparison player is deleted.
    connect(backend, &PlayerBackend::stateChanged, backend, [this, running](PlayerBackend::State state) {
        if (isPlayed(*running))
            onStateChanged(*running, state);
    });
    connect(backend, &PlayerBackend::positionChanged, backend, [this, running](qint64 ms) {
        if (isPlayed(*running))
            onPositionChanged(*running, ms);
    });
    connect(backend, &PlayerBackend::durationChanged, backend, [this, running](qint64 ms) {
        if (isPlayed(*running))
            onDurationChanged(*running, ms);
    });
    connect(backend, &PlayerBackend::reachedEnd, backend, [this, running] {
        if (isPlayed(*running))
            onReachedEnd(*running);
    });
    connect(backend, &PlayerBackend::failed, backend, [this, running](const QString& message) {
        if (isPlayed(*running))
            onFailed(*running, message);
    });
    m_made << running;
    return running;
}

bool ComparePlayer::start(const QList<Slot>& chosen, QString* error)
{
    if (chosen.size() < MinSlots || chosen.size() > MaxSlots) {
        if (error)
            *error = u"Choose two to four takes to compare (%1 chosen)."_s.arg(chosen.size());
        return false;
    }
    leave();
    m_current = 0;
    for (qsizetype i = 0; i < chosen.size(); ++i) {
        Running* running = i < m_made.size() ? m_made.at(i) : makeRunning();
        // Nothing of the last comparison carries over; the volume is sent again.
        *running = Running{.backend = running->backend, .slot = chosen.at(i)};
        m_slots << running;
    }
    computeGains();
    applyVolumes(); // before any sound: every slot but the first starts silent
    for (Running* running : std::as_const(m_slots))
        running->backend->setSource(QUrl::fromLocalFile(running->slot.audioPath));
    emit currentChanged(m_current);
    emit positionChanged(0);
    emit gainsChanged();
    play();
    return true;
}

void ComparePlayer::leave()
{
    if (m_slots.isEmpty())
        return;
    // Out of the comparison first, so what the players report from here on is ignored.
    for (Running* running : std::exchange(m_slots, {})) {
        running->backend->stop();
        running->backend->setSource(QUrl());
    }
    m_position = 0;
    m_duration = 0;
    updateState();
}

QString ComparePlayer::takeIdAt(int slot) const
{
    return slot >= 0 && slot < m_slots.size() ? m_slots.at(slot)->slot.takeId : QString();
}

void ComparePlayer::switchTo(int slot)
{
    if (slot < 0 || slot >= m_slots.size())
        return;
    if (std::exchange(m_current, slot) != slot) {
        applyVolumes();
        emit currentChanged(slot);
    }
    // From a pause, every take plays on from where it is. (Moving them there first, to drop what the sound server
    // still holds of the take heard before, left players silent for good on Qt 6.4's GStreamer.)
    if (m_state != PlayerBackend::State::Playing)
        play();
}

void ComparePlayer::play()
{
    for (Running* running : std::as_const(m_slots)) {
        if (!running->plays())
            continue;
        // A player resumed from a pause settles again before it is kept in step: its first reports jitter, and a
        // seek in its first few hundred milliseconds can leave Qt 6.4's GStreamer player silent for good.
        if (running->state != PlayerBackend::State::Playing) {
            running->startedFrom = running->position;
            running->stepped = false;
        }
        running->backend->play();
    }
}

void ComparePlayer::pause()
{
    for (Running* running : std::as_const(m_slots)) {
        if (running->plays())
            running->backend->pause();
    }
}

void ComparePlayer::togglePlayPause()
{
    if (m_state == PlayerBackend::State::Playing)
        pause();
    else
        play();
}

void ComparePlayer::seek(qint64 ms)
{
    const qint64 to = std::clamp<qint64>(ms, 0, m_duration);
    const qint64 now = m_clock();
    // Every slot is where it is going before any moves, so none is put back in step with one yet to move.
    for (Running* running : std::as_const(m_slots)) {
        running->position = to;
        running->reportedAt = now;
        running->startedFrom = to;
        running->stepped = false;
    }
    for (Running* running : std::as_const(m_slots)) {
        // A take shorter than the place sought stays silent at its end; one sought back into plays again. One that
        // failed would only fail again.
        if (running->failed || (running->ended && running->duration > 0 && to >= running->duration))
            continue;
        running->backend->setPosition(to);
        if (std::exchange(running->ended, false) && m_state == PlayerBackend::State::Playing)
            running->backend->play();
    }
}

qint64 ComparePlayer::duration() const
{
    return m_duration;
}

void ComparePlayer::setMatchLoudness(bool match)
{
    if (std::exchange(m_matchLoudness, match) == match)
        return;
    computeGains();
    applyVolumes();
    emit gainsChanged();
}

double ComparePlayer::gainDb(int slot) const
{
    return slot >= 0 && slot < m_slots.size() ? m_slots.at(slot)->gainDb : 0.0;
}

void ComparePlayer::setVolume(int percent)
{
    m_volume = std::clamp(percent, 0, 100);
    applyVolumes();
}

void ComparePlayer::setOutputDevice(const QByteArray& id)
{
    m_outputDevice = id;
    for (Running* running : std::as_const(m_made))
        running->backend->setOutputDevice(id);
}

ComparePlayer::Running* ComparePlayer::reference() const
{
    if (m_slots.isEmpty())
        return nullptr;
    if (m_slots.at(m_current)->plays())
        return m_slots.at(m_current);
    const auto playing = std::find_if(m_slots.cbegin(), m_slots.cend(), [](const Running* r) { return r->plays(); });
    return playing != m_slots.cend() ? *playing : nullptr;
}

void ComparePlayer::onStateChanged(Running& slot, PlayerBackend::State state)
{
    slot.state = state;
    slot.reportedAt = m_clock();
    updateState();
}

void ComparePlayer::onPositionChanged(Running& slot, qint64 ms)
{
    slot.position = ms;
    slot.reportedAt = m_clock();
    if (&slot == reference()) {
        m_position = ms;
        emit positionChanged(ms);
    } else {
        keepInStep(slot);
    }
}

void ComparePlayer::onDurationChanged(Running& slot, qint64 ms)
{
    slot.duration = ms;
    qint64 longest = 0;
    for (const Running* running : std::as_const(m_slots))
        longest = std::max(longest, running->duration);
    if (std::exchange(m_duration, longest) != longest)
        emit durationChanged(longest);
}

void ComparePlayer::onReachedEnd(Running& slot)
{
    slot.ended = true;
    endIfNonePlays();
    updateState();
}

void ComparePlayer::onFailed(Running& slot, const QString& message)
{
    const int number = int(m_slots.indexOf(&slot)) + 1;
    emit failed(u"Take %1 cannot be played (%2). The other takes go on; play that take on its own to hear whether "
                u"its audio is damaged, or compare other takes."_s.arg(QString::number(number), message));
    // A slot that cannot play takes no more part until the next comparison: it neither holds this one up nor is
    // kept in step, played, paused or sought (that would only fail again).
    slot.failed = true;
    endIfNonePlays();
    updateState();
}

void ComparePlayer::endIfNonePlays()
{
    if (reference())
        return;
    // The longest take has ended too (or the last one playing failed): ready to play again from the start, every
    // slot known to be there, so that none is put "back in step" with where the takes ended.
    for (Running* running : std::as_const(m_slots))
        running->ended = false;
    seek(0);
    m_position = 0;
    emit positionChanged(0);
}

void ComparePlayer::keepInStep(Running& slot)
{
    const Running* heard = reference();
    if (!heard || !slot.plays() || slot.state != PlayerBackend::State::Playing ||
        heard->state != PlayerBackend::State::Playing || !slot.settled() || !heard->settled())
        return;
    const qint64 heardNow = heard->positionNow(m_clock());
    const qint64 behind = heardNow - slot.position;
    // A player stands still where it was moved while the sound server's buffer refills: the next move aims ahead
    // by what the last one fell short.
    if (std::exchange(slot.stepped, false))
        slot.leadMs = std::clamp<qint64>(slot.leadMs + behind, 0, MaxLeadMs);
    if (std::abs(behind) <= StepToleranceMs || (slot.duration > 0 && heardNow >= slot.duration))
        return;
    const qint64 target = heardNow + slot.leadMs;
    slot.stepped = true;
    slot.startedFrom = target;
    slot.position = target;
    slot.reportedAt = m_clock();
    slot.backend->setPosition(target);
}

void ComparePlayer::updateState()
{
    PlayerBackend::State state = PlayerBackend::State::Stopped;
    for (const Running* running : std::as_const(m_slots)) {
        if (!running->plays())
            continue;
        if (running->state == PlayerBackend::State::Playing) {
            state = running->state;
            break;
        }
        if (running->state == PlayerBackend::State::Paused)
            state = running->state;
    }
    if (std::exchange(m_state, state) != state)
        emit stateChanged(state);
}

void ComparePlayer::computeGains()
{
    std::optional<double> quietest;
    for (const Running* running : std::as_const(m_slots)) {
        if (running->slot.loudnessLufs)
            quietest = std::min(*running->slot.loudnessLufs, quietest.value_or(*running->slot.loudnessLufs));
    }
    for (Running* running : std::as_const(m_slots)) {
        running->gainDb = m_matchLoudness && running->slot.loudnessLufs ? *quietest - *running->slot.loudnessLufs : 0.0;
    }
}

void ComparePlayer::applyVolumes()
{
    // The window's player's curve, so the volume slider sounds the same in both.
    const double master = Player::linearVolume(m_volume);
    for (int i = 0; i < m_slots.size(); ++i) {
        Running& running = *m_slots[i];
        const float volume =
            std::max(SilentVolume, i == m_current ? float(master * std::pow(10.0, running.gainDb / 20.0)) : 0.0F);
        if (std::exchange(running.volume, volume) != volume)
            running.backend->setVolume(volume);
    }
}
