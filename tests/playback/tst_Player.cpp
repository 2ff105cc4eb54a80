#include "TestAudio.h"
#include "playback/Player.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// Records what Player asks of the audio engine and lets the test play the engine's part.
class FakeBackend final : public PlayerBackend
{
public:
    QUrl source;
    QStringList calls;
    qint64 pos = 0;
    float lastVolume = -1;
    QByteArray device;

    QByteArray loop;
    bool canLoop = true;

    void setSource(const QUrl& url) override
    {
        source = url;
        loop.clear();
        calls << u"source"_s;
    }
    void setLoopSource(const QByteArray& wav) override
    {
        if (!canLoop) {
            PlayerBackend::setLoopSource(wav);
            return;
        }
        source.clear();
        loop = wav;
        calls << u"loop"_s;
        emit durationChanged(6 * 60 * 60 * 1000); // a loop's stream goes on for hours
    }
    void play() override
    {
        calls << u"play"_s;
        emit stateChanged(State::Playing);
    }
    void pause() override
    {
        calls << u"pause"_s;
        emit stateChanged(State::Paused);
    }
    void stop() override
    {
        calls << u"stop"_s;
        emit stateChanged(State::Stopped);
    }
    void setPosition(qint64 ms) override
    {
        pos = ms;
        calls << u"seek %1"_s.arg(ms);
        emit positionChanged(ms);
    }
    qint64 position() const override { return pos; }
    qint64 duration() const override { return 10000; }
    void setVolume(float volume) override { lastVolume = volume; }
    void setOutputDevice(const QByteArray& id) override { device = id; }

    void finishPlaying()
    {
        emit stateChanged(State::Stopped);
        emit reachedEnd();
    }
};

} // namespace

class TestPlayer final : public QObject
{
    Q_OBJECT

private slots:
    void loadPlaysAtOnceWhenAsked();
    void loadWithoutAutoPlayWaits();
    void toggleAndStop();
    void seekIsClampedToTheTake();
    void loopStartsAgainAtTheEnd();
    void loadStartsWhereAsked();
    void aLoopPlaysAtOnceWithThePlayheadInItsRegion();
    void stopLoopGoesBackToTheTakeWhereTheLoopWas();
    void aPausedLoopGoesBackPaused();
    void seekingInsideTheRegionStaysInTheLoop();
    void seekingOutsideTheRegionLeavesTheLoop();
    void loadAndStopEndTheLoop();
    void aLoopThatIsNotAWavFileIsRefused();
    void aBackendThatCannotLoopSaysSo();
    void volumeCurve();
    void failuresAreReported();
};

void TestPlayer::loadPlaysAtOnceWhenAsked()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    QSignalSpy loaded(&player, &Player::takeLoaded);
    QSignalSpy state(&player, &Player::stateChanged);
    player.load(u"abc"_s, u"/tmp/abc.wav"_s, true);
    QCOMPARE(backend->source, QUrl::fromLocalFile(u"/tmp/abc.wav"_s));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(player.currentTakeId(), u"abc"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    QCOMPARE(backend->calls.constLast(), u"play"_s);
}

void TestPlayer::loadWithoutAutoPlayWaits()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.load(u"abc"_s, u"/tmp/abc.wav"_s, false);
    QVERIFY(!backend->calls.contains(u"play"_s));
    QCOMPARE(player.state(), PlayerBackend::State::Stopped);
}

void TestPlayer::toggleAndStop()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.togglePlayPause(); // nothing loaded: nothing to play
    QVERIFY(!backend->calls.contains(u"play"_s));
    player.load(u"a"_s, u"/tmp/a.wav"_s, false);
    player.togglePlayPause();
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    player.togglePlayPause();
    QCOMPARE(player.state(), PlayerBackend::State::Paused);
    player.stop();
    QCOMPARE(player.state(), PlayerBackend::State::Stopped);
    QCOMPARE(player.position(), 0);
}

void TestPlayer::seekIsClampedToTheTake()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.load(u"a"_s, u"/tmp/a.wav"_s, false);
    emit backend->durationChanged(10000);
    player.seek(4000);
    QCOMPARE(backend->pos, 4000);
    player.seek(99999);
    QCOMPARE(backend->pos, 10000);
    player.seek(-5);
    QCOMPARE(backend->pos, 0);
}

void TestPlayer::loopStartsAgainAtTheEnd()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.load(u"a"_s, u"/tmp/a.wav"_s, true);
    backend->finishPlaying();
    QCOMPARE(player.state(), PlayerBackend::State::Stopped); // no loop: it stays stopped
    player.setLoop(true);
    player.play();
    backend->calls.clear();
    backend->finishPlaying();
    QCOMPARE(backend->calls, (QStringList{u"seek 0"_s, u"play"_s}));
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
}

