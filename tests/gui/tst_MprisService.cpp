#include "FakePlayerBackend.h"
#include "TestTakes.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "gui/desktop/MprisService.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/Player.h"

#include <QApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString Service = u"org.mpris.MediaPlayer2.musicgenstudio"_s;
const QString Path = u"/org/mpris/MediaPlayer2"_s;
const QString Root = u"org.mpris.MediaPlayer2"_s;
const QString PlayerInterface = u"org.mpris.MediaPlayer2.Player"_s;
const QString Properties = u"org.freedesktop.DBus.Properties"_s;

/// A value that arrived inside a variant: containers come as QDBusArgument until they are read.
QVariantMap mapOf(const QVariant& value)
{
    return value.canConvert<QDBusArgument>() ? qdbus_cast<QVariantMap>(value.value<QDBusArgument>()) : value.toMap();
}

} // namespace

/// Receives the app's D-Bus signals on the test's own connection, for QSignalSpy.
class BusListener final : public QObject
{
    Q_OBJECT

public slots:
    void onPropertiesChanged(const QString& interface, const QVariantMap& changed, const QStringList& invalidated)
    {
        emit propertiesChanged(interface, changed, invalidated);
    }
    void onSeeked(qlonglong position) { emit seeked(position); }

signals:
    void propertiesChanged(const QString& interface, const QVariantMap& changed, const QStringList& invalidated);
    void seeked(qlonglong position);
};

/// The real window, offscreen, with three takes in its library, on a private session bus (ctest runs this under
/// dbus-run-session): its MPRIS 2 service read and driven from a second connection, as a desktop's media controls
/// would, and from dbus-send.
class TestMprisService final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void saysWhoItIs();
    void transportFollowsTheDesktop();
    void nextAndPreviousWalkTheHistory();
    void seeksAndSetsTheVolume();
    void raisesAndQuits();
    void aSecondInstanceGetsANameOfItsOwn();
    void withoutASessionBusNothingIsSaid();

private:
    QDBusMessage callOn(const QString& service, const QString& interface, const QString& method,
                        const QVariantList& arguments = {});
    QDBusMessage call(const QString& interface, const QString& method, const QVariantList& arguments = {})
    {
        return callOn(Service, interface, method, arguments);
    }
    QVariant property(const QString& interface, const QString& name, const QString& service = Service);
    QVariantMap metadata() { return mapOf(property(PlayerInterface, u"Metadata"_s)); }
    template <typename T> T* find(const char* name) const { return m_window->findChild<T*>(QString::fromLatin1(name)); }
    int selectedRow() const { return find<QListView>("historyList")->currentIndex().row(); }
    Take takeAt(int row) const { return m_window->historyModel()->takeAt(row); }
    /// The newest value of `name` among the PropertiesChanged the spy caught.
    static QVariant announced(const QSignalSpy& spy, const QString& name);

    QDBusConnection m_probe{QString()};
    BusListener m_listener;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    FakePlayerBackend* m_backend = nullptr;
};

void TestMprisService::initTestCase()
{
    QVERIFY2(QDBusConnection::sessionBus().isConnected(), "no session bus: run this under dbus-run-session");
    m_probe = QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"desktop"_s);
    QVERIFY(m_probe.isConnected());
    QVERIFY(m_probe.baseService() != QDBusConnection::sessionBus().baseService());
    QVERIFY(m_probe.connect(Service, Path, Properties, u"PropertiesChanged"_s, &m_listener,
                            SLOT(onPropertiesChanged(QString, QVariantMap, QStringList))));
    QVERIFY(m_probe.connect(Service, Path, PlayerInterface, u"Seeked"_s, &m_listener, SLOT(onSeeked(qlonglong))));
}

