#include "playback/ComparePlayer.h"

#include "FakePlayerBackend.h"

#include <QPointer>
#include <QSharedPointer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/// Every report a player's thread can send, from `backend`: playing, a position, a length, a failure, the end.
void reportEverything(FakePlayerBackend* backend, qint64 positionMs)
{
    using namespace Qt::StringLiterals;
    backend->play();
    backend->playTo(positionMs);
    emit backend->durationChanged(20000);
    emit backend->failed(u"Resource not found"_s);
    backend->playToEnd();
}

using State = PlayerBackend::State;

/// The volume the heard slot gets at the default master volume (80 %) with `gainDb`.
float heardVolume(double gainDb, int percent = 80)
{
    return float(std::pow(percent / 100.0, 2.0) * std::pow(10.0, gainDb / 20.0));
}

/// A slot not heard plays on at −100 dB or below: silent, yet never 0, so its stream never runs dry.
bool isSilent(float volume)
{
    return volume > 0 && volume <= 1e-5F;
}

QList<ComparePlayer::Slot> takes(const QList<std::optional<double>>& loudness)
{
    QList<ComparePlayer::Slot> chosen;
    for (qsizetype i = 0; i < loudness.size(); ++i)
        chosen << ComparePlayer::Slot{u"take%1"_s.arg(i), u"/takes/take%1.wav"_s.arg(i), loudness.at(i)};
    return chosen;
}

/// Requests other than volume changes: what a switch must not cause.
QStringList allButVolume(const FakePlayerBackend* backend)
{
    QStringList calls = backend->calls;
    calls.removeAll(u"volume"_s);
    return calls;
}

} // namespace

class TestComparePlayer final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void twoToFourTakesOnly();
    void allStartTogetherWithTheFirstHeard();
    void switchingChangesTwoVolumesAndNothingElse();
    void switchingWhilePausedPlaysEverySlot();
    void pauseAndPlayMoveEverySlot();
    void seekMovesEverySlot();
    void loudnessIsMatchedToTheQuietest();
    void unknownLoudnessPlaysUnchanged();
    void masterVolumeAndOutputDevice();
    void leaveStopsAndReleasesEverySlot();
    void aNewComparisonReusesThePlayers();
    void reportsFromPlayersLeftOutAreIgnored();
    void silentSlotsAreKeptInStep();
    void aResumedSlotSettlesBeforeItIsMoved();
    void aSlotIsComparedWithWhereTheHeardOneIsNow();
    void aMoveIsAimedAheadByWhatItCosts();
    void aShorterTakeFallsSilentUntilTheLongestEnds();
    void failuresSayWhatToDo();
    void aFailedTakeIsNeverPlayedAgain();
    void theLastTakePlayingFailingEndsTheComparison();

private:
    /// Starts a comparison of takes with the given loudness; the backends of its slots are the first of m_backends.
    void startWith(const QList<std::optional<double>>& loudness);

    ComparePlayer* m_compare = nullptr;
    QList<QPointer<FakePlayerBackend>> m_backends; ///< every backend made, in order
    QList<qint64> m_lengths; ///< of the takes the backends made next load, in order; 10 s each when empty
    qint64 m_now = 0;        ///< the comparison's clock: it moves only when a test moves it
};

void TestComparePlayer::init()
{
    m_backends.clear();
    m_lengths.clear();
    m_now = 1'000'000;
    m_compare = new ComparePlayer(
        [this] {
            auto* backend = new FakePlayerBackend;
            if (m_backends.size() < m_lengths.size())
                backend->length = m_lengths.at(m_backends.size());
            m_backends << backend;
            return backend;
        },
        nullptr, [this] { return m_now; });
}

void TestComparePlayer::cleanup()
{
    delete m_compare;
}

void TestComparePlayer::startWith(const QList<std::optional<double>>& loudness)
{
    QString error;
    QVERIFY2(m_compare->start(takes(loudness), &error), qPrintable(error));
    QVERIFY(m_backends.size() >= loudness.size());
    QCOMPARE(m_compare->slotCount(), loudness.size());
}