namespace {

/// A take of 10 s (the fake's duration) with a 2-second loop cut from 3 s into it playing.
struct Looping
{
    FakeBackend* backend = new FakeBackend;
    Player player{backend};
    QByteArray wav = TestAudio::sineWav(2.0);

    Looping()
    {
        player.load(u"a"_s, u"/tmp/a.wav"_s, true);
        emit backend->durationChanged(10000);
        QVERIFY(player.playLoop(wav, 3000));
        backend->calls.clear();
    }
};

} // namespace

void TestPlayer::loadStartsWhereAsked()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    QSignalSpy position(&player, &Player::positionChanged);
    player.load(u"a"_s, u"/tmp/a.wav"_s, true, 2500);
    QCOMPARE(backend->calls, (QStringList{u"source"_s, u"seek 2500"_s, u"play"_s}));
    QCOMPARE(player.position(), 2500);
    QCOMPARE(position.constFirst().constFirst().toLongLong(), 2500); // the playhead never shows the start first
    backend->calls.clear();
    player.load(u"b"_s, u"/tmp/b.wav"_s, false);
    QCOMPARE(backend->calls, QStringList{u"source"_s}); // from the start: nothing to seek
}

void TestPlayer::aLoopPlaysAtOnceWithThePlayheadInItsRegion()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.load(u"a"_s, u"/tmp/a.wav"_s, false);
    emit backend->durationChanged(10000);
    QSignalSpy looping(&player, &Player::loopingRegionChanged);
    QSignalSpy duration(&player, &Player::durationChanged);
    const QByteArray wav = TestAudio::sineWav(2.0);
    QVERIFY(player.playLoop(wav, 3000));
    QCOMPARE(backend->calls.mid(backend->calls.indexOf(u"loop"_s)), (QStringList{u"loop"_s, u"play"_s}));
    QCOMPARE(backend->loop, wav);
    QVERIFY(player.isLoopingRegion());
    QCOMPARE(looping.size(), 1);
    QCOMPARE(looping.constFirst().constFirst().toBool(), true);
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    QCOMPARE(player.position(), 3000);
    // The loop's stream is hours long; the take's length is what the playhead moves along.
    QVERIFY(duration.isEmpty());
    QCOMPARE(player.duration(), 10000);

    // Lap after lap, the playhead goes round the region 3.0-5.0 s.
    const QList<std::pair<qint64, qint64>> heard = {{0, 3000},    {500, 3500},  {1999, 4999},
                                                    {2000, 3000}, {4700, 3700}, {3600 * 1000 + 1, 3001}};
    for (const auto& [stream, take] : heard) {
        emit backend->positionChanged(stream);
        QCOMPARE(player.position(), take);
    }
    // At the very end of the stream, hours on, the loop starts again.
    backend->calls.clear();
    backend->finishPlaying();
    QCOMPARE(backend->calls, (QStringList{u"seek 0"_s, u"play"_s}));
    QVERIFY(player.isLoopingRegion());
}

void TestPlayer::stopLoopGoesBackToTheTakeWhereTheLoopWas()
{
    Looping looping;
    QSignalSpy changed(&looping.player, &Player::loopingRegionChanged);
    emit looping.backend->positionChanged(2000 * 3 + 700); // third lap, 0.7 s in
    looping.player.stopLoop();
    QVERIFY(!looping.player.isLoopingRegion());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.constFirst().constFirst().toBool(), false);
    QCOMPARE(looping.backend->source, QUrl::fromLocalFile(u"/tmp/a.wav"_s));
    QCOMPARE(looping.backend->calls, (QStringList{u"source"_s, u"seek 3700"_s, u"play"_s}));
    QCOMPARE(looping.player.position(), 3700);
    QCOMPARE(looping.player.currentTakeId(), u"a"_s);
    // The take's own positions again, as they are.
    emit looping.backend->positionChanged(6100);
    QCOMPARE(looping.player.position(), 6100);
    looping.player.stopLoop(); // no loop: nothing to do
    QCOMPARE(changed.size(), 1);
}

void TestPlayer::aPausedLoopGoesBackPaused()
{
    Looping looping;
    looping.player.pause();
    emit looping.backend->positionChanged(1200);
    looping.backend->calls.clear();
    looping.player.stopLoop();
    QCOMPARE(looping.backend->calls, (QStringList{u"source"_s, u"seek 4200"_s}));
}

