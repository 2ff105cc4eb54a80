#include "playback/ComparePlayer.h"

#include "playback/Player.h"

#include <QElapsedTimer>
#include <QUrl>

#include <algorithm>
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
    bool ended = false; ///< played to its end (or failed) while a longer take goes on
    qint64 duration = 0;
    qint64 position = 0;    ///< as last reported
    QElapsedTimer reported; ///< since `position` was reported
    /// Where the slot last started playing from: the start, a place sought, or where keepInStep() moved it.
    qint64 startedFrom = 0;
    /// keepInStep() moved the slot and has yet to see how far short of the heard slot that left it.
    bool stepped = false;
    /// How far ahead of the heard slot keepInStep() aims: what a move has been found to cost the player.
    qint64 leadMs = 0;

    /// Played long enough since it last started for its position to be trusted and for it to be moved again.
    bool settled() const { return position >= startedFrom + SettleMs; }

    /// Where the slot is now: players report their position a few times a second, so a playing slot has moved on
    /// since its last report.
    qint64 positionNow() const
    {
        return state == PlayerBackend::State::Playing && reported.isValid() ? position + reported.elapsed() : position;
    }
};

ComparePlayer::ComparePlayer(BackendFactory makeBackend, QObject* parent)
    : QObject(parent), m_makeBackend(std::move(makeBackend))
{
}

ComparePlayer::~ComparePlayer()
{
    leave();
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
    for (const Slot& slot : chosen) {
        auto* running = new Running;
        running->slot = slot;
        running->backend = m_makeBackend();
        PlayerBackend* backend = running->backend;
        backend->setParent(this);
        // The backend is the context: when it is deleted, reports still queued from its thread go with it.
        connect(backend, &PlayerBackend::stateChanged, backend,
                [this, running](PlayerBackend::State state) { onStateChanged(*running, state); });
        connect(backend, &PlayerBackend::positionChanged, backend,
                [this, running](qint64 ms) { onPositionChanged(*running, ms); });
        connect(backend, &PlayerBackend::durationChanged, backend,
                [this, running](qint64 ms) { onDurationChanged(*running, ms); });
        connect(backend, &PlayerBackend::reachedEnd, backend, [this, running] { onReachedEnd(*running); });
        connect(backend, &PlayerBackend::failed, backend,
                [this, running](const QString& message) { onFailed(*running, message); });
        m_slots << running;
    }
    computeGains();
    applyVolumes(); // before any sound: every slot but the first starts silent
    for (Running* running : std::as_const(m_slots)) {
        if (!m_outputDevice.isEmpty())
            running->backend->setOutputDevice(m_outputDevice);
        running->backend->setSource(QUrl::fromLocalFile(running->slot.audioPath));
    }
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
    for (Running* running : std::as_const(m_slots))
        running->backend->stop();
    const QList<Running*> leaving = std::exchange(m_slots, {});
    for (Running* running : leaving) {
        delete running->backend;
        delete running;
    }
    m_position = 0;
    m_duration = 0;
    updateState();
    emit left();
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
    if (m_state != PlayerBackend::State::Playing)
        play();
}

void ComparePlayer::play()
{
    for (Running* running : std::as_const(m_slots)) {
        if (!running->ended)
            running->backend->play();
    }
}

void ComparePlayer::pause()
{
    for (Running* running : std::as_const(m_slots)) {
        if (!running->ended)
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
    // Every slot is where it is going before any moves, so none is put back in step with one yet to move.
    for (Running* running : std::as_const(m_slots)) {
        running->position = to;
        running->reported.restart();
        running->startedFrom = to;
        running->stepped = false;
    }
    for (Running* running : std::as_const(m_slots)) {
        // A take shorter than the place sought stays silent at its end; one sought back into plays again.
        if (running->ended && running->duration > 0 && to >= running->duration)
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
    for (Running* running : std::as_const(m_slots))
        running->backend->setOutputDevice(id);
}

ComparePlayer::Running* ComparePlayer::reference() const
{
    if (m_slots.isEmpty())
        return nullptr;
    if (!m_slots.at(m_current)->ended)
        return m_slots.at(m_current);
    const auto playing = std::find_if(m_slots.cbegin(), m_slots.cend(), [](const Running* r) { return !r->ended; });
    return playing != m_slots.cend() ? *playing : nullptr;
}

void ComparePlayer::onStateChanged(Running& slot, PlayerBackend::State state)
{
    slot.state = state;
    slot.reported.restart();
    updateState();
}

void ComparePlayer::onPositionChanged(Running& slot, qint64 ms)
{
    slot.position = ms;
    slot.reported.restart();
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
    if (reference())
        return;
    // The longest take has ended too: the comparison is over, ready to play again from the start.
    for (Running* running : std::as_const(m_slots)) {
        running->ended = false;
        running->startedFrom = 0;
        running->stepped = false;
    }
    for (Running* running : std::as_const(m_slots))
        running->backend->setPosition(0);
    updateState();
}

void ComparePlayer::onFailed(Running& slot, const QString& message)
{
    const int number = int(m_slots.indexOf(&slot)) + 1;
    emit failed(u"Take %1 cannot be played (%2). The other takes go on; play that take on its own to hear whether "
                u"its audio is damaged, or compare other takes."_s.arg(QString::number(number), message));
    // A slot that cannot play takes no more part: it neither holds the comparison up nor is kept in step.
    slot.ended = true;
}

void ComparePlayer::keepInStep(Running& slot)
{
    const Running* heard = reference();
    if (!heard || slot.ended || slot.state != PlayerBackend::State::Playing ||
        heard->state != PlayerBackend::State::Playing || !slot.settled() || !heard->settled())
        return;
    const qint64 heardNow = heard->positionNow();
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
    slot.reported.restart();
    slot.backend->setPosition(target);
}

void ComparePlayer::updateState()
{
    PlayerBackend::State state = PlayerBackend::State::Stopped;
    for (const Running* running : std::as_const(m_slots)) {
        if (running->ended)
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