void TestMprisService::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    qputenv("XDG_MUSIC_DIR", m_home->filePath(u"music"_s).toUtf8());
    {
        Library library(m_home->filePath(u"data"_s));
        QVERIFY(library.open().ok);
        const QStringList prompts{u"dusty boom bap, 90 bpm"_s, u"warm rhodes & brushed drums"_s,
                                  u"chiptune arpeggios"_s};
        for (int i = 0; i < prompts.size(); ++i)
            QVERIFY(library.add(TestTakes::result(prompts.at(i), 10 + i, 3, u"offline", 2.0 + 0.5 * i)));
        Settings settings(m_home->filePath(u"settings.ini"_s));
        settings.setProvider(Settings::ProviderChoice::Offline);
        settings.sync();
    }
    auto backend = std::make_unique<FakePlayerBackend>();
    m_backend = backend.get();
    m_studio = std::make_unique<Studio>(Studio::Paths{m_home->filePath(u"data"_s), m_home->filePath(u"settings.ini"_s)},
                                        std::move(backend));
    m_window = std::make_unique<MainWindow>(m_studio->windowParts());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->historyModel()->rowCount(), 3);
    // The bus answers the request for the name asynchronously.
    QTRY_COMPARE(m_window->findChild<MprisService*>()->serviceName(), Service);
    QVERIFY(m_probe.interface()->isServiceRegistered(Service));
}

void TestMprisService::cleanup()
{
    m_window.reset();
    m_studio.reset();
    // The name goes with the window, so the next one can have it.
    QTRY_VERIFY(!m_probe.interface()->isServiceRegistered(Service));
}

QDBusMessage TestMprisService::callOn(const QString& service, const QString& interface, const QString& method,
                                      const QVariantList& arguments)
{
    QDBusMessage message = QDBusMessage::createMethodCall(service, Path, interface, method);
    message.setArguments(arguments);
    // The app answers on this thread: wait with the event loop running.
    const QDBusMessage reply = m_probe.call(message, QDBus::BlockWithGui);
    if (reply.type() != QDBusMessage::ReplyMessage)
        qWarning().noquote() << method << "failed:" << reply.errorName() << reply.errorMessage();
    return reply;
}

QVariant TestMprisService::property(const QString& interface, const QString& name, const QString& service)
{
    const QDBusMessage reply = callOn(service, Properties, u"Get"_s, {interface, name});
    return reply.arguments().value(0).value<QDBusVariant>().variant();
}

QVariant TestMprisService::announced(const QSignalSpy& spy, const QString& name)
{
    QVariant value;
    for (const QList<QVariant>& signal : spy) {
        const QVariantMap changed = signal.at(1).toMap();
        if (signal.at(0).toString() == PlayerInterface && changed.contains(name))
            value = changed.value(name);
    }
    return value;
}

void TestMprisService::saysWhoItIs()
{
    QCOMPARE(property(Root, u"Identity"_s).toString(), u"MusicGen Studio"_s);
    // The launcher the package installs, without ".desktop".
    const QStringList launchers =
        QDir(QString::fromUtf8(MUSICGEN_TESTS_SOURCE_DIR) + u"/../packaging/linux"_s).entryList({u"*.desktop"_s});
    QCOMPARE(launchers.size(), 1);
    QCOMPARE(property(Root, u"DesktopEntry"_s).toString() + u".desktop"_s, launchers.constFirst());
    QCOMPARE(property(Root, u"CanQuit"_s), QVariant(true));
    QCOMPARE(property(Root, u"CanRaise"_s), QVariant(true));
    QCOMPARE(property(Root, u"HasTrackList"_s), QVariant(false));
    QCOMPARE(property(Root, u"SupportedUriSchemes"_s).toStringList(), QStringList());
    QCOMPARE(property(PlayerInterface, u"CanControl"_s), QVariant(true));
    QCOMPARE(property(PlayerInterface, u"Rate"_s), QVariant(1.0));

    // As a person would ask from a terminal.
    QProcess send;
    send.start(u"dbus-send"_s,
               {u"--session"_s, u"--print-reply"_s, u"--dest="_s + Service, Path,
                u"org.freedesktop.DBus.Properties.Get"_s, u"string:org.mpris.MediaPlayer2"_s, u"string:Identity"_s});
    QSignalSpy finished(&send, &QProcess::finished);
    QVERIFY(finished.wait(20000)); // the event loop runs meanwhile: the window answers
    const QString output = QString::fromUtf8(send.readAllStandardOutput());
    QVERIFY2(send.exitCode() == 0, qPrintable(QString::fromUtf8(send.readAllStandardError())));
    QVERIFY2(output.contains(u"variant       string \"MusicGen Studio\""_s), qPrintable(output));

    // At start the newest take is loaded, ready to play.
    const QVariantMap loaded = metadata();
    const Take newest = takeAt(0);
    QCOMPARE(loaded.value(u"xesam:title"_s).toString(), newest.prompt);
    QCOMPARE(loaded.value(u"mpris:length"_s).toLongLong(), qRound64(newest.actualDuration * 1e6));
    QVERIFY(newest.actualDuration > 1.9);
    const QString trackId = loaded.value(u"mpris:trackid"_s).value<QDBusObjectPath>().path();
    QVERIFY2(QRegularExpression(u"^(/[A-Za-z0-9_]+)+$"_s).match(trackId).hasMatch(), qPrintable(trackId));
    QVERIFY2(trackId.endsWith(u'/' + newest.id) && !trackId.startsWith(u"/org/mpris"_s), qPrintable(trackId));
    QCOMPARE(QUrl(loaded.value(u"xesam:url"_s).toString()).toLocalFile(), m_studio->library().audioPath(newest));
}