void TestComparePlayer::twoToFourTakesOnly()
{
    QString error;
    QVERIFY(!m_compare->start(takes({-14.0}), &error));
    QCOMPARE(error, u"Choose two to four takes to compare (1 chosen)."_s);
    QVERIFY(!m_compare->start(takes({-14.0, -14.0, -14.0, -14.0, -14.0}), &error));
    QCOMPARE(error, u"Choose two to four takes to compare (5 chosen)."_s);
    QVERIFY(m_backends.isEmpty()); // nothing was loaded
    QVERIFY(!m_compare->isActive());
    QVERIFY(m_compare->start(takes({-14.0, -14.0, -14.0, -14.0}), &error));
    QCOMPARE(m_compare->slotCount(), 4);
}

void TestComparePlayer::allStartTogetherWithTheFirstHeard()
{
    QSignalSpy current(m_compare, &ComparePlayer::currentChanged);
    QSignalSpy gains(m_compare, &ComparePlayer::gainsChanged);
    startWith({-14.0, -14.0, -14.0});
    QVERIFY(m_compare->isActive());
    QCOMPARE(m_compare->current(), 0);
    QCOMPARE(current.size(), 1);
    QCOMPARE(gains.size(), 1);
    QCOMPARE(m_compare->state(), State::Playing);
    QCOMPARE(m_compare->duration(), 10000);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(m_backends.at(i)->source, QUrl::fromLocalFile(u"/takes/take%1.wav"_s.arg(i)));
        QCOMPARE(m_compare->takeIdAt(i), u"take%1"_s.arg(i));
        QCOMPARE(m_backends.at(i)->current, State::Playing);
        // Silent before it is loaded, so a slot never blurts out at full volume.
        QCOMPARE(m_backends.at(i)->calls, (QStringList{u"volume"_s, u"source"_s, u"play"_s}));
        if (i == 0)
            QCOMPARE(m_backends.at(i)->volume, heardVolume(0));
        else
            QVERIFY(isSilent(m_backends.at(i)->volume));
    }
    QCOMPARE(m_compare->takeIdAt(3), QString());
}

void TestComparePlayer::switchingChangesTwoVolumesAndNothingElse()
{
    startWith({-14.0, -14.0, -14.0});
    for (FakePlayerBackend* backend : std::as_const(m_backends)) {
        backend->playTo(3000);
        backend->calls.clear();
    }
    QSignalSpy current(m_compare, &ComparePlayer::currentChanged);
    m_compare->switchTo(1);
    QCOMPARE(m_compare->current(), 1);
    QCOMPARE(current.size(), 1);
    QCOMPARE(current.constFirst().constFirst().toInt(), 1);
    QCOMPARE(m_backends.at(0)->calls, QStringList{u"volume"_s});
    QCOMPARE(m_backends.at(1)->calls, QStringList{u"volume"_s});
    QVERIFY(m_backends.at(2)->calls.isEmpty());
    QVERIFY(isSilent(m_backends.at(0)->volume));
    QCOMPARE(m_backends.at(1)->volume, heardVolume(0));
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->pos, 3000);
    QCOMPARE(m_compare->position(), 3000);

    // From now on the comparison follows the slot being heard.
    QSignalSpy position(m_compare, &ComparePlayer::positionChanged);
    m_backends.at(0)->playTo(3090);
    QCOMPARE(position.size(), 0);
    m_backends.at(1)->playTo(3100);
    QCOMPARE(position.size(), 1);
    QCOMPARE(m_compare->position(), 3100);

    m_compare->switchTo(1); // the one already heard
    m_compare->switchTo(7); // no such slot
    QCOMPARE(current.size(), 1);
    QVERIFY(m_backends.at(2)->calls.isEmpty());
}

void TestComparePlayer::switchingWhilePausedPlaysEverySlot()
{
    startWith({-14.0, -14.0});
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->playTo(4200);
    m_compare->pause();
    QCOMPARE(m_compare->state(), State::Paused);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();
    m_compare->switchTo(1);
    QCOMPARE(m_compare->state(), State::Playing);
    for (FakePlayerBackend* backend : std::as_const(m_backends)) {
        QCOMPARE(backend->current, State::Playing);
        QCOMPARE(allButVolume(backend), QStringList{u"play"_s}); // from where it was paused: no seek, no reload
        QCOMPARE(backend->pos, 4200);
    }
}

