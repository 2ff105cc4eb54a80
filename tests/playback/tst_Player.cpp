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

    void setSource(const QUrl& url) override
    {
        source = url;
        calls << u"source"_s;
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