void TestMprisService::transportFollowsTheDesktop()
{
    const Player& player = m_studio->player();
    QCOMPARE(property(PlayerInterface, u"PlaybackStatus"_s).toString(), u"Stopped"_s);
    QCOMPARE(property(PlayerInterface, u"CanPlay"_s), QVariant(true));
    QSignalSpy changes(&m_listener, &BusListener::propertiesChanged);

    call(PlayerInterface, u"PlayPause"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    QCOMPARE(m_backend->source, QUrl::fromLocalFile(m_studio->library().audioPath(takeAt(0))));
    QCOMPARE(property(PlayerInterface, u"PlaybackStatus"_s).toString(), u"Playing"_s);
    QTRY_COMPARE(announced(changes, u"PlaybackStatus"_s).toString(), u"Playing"_s);

    call(PlayerInterface, u"Pause"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Paused);
    QTRY_COMPARE(announced(changes, u"PlaybackStatus"_s).toString(), u"Paused"_s);

    call(PlayerInterface, u"PlayPause"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    m_backend->setPosition(1200);
    call(PlayerInterface, u"Stop"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Stopped);
    QCOMPARE(m_backend->pos, 0);
    QTRY_COMPARE(announced(changes, u"PlaybackStatus"_s).toString(), u"Stopped"_s);

    call(PlayerInterface, u"Play"_s);
    QCOMPARE(player.state(), PlayerBackend::State::Playing);
    QCOMPARE(property(PlayerInterface, u"PlaybackStatus"_s).toString(), u"Playing"_s);
    // Space in the window and the desktop's controls drive the same player.
    QTest::keyClick(m_window.get(), Qt::Key_Space);
    QCOMPARE(property(PlayerInterface, u"PlaybackStatus"_s).toString(), u"Paused"_s);
}

void TestMprisService::nextAndPreviousWalkTheHistory()
{
    const Player& player = m_studio->player();
    QCOMPARE(property(PlayerInterface, u"CanGoPrevious"_s), QVariant(false)); // the newest is loaded
    QCOMPARE(property(PlayerInterface, u"CanGoNext"_s), QVariant(true));
    call(PlayerInterface, u"Play"_s);
    QSignalSpy changes(&m_listener, &BusListener::propertiesChanged);

    call(PlayerInterface, u"Next"_s);
    QCOMPARE(selectedRow(), 1);
    QCOMPARE(player.currentTakeId(), takeAt(1).id);
    QCOMPARE(m_backend->source, QUrl::fromLocalFile(m_studio->library().audioPath(takeAt(1))));
    QCOMPARE(player.state(), PlayerBackend::State::Playing); // playing goes on playing
    QVERIFY(find<QLabel>("nowPlayingLabel")->text().contains(takeAt(1).prompt));
    QTRY_COMPARE(mapOf(announced(changes, u"Metadata"_s)).value(u"xesam:title"_s).toString(), takeAt(1).prompt);
    QTRY_COMPARE(announced(changes, u"CanGoPrevious"_s), QVariant(true));
    const QVariantMap second = metadata();
    QCOMPARE(second.value(u"xesam:title"_s).toString(), takeAt(1).prompt);
    QCOMPARE(second.value(u"mpris:length"_s).toLongLong(), qRound64(takeAt(1).actualDuration * 1e6));
    QVERIFY(second.value(u"mpris:trackid"_s).value<QDBusObjectPath>().path().endsWith(takeAt(1).id));

    call(PlayerInterface, u"Next"_s);
    QCOMPARE(selectedRow(), 2);
    QCOMPARE(property(PlayerInterface, u"CanGoNext"_s), QVariant(false));
    QTRY_COMPARE(announced(changes, u"CanGoNext"_s), QVariant(false));
    call(PlayerInterface, u"Next"_s); // at the oldest take: nothing happens
    QCOMPARE(selectedRow(), 2);
    QCOMPARE(player.currentTakeId(), takeAt(2).id);

    call(PlayerInterface, u"Previous"_s);
    QCOMPARE(selectedRow(), 1);
    QCOMPARE(player.currentTakeId(), takeAt(1).id);
    call(PlayerInterface, u"Previous"_s);
    QCOMPARE(selectedRow(), 0);
    QCOMPARE(property(PlayerInterface, u"CanGoPrevious"_s), QVariant(false));

    // Paused stays paused: the next take is loaded, not started.
    call(PlayerInterface, u"Pause"_s);
    const int plays = m_backend->playCount;
    call(PlayerInterface, u"Next"_s);
    QCOMPARE(player.currentTakeId(), takeAt(1).id);
    QCOMPARE(m_backend->playCount, plays);
    QVERIFY(player.state() != PlayerBackend::State::Playing);

    // The history's order is the one the window shows: filtered, next skips what is hidden.
    auto* search = find<QLineEdit>("searchEdit");
    search->setText(u"drums"_s); // only the take in the middle
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 1);
    QTRY_COMPARE(property(PlayerInterface, u"CanGoNext"_s), QVariant(false));
    QCOMPARE(property(PlayerInterface, u"CanGoPrevious"_s), QVariant(false));
    search->clear();
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 3);
    QCOMPARE(property(PlayerInterface, u"CanGoNext"_s), QVariant(true));
}