void TestComparePlayer::pauseAndPlayMoveEverySlot()
{
    startWith({-14.0, -14.0, -14.0});
    QSignalSpy state(m_compare, &ComparePlayer::stateChanged);
    m_compare->togglePlayPause();
    QCOMPARE(m_compare->state(), State::Paused);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->current, State::Paused);
    m_compare->togglePlayPause();
    QCOMPARE(m_compare->state(), State::Playing);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->current, State::Playing);
    QCOMPARE(state.size(), 2);
    QCOMPARE(state.at(0).constFirst().value<State>(), State::Paused);
    QCOMPARE(state.at(1).constFirst().value<State>(), State::Playing);
}

void TestComparePlayer::seekMovesEverySlot()
{
    startWith({-14.0, -14.0, -14.0});
    m_compare->switchTo(2);
    m_compare->seek(4000);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->pos, 4000);
    QCOMPARE(m_compare->position(), 4000);
    m_compare->seek(99999);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->pos, 10000);
    m_compare->seek(-5);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->pos, 0);
}

void TestComparePlayer::loudnessIsMatchedToTheQuietest()
{
    startWith({-8.0, -20.0});
    QCOMPARE(m_compare->gainDb(0), -12.0);
    QCOMPARE(m_compare->gainDb(1), 0.0);
    QCOMPARE(m_backends.at(0)->volume, heardVolume(-12));
    m_compare->switchTo(1);
    QVERIFY(isSilent(m_backends.at(0)->volume));
    QCOMPARE(m_backends.at(1)->volume, heardVolume(0));

    QSignalSpy gains(m_compare, &ComparePlayer::gainsChanged);
    m_compare->setMatchLoudness(false);
    QVERIFY(!m_compare->matchesLoudness());
    QCOMPARE(gains.size(), 1);
    QCOMPARE(m_compare->gainDb(0), 0.0);
    QCOMPARE(m_compare->gainDb(1), 0.0);
    m_compare->switchTo(0);
    QCOMPARE(m_backends.at(0)->volume, heardVolume(0)); // the louder take as it is
    m_compare->setMatchLoudness(false);                 // no change, no signal
    QCOMPARE(gains.size(), 1);
    m_compare->setMatchLoudness(true);
    QCOMPARE(gains.size(), 2);
    QCOMPARE(m_backends.at(0)->volume, heardVolume(-12));
}

void TestComparePlayer::unknownLoudnessPlaysUnchanged()
{
    startWith({-9.5, std::nullopt, -16.0, -30.0});
    QCOMPARE(m_compare->gainDb(0), -20.5);
    QCOMPARE(m_compare->gainDb(1), 0.0);
    QCOMPARE(m_compare->gainDb(2), -14.0);
    QCOMPARE(m_compare->gainDb(3), 0.0);
    QCOMPARE(m_compare->gainDb(4), 0.0);
    m_compare->switchTo(1);
    QCOMPARE(m_backends.at(1)->volume, heardVolume(0));

    m_compare->leave();
    startWith({std::nullopt, std::nullopt});
    QCOMPARE(m_compare->gainDb(0), 0.0);
    QCOMPARE(m_compare->gainDb(1), 0.0);
}

void TestComparePlayer::masterVolumeAndOutputDevice()
{
    m_compare->setOutputDevice("usb");
    startWith({-8.0, -20.0});
    QCOMPARE(m_backends.at(0)->device, QByteArray("usb"));
    QCOMPARE(m_backends.at(1)->device, QByteArray("usb"));
    m_compare->setVolume(50);
    QCOMPARE(m_backends.at(0)->volume, heardVolume(-12, 50));
    QVERIFY(isSilent(m_backends.at(1)->volume));
    m_compare->setVolume(150);
    QCOMPARE(m_backends.at(0)->volume, heardVolume(-12, 100));
    m_compare->setVolume(0);
    QVERIFY(isSilent(m_backends.at(0)->volume));
    m_compare->setVolume(100);
    m_compare->switchTo(1);
    QCOMPARE(m_backends.at(1)->volume, 1.0F);
    m_compare->setOutputDevice("hdmi");
    QCOMPARE(m_backends.at(0)->device, QByteArray("hdmi"));
    QCOMPARE(m_backends.at(1)->device, QByteArray("hdmi"));
}