void TestPlayer::seekingInsideTheRegionStaysInTheLoop()
{
    Looping looping;
    looping.player.seek(4500);
    QVERIFY(looping.player.isLoopingRegion());
    QCOMPARE(looping.backend->calls, QStringList{u"seek 1500"_s});
    QCOMPARE(looping.player.position(), 4500);
}

void TestPlayer::seekingOutsideTheRegionLeavesTheLoop()
{
    Looping looping;
    looping.player.seek(8000);
    QVERIFY(!looping.player.isLoopingRegion());
    QCOMPARE(looping.backend->calls, (QStringList{u"source"_s, u"seek 8000"_s, u"play"_s}));
    QCOMPARE(looping.player.position(), 8000);
    QCOMPARE(looping.player.duration(), 10000);
}

void TestPlayer::loadAndStopEndTheLoop()
{
    {
        Looping looping;
        QSignalSpy changed(&looping.player, &Player::loopingRegionChanged);
        QSignalSpy loaded(&looping.player, &Player::takeLoaded);
        looping.player.load(u"b"_s, u"/tmp/b.wav"_s, true, 1000);
        QVERIFY(!looping.player.isLoopingRegion());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(looping.backend->source, QUrl::fromLocalFile(u"/tmp/b.wav"_s));
        emit looping.backend->positionChanged(1500);
        QCOMPARE(looping.player.position(), 1500);
    }
    {
        Looping looping;
        emit looping.backend->positionChanged(900);
        looping.player.stop();
        QVERIFY(!looping.player.isLoopingRegion());
        QCOMPARE(looping.backend->calls, QStringList{u"source"_s});
        QCOMPARE(looping.backend->source, QUrl::fromLocalFile(u"/tmp/a.wav"_s));
        QCOMPARE(looping.player.position(), 0);
    }
}

void TestPlayer::aLoopThatIsNotAWavFileIsRefused()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.load(u"a"_s, u"/tmp/a.wav"_s, true);
    backend->calls.clear();
    QString error;
    QVERIFY(!player.playLoop("ID3 an mp3 perhaps", 3000, &error));
    QVERIFY2(error.contains(u"not a WAV file"_s), qPrintable(error));
    QByteArray noSamples = TestAudio::sineWav(0.5);
    noSamples.replace("data", "junk");
    QVERIFY(!player.playLoop(noSamples, 3000, &error));
    QVERIFY2(error.contains(u"no samples"_s), qPrintable(error));
    QVERIFY(backend->calls.isEmpty()); // the take plays on
    QVERIFY(!player.isLoopingRegion());
}

void TestPlayer::aBackendThatCannotLoopSaysSo()
{
    auto* backend = new FakeBackend;
    backend->canLoop = false;
    Player player(backend);
    player.load(u"abc"_s, u"/tmp/abc.wav"_s, false);
    QSignalSpy failed(&player, &Player::failed);
    QSignalSpy looping(&player, &Player::loopingRegionChanged);
    QString error;
    QVERIFY(!player.playLoop(TestAudio::sineWav(1.0), 1500, &error));
    QVERIFY2(error.contains(u"cannot loop"_s), qPrintable(error));
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.constFirst().constFirst().toString().contains(u"cannot loop"_s),
             qPrintable(failed.constFirst().constFirst().toString()));
    QVERIFY(!player.isLoopingRegion());
    // Nothing said it loops at any moment, and the take goes on from the region's place.
    for (const QList<QVariant>& change : std::as_const(looping))
        QVERIFY(!change.constFirst().toBool());
    QCOMPARE(backend->source, QUrl::fromLocalFile(u"/tmp/abc.wav"_s));
    QVERIFY(backend->calls.contains(u"seek 1500"_s));
}

void TestPlayer::volumeCurve()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    player.setVolume(100);
    QCOMPARE(backend->lastVolume, 1.0F);
    player.setVolume(50);
    QCOMPARE(backend->lastVolume, 0.25F);
    player.setVolume(150);
    QCOMPARE(player.volume(), 100);
    player.setOutputDevice("usb");
    QCOMPARE(backend->device, QByteArray("usb"));
}

void TestPlayer::failuresAreReported()
{
    auto* backend = new FakeBackend;
    Player player(backend);
    QSignalSpy failed(&player, &Player::failed);
    emit backend->failed(u"no such file"_s);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.constFirst().constFirst().toString(), u"no such file"_s);
}

QTEST_GUILESS_MAIN(TestPlayer)
#include "tst_Player.moc"