void TestMprisService::seeksAndSetsTheVolume()
{
    QSignalSpy seeked(&m_listener, &BusListener::seeked);
    const QVariant trackId = metadata().value(u"mpris:trackid"_s);
    QCOMPARE(property(PlayerInterface, u"CanSeek"_s), QVariant(true));

    call(PlayerInterface, u"SetPosition"_s, {trackId, qlonglong(1'500'000)});
    QCOMPARE(m_backend->pos, 1500);
    QCOMPARE(property(PlayerInterface, u"Position"_s).toLongLong(), 1'500'000);
    QTRY_COMPARE(seeked.size(), 1);
    QCOMPARE(seeked.constLast().at(0).toLongLong(), 1'500'000);

    call(PlayerInterface, u"Seek"_s, {qlonglong(250'000)});
    QCOMPARE(m_backend->pos, 1750);
    QTRY_COMPARE(seeked.size(), 2);
    QCOMPARE(seeked.constLast().at(0).toLongLong(), 1'750'000);
    call(PlayerInterface, u"Seek"_s, {qlonglong(-5'000'000)}); // before the start: the start
    QCOMPARE(m_backend->pos, 0);

    // A position meant for another take, or past this one's end, is ignored.
    call(PlayerInterface, u"SetPosition"_s,
         {QVariant::fromValue(QDBusObjectPath(u"/io/github/musicgen_studio/take/other"_s)), qlonglong(1'000'000)});
    call(PlayerInterface, u"SetPosition"_s, {trackId, qlonglong(60'000'000)});
    QCOMPARE(m_backend->pos, 0);

    QSignalSpy changes(&m_listener, &BusListener::propertiesChanged);
    call(Properties, u"Set"_s, {PlayerInterface, u"Volume"_s, QVariant::fromValue(QDBusVariant(0.25))});
    QCOMPARE(m_studio->player().volume(), 25);
    QCOMPARE(find<QSlider>("volumeSlider")->value(), 25); // the window shows what the desktop set
    QCOMPARE(property(PlayerInterface, u"Volume"_s).toDouble(), 0.25);
    QTRY_COMPARE(announced(changes, u"Volume"_s).toDouble(), 0.25);
    find<QSlider>("volumeSlider")->setValue(60);
    QCOMPARE(property(PlayerInterface, u"Volume"_s).toDouble(), 0.6);
}

void TestMprisService::raisesAndQuits()
{
    QWidget other;
    other.show();
    other.activateWindow();
    QTRY_VERIFY(other.isActiveWindow());
    call(Root, u"Raise"_s);
    QTRY_VERIFY(m_window->isActiveWindow());

    call(Root, u"Quit"_s);
    QVERIFY(!m_window->isVisible());
    // Closed as File → Quit closes it: the window's layout is kept for the next start.
    QVERIFY(!Settings(m_home->filePath(u"settings.ini"_s)).windowGeometry().isEmpty());
}

void TestMprisService::aSecondInstanceGetsANameOfItsOwn()
{
    QTemporaryDir home;
    QProcess studio;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* folder : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_MUSIC_DIR"})
        environment.insert(QString::fromLatin1(folder), home.filePath(QString::fromLatin1(folder)));
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    studio.setProcessEnvironment(environment);
    studio.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    studio.start(QString::fromUtf8(MUSICGEN_STUDIO_PATH));
    QVERIFY(studio.waitForStarted());
    const QString name = Service + u".instance"_s + QString::number(studio.processId());
    QTRY_VERIFY_WITH_TIMEOUT(m_probe.interface()->isServiceRegistered(name), 30000);
    QCOMPARE(property(Root, u"Identity"_s, name).toString(), u"MusicGen Studio"_s);
    QCOMPARE(property(PlayerInterface, u"PlaybackStatus"_s, name).toString(), u"Stopped"_s);
    QCOMPARE(mapOf(property(PlayerInterface, u"Metadata"_s, name)), QVariantMap()); // its library is empty
    QCOMPARE(metadata().value(u"xesam:title"_s).toString(), takeAt(0).prompt);      // this one keeps the first name
    QCOMPARE(property(PlayerInterface, u"CanPlay"_s, name), QVariant(false));

    QSignalSpy finished(&studio, &QProcess::finished);
    callOn(name, Root, u"Quit"_s);
    QVERIFY(finished.wait(30000));
    QCOMPARE(studio.exitStatus(), QProcess::NormalExit);
    QCOMPARE(studio.exitCode(), 0);
}

void TestMprisService::withoutASessionBusNothingIsSaid()
{
    const QDBusConnection none = QDBusConnection::connectToBus(u"unix:path=/nonexistent/bus"_s, u"none"_s);
    QVERIFY(!none.isConnected());
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"^Media keys and the desktop's media controls are off"_s));
    auto* service =
        new MprisService(none, m_window.get(), &m_studio->player(), &m_studio->library(), m_window->historyModel());
    QVERIFY(service->serviceName().isEmpty());
    service->playPause(); // the window plays on as ever
    QCOMPARE(m_studio->player().state(), PlayerBackend::State::Playing);
    delete service;
    QDBusConnection::disconnectFromBus(u"none"_s);
}

QTEST_MAIN(TestMprisService)
#include "tst_MprisService.moc"