void TestComparePlayer::leaveStopsAndReleasesEverySlot()
{
    startWith({-14.0, -14.0, -14.0});
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();
    QSignalSpy state(m_compare, &ComparePlayer::stateChanged);
    m_compare->leave();
    for (const auto& backend : std::as_const(m_backends)) {
        QVERIFY(!backend.isNull()); // kept for the next comparison: taking a player down would hold the window up
        QCOMPARE(backend->calls, (QStringList{u"stop"_s, u"source"_s}));
        QCOMPARE(backend->current, State::Stopped);
        QCOMPARE(backend->source, QUrl()); // its file let go of
    }
    QVERIFY(!m_compare->isActive());
    QCOMPARE(m_compare->slotCount(), 0);
    QCOMPARE(m_compare->takeIdAt(0), QString());
    QCOMPARE(m_compare->state(), State::Stopped);
    QCOMPARE(m_compare->position(), 0);
    QCOMPARE(m_compare->duration(), 0);
    QCOMPARE(state.size(), 1);
    m_compare->leave(); // nothing left to leave
    QCOMPARE(m_backends.constFirst()->calls.size(), 2);
    QCOMPARE(state.size(), 1);
}

void TestComparePlayer::aNewComparisonReusesThePlayers()
{
    startWith({-14.0, -14.0, -14.0});
    m_compare->seek(3000);
    const QList<QPointer<FakePlayerBackend>> made = m_backends;
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();

    // A new comparison leaves the one before it and plays its takes on the same players.
    startWith({-14.0, -14.0});
    QCOMPARE(m_backends, made);
    for (int i = 0; i < 2; ++i) {
        // Nothing carried over: the same requests as to a player made for it, the volume sent afresh.
        QCOMPARE(m_backends.at(i)->calls, (QStringList{u"stop"_s, u"source"_s, u"volume"_s, u"source"_s, u"play"_s}));
        QCOMPARE(m_backends.at(i)->source, QUrl::fromLocalFile(u"/takes/take%1.wav"_s.arg(i)));
        QCOMPARE(m_backends.at(i)->current, State::Playing);
    }
    QCOMPARE(m_backends.at(0)->volume, heardVolume(0));
    QVERIFY(isSilent(m_backends.at(1)->volume));
    // The player not needed is left stopped, holding no file.
    QCOMPARE(m_backends.at(2)->calls, (QStringList{u"stop"_s, u"source"_s}));
    QCOMPARE(m_backends.at(2)->source, QUrl());
    QCOMPARE(m_compare->current(), 0);
    QCOMPARE(m_compare->position(), 0);
    QCOMPARE(m_compare->duration(), 10000);
    QCOMPARE(m_compare->state(), State::Playing);

    // However many comparisons come and go, no more players are made than a comparison can have.
    startWith({-14.0, -14.0, -14.0, -14.0});
    startWith({-14.0, -14.0});
    m_compare->leave();
    startWith({-14.0, -14.0, -14.0});
    startWith({-14.0, -14.0, -14.0, -14.0});
    QCOMPARE(m_backends.size(), ComparePlayer::MaxSlots);
    for (const auto& backend : std::as_const(m_backends)) {
        QVERIFY(!backend.isNull());
        QCOMPARE(backend->current, State::Playing);
    }
}

void TestComparePlayer::reportsFromPlayersLeftOutAreIgnored()
{
    startWith({-14.0, -14.0, -14.0, -14.0});
    m_compare->leave();
    QSignalSpy state(m_compare, &ComparePlayer::stateChanged);
    QSignalSpy position(m_compare, &ComparePlayer::positionChanged);
    QSignalSpy duration(m_compare, &ComparePlayer::durationChanged);
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    // What a player's thread still had on its way when the comparison was left.
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        reportEverything(backend, 7000);
    QVERIFY(state.isEmpty());
    QVERIFY(position.isEmpty());
    QVERIFY(duration.isEmpty());
    QVERIFY(failed.isEmpty());
    QVERIFY(!m_compare->isActive());
    QCOMPARE(m_compare->state(), State::Stopped);
    QCOMPARE(m_compare->position(), 0);
    QCOMPARE(m_compare->duration(), 0);

    // Two takes compared on four players: the two left out play no part.
    startWith({-14.0, -14.0});
    m_backends.at(0)->playTo(5000);
    m_backends.at(1)->playTo(5000);
    m_compare->pause();
    state.clear();
    position.clear();
    duration.clear();
    for (int i = 0; i < 2; ++i)
        m_backends.at(i)->calls.clear();
    for (FakePlayerBackend* backend : m_backends.mid(2))
        reportEverything(backend, 9000);
    QVERIFY(state.isEmpty());
    QVERIFY(position.isEmpty());
    QVERIFY(duration.isEmpty());
    QVERIFY(failed.isEmpty());
    QCOMPARE(m_compare->state(), State::Paused);
    QCOMPARE(m_compare->position(), 5000);
    QCOMPARE(m_compare->duration(), 10000);
    QVERIFY(m_backends.at(0)->calls.isEmpty());
    QVERIFY(m_backends.at(1)->calls.isEmpty());
    m_compare->play();
    QCOMPARE(m_compare->state(), State::Playing);
    QCOMPARE(m_backends.at(2)->current, State::Stopped); // as the test's own playToEnd() left it: not asked to play
}

void TestComparePlayer::silentSlotsAreKeptInStep()
{
    startWith({-14.0, -14.0, -14.0});
    FakePlayerBackend* first = m_backends.at(0);
    FakePlayerBackend* second = m_backends.at(1);
    FakePlayerBackend* third = m_backends.at(2);
    first->playTo(5000);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();
    // Within a hair of the heard slot: left alone.
    second->playTo(5015);
    QVERIFY(second->calls.isEmpty());
    // Behind it by a fifth of a second: moved to where the heard slot is.
    second->playTo(4800);
    QCOMPARE(second->calls, QStringList{u"seek 5000"_s});
    QVERIFY(first->calls.isEmpty()); // the heard slot is never moved: that would be heard
    // Ahead of it, the same.
    third->playTo(5900);
    QCOMPARE(third->calls, QStringList{u"seek 5000"_s});

    // Paused slots stay where they were paused: nothing to keep in step.
    m_compare->pause();
    second->calls.clear();
    second->playTo(1000);
    QVERIFY(second->calls.isEmpty());

    // After a switch, the other slots follow the one heard now.
    m_compare->switchTo(1);
    second->playTo(7000);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();
    first->playTo(6200);
    QCOMPARE(first->calls, QStringList{u"seek 7000"_s});
    QVERIFY(second->calls.isEmpty());
}

void TestComparePlayer::aResumedSlotSettlesBeforeItIsMoved()
{
    startWith({-14.0, -14.0});
    FakePlayerBackend* heard = m_backends.at(0);
    FakePlayerBackend* silent = m_backends.at(1);
    heard->playTo(5000);
    silent->playTo(5000);
    m_compare->pause();
    m_compare->play();
    silent->calls.clear();
    // Just after the resume the silent slot reports a jittery place: it is left alone until it has played a while.
    m_now += 200;
    heard->playTo(5200);
    silent->playTo(5100);
    QVERIFY2(silent->calls.isEmpty(), qPrintable(silent->calls.join(u", "_s)));
    // Once settled, it is kept in step again.
    heard->playTo(6300);
    silent->playTo(6100);
    QCOMPARE(silent->calls, QStringList{u"seek 6300"_s});
}

void TestComparePlayer::aSlotIsComparedWithWhereTheHeardOneIsNow()
{
    startWith({-14.0, -14.0});
    FakePlayerBackend* heard = m_backends.at(0);
    FakePlayerBackend* silent = m_backends.at(1);
    heard->playTo(5000);
    silent->calls.clear();
    // Players report a few times a second: the heard slot has played on since its last report.
    m_now += 200;
    silent->playTo(5200);
    QVERIFY(silent->calls.isEmpty());
    silent->playTo(5000);
    QCOMPARE(silent->calls, QStringList{u"seek 5200"_s});
    // Time spent paused is not played.
    heard->playTo(7000);
    silent->playTo(7000);
    m_compare->pause();
    m_now += 500;
    silent->calls.clear();
    m_compare->play();
    silent->playTo(7000);
    QCOMPARE(silent->calls, QStringList{u"play"_s});
}

void TestComparePlayer::aMoveIsAimedAheadByWhatItCosts()
{
    startWith({-14.0, -14.0});
    FakePlayerBackend* heard = m_backends.at(0);
    FakePlayerBackend* silent = m_backends.at(1);
    silent->calls.clear();
    // In their first second players report unevenly, and one moved so soon can stay silent: left alone.
    heard->playTo(600);
    silent->playTo(300);
    QVERIFY(silent->calls.isEmpty());

    heard->playTo(5000);
    silent->playTo(4000);
    const qint64 aim = silent->pos;
    QCOMPARE(aim, 5000);
    silent->calls.clear();
    // A player stands still where it was moved while its sound server's buffer refills...
    heard->playTo(aim + 100);
    silent->playTo(aim);
    QVERIFY(silent->calls.isEmpty());
    // ...and then plays on 130 ms late: the next move aims that much further ahead.
    heard->playTo(aim + 1300);
    silent->playTo(aim + 1170);
    QCOMPARE(silent->calls, QStringList{u"seek %1"_s.arg(aim + 1300 + 130)});

    // Sought elsewhere, every slot starts afresh there, and is kept in step once it has played a second.
    m_compare->seek(1000);
    silent->calls.clear();
    heard->playTo(1500);
    silent->playTo(1200);
    QVERIFY(silent->calls.isEmpty());
    heard->playTo(2600);
    silent->playTo(2300);
    QCOMPARE(silent->calls, QStringList{u"seek %1"_s.arg(2600 + 130)});
}

void TestComparePlayer::aShorterTakeFallsSilentUntilTheLongestEnds()
{
    m_lengths = {10000, 4000};
    startWith({-14.0, -14.0});
    QCOMPARE(m_compare->duration(), 10000);
    m_compare->switchTo(1);
    m_backends.at(1)->playToEnd();
    QCOMPARE(m_compare->state(), State::Playing); // the longer take goes on
    m_backends.at(0)->playTo(4500);
    QCOMPARE(m_compare->position(), 4500); // followed, though the heard take is silent at its end
    QVERIFY(!m_backends.at(1)->calls.contains(u"seek 4500"_s));

    // Sought back into the shorter take, it plays again.
    m_backends.at(1)->calls.clear();
    m_compare->seek(2000);
    QCOMPARE(m_backends.at(1)->calls, (QStringList{u"seek 2000"_s, u"play"_s}));
    QCOMPARE(m_backends.at(0)->pos, 2000);
    // Past its end, it stays silent there.
    m_backends.at(1)->playToEnd();
    m_backends.at(1)->calls.clear();
    m_compare->seek(6000);
    QVERIFY(m_backends.at(1)->calls.isEmpty());
    QCOMPARE(m_backends.at(0)->pos, 6000);

    // The longest ends: the comparison is over, every slot back at the start, ready to play again.
    QSignalSpy position(m_compare, &ComparePlayer::positionChanged);
    m_backends.at(0)->playToEnd();
    QCOMPARE(m_compare->state(), State::Stopped);
    QCOMPARE(m_compare->position(), 0);
    QCOMPARE(position.constLast().constFirst().toLongLong(), 0);
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->pos, 0);
    QCOMPARE(m_compare->current(), 1);
    m_compare->play();
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        QCOMPARE(backend->current, State::Playing);
    // Played again, the slots are in step from the start: the silent one reporting first is not "put back" to where
    // the heard one ended.
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->calls.clear();
    m_now += 1500;
    m_backends.at(0)->playTo(1500);
    QVERIFY2(m_backends.at(0)->calls.isEmpty(), qPrintable(m_backends.at(0)->calls.join(u", "_s)));
}

void TestComparePlayer::failuresSayWhatToDo()
{
    startWith({-14.0, -14.0});
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    emit m_backends.at(1)->failed(u"Resource not found"_s);
    QCOMPARE(failed.size(), 1);
    const QString message = failed.constFirst().constFirst().toString();
    QVERIFY2(message.startsWith(u"Take 2 cannot be played (Resource not found)."_s), qPrintable(message));
    QVERIFY2(message.contains(u"play that take on its own"_s), qPrintable(message));
    // The other slot plays on and is not held up by the one that failed.
    QCOMPARE(m_compare->state(), State::Playing);
    m_backends.at(1)->calls.clear();
    m_backends.at(0)->playTo(3000);
    m_backends.at(1)->playTo(100);
    QVERIFY(m_backends.at(1)->calls.isEmpty());
}

void TestComparePlayer::aFailedTakeIsNeverPlayedAgain()
{
    startWith({-14.0, -14.0, -14.0});
    for (FakePlayerBackend* backend : std::as_const(m_backends))
        backend->playTo(3000);
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    emit m_backends.at(1)->failed(u"Resource not found"_s);
    m_backends.at(1)->calls.clear();
    // Clicks on the waveform, pause and play, even hearing that take: it is not tried again, so it fails no more.
    m_compare->seek(2000);
    m_compare->pause();
    m_compare->play();
    m_compare->switchTo(1);
    m_compare->seek(6000);
    QVERIFY2(allButVolume(m_backends.at(1)).isEmpty(), qPrintable(m_backends.at(1)->calls.join(u", ")));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(m_compare->state(), State::Playing);
    for (int i : {0, 2}) {
        QCOMPARE(m_backends.at(i)->pos, 6000);
        QCOMPARE(m_backends.at(i)->current, State::Playing);
    }
    // Its take unheard, the comparison follows the first that still plays.
    m_backends.at(0)->playTo(6500);
    QCOMPARE(m_compare->position(), 6500);

    // A new comparison tries every take afresh.
    startWith({-14.0, -14.0, -14.0});
    QCOMPARE(m_backends.at(1)->current, State::Playing);
}

void TestComparePlayer::theLastTakePlayingFailingEndsTheComparison()
{
    m_lengths = {10000, 4000};
    startWith({-14.0, -14.0});
    m_backends.at(1)->playToEnd();
    m_backends.at(0)->playTo(6000);
    QCOMPARE(m_compare->state(), State::Playing);
    QSignalSpy failed(m_compare, &ComparePlayer::failed);
    emit m_backends.at(0)->failed(u"Internal data stream error"_s);
    QCOMPARE(failed.size(), 1);
    // Over, as though the longest take had ended: ready to play again from the start, with what still plays.
    QCOMPARE(m_compare->state(), State::Stopped);
    QCOMPARE(m_compare->position(), 0);
    QCOMPARE(m_backends.at(1)->pos, 0);
    m_backends.at(0)->calls.clear();
    m_compare->togglePlayPause();
    QCOMPARE(m_compare->state(), State::Playing);
    QCOMPARE(m_backends.at(1)->current, State::Playing);
    QVERIFY(m_backends.at(0)->calls.isEmpty());

    // Every take failing leaves the comparison stopped, and nothing is tried again.
    emit m_backends.at(1)->failed(u"Internal data stream error"_s);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(m_compare->state(), State::Stopped);
    m_backends.at(1)->calls.clear();
    m_compare->play();
    m_compare->seek(1000);
    QVERIFY(m_backends.at(0)->calls.isEmpty());
    QVERIFY(m_backends.at(1)->calls.isEmpty());
    QCOMPARE(m_compare->state(), State::Stopped);
}

QTEST_GUILESS_MAIN(TestComparePlayer)
#include "tst_ComparePlayer.moc"
