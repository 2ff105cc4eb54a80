#include "gui/desktop/MprisService.h"

#include "gui/desktop/MprisAdaptors.h"
#include "library/HistoryModel.h"
#include "library/LibraryService.h"
#include "playback/Player.h"

#include <QCoreApplication>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QUrl>
#include <QWidget>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString BaseName = u"org.mpris.MediaPlayer2.musicgenstudio"_s;
const QString ObjectPath = u"/org/mpris/MediaPlayer2"_s;
const QString PlayerInterface = u"org.mpris.MediaPlayer2.Player"_s;

// RequestName's flag and answers (the D-Bus specification's org.freedesktop.DBus.RequestName).
constexpr uint DoNotQueue = 0x4;
constexpr uint PrimaryOwner = 1;
constexpr uint Exists = 3;
constexpr uint AlreadyOwner = 4;

QDBusMessage busCall(const QString& method)
{
    return QDBusMessage::createMethodCall(u"org.freedesktop.DBus"_s, u"/org/freedesktop/DBus"_s,
                                          u"org.freedesktop.DBus"_s, method);
}

/// A take's track id: an object path of its own, outside /org/mpris as the specification asks. Take ids are
/// lower-case letters and digits, which a path element allows; anything else becomes '_'.
QDBusObjectPath trackIdOf(const QString& takeId)
{
    QString element = takeId;
    std::replace_if(
        element.begin(), element.end(),
        [](QChar c) { return !(c.isDigit() || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')); }, u'_');
    return QDBusObjectPath(u"/io/github/musicgen_studio/take/"_s + (element.isEmpty() ? u"_"_s : element));
}

} // namespace

MprisService::MprisService(const QDBusConnection& bus, QWidget* window, Player* player, LibraryService* library,
                           HistoryModel* history)
    : QObject(window), m_bus(bus), m_window(window), m_player(player), m_library(library), m_history(history)
{
    new MprisRootAdaptor(this);
    new MprisPlayerAdaptor(this);
    m_announceDelay.setSingleShot(true);
    m_announceDelay.setInterval(0);
    connect(&m_announceDelay, &QTimer::timeout, this, &MprisService::announceChanges);
    const auto announce = [this] { m_announceDelay.start(); };
    connect(player, &Player::takeLoaded, this, [this, announce](const QString& id) {
        m_take = takeOf(id);
        announce();
    });
    connect(player, &Player::stateChanged, this, announce);
    connect(player, &Player::durationChanged, this, announce);
    connect(player, &Player::volumeChanged, this, announce);
    connect(library, &LibraryService::takeChanged, this, [this, announce](const Take& take) {
        if (m_take && m_take->id == take.id) {
            m_take = take;
            announce();
        }
    });
    // Rows arriving, leaving or filtered change what comes next and before.
    connect(history, &QAbstractItemModel::rowsInserted, this, announce);
    connect(history, &QAbstractItemModel::rowsRemoved, this, announce);
    connect(history, &QAbstractItemModel::modelReset, this, announce);
    connect(history, &QAbstractItemModel::layoutChanged, this, announce);
    m_take = takeOf(player->currentTakeId());
    m_announced = watchedProperties();

    if (!m_bus.isConnected()) {
        qInfo().noquote().nospace() << "Media keys and the desktop's media controls are off: no session D-Bus ("
                                    << m_bus.lastError().message() << ").";
        return;
    }
    if (!m_bus.registerObject(ObjectPath, this, QDBusConnection::ExportAdaptors)) {
        qInfo().noquote() << "Media keys and the desktop's media controls are off: another window of this process"
                          << "has them.";
        return;
    }
    m_exported = true;
    requestName(BaseName);
}

MprisService::~MprisService()
{
    if (!m_exported)
        return;
    m_bus.unregisterObject(ObjectPath);
    // Sent without waiting; the bus frees the names anyway when the process ends.
    for (const QString& name : std::as_const(m_requestedNames)) {
        QDBusMessage release = busCall(u"ReleaseName"_s);
        release << name;
        m_bus.send(release);
    }
}

void MprisService::requestName(const QString& name)
{
    QDBusMessage request = busCall(u"RequestName"_s);
    request << name << DoNotQueue;
    m_requestedNames << name;
    auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(request), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, name](QDBusPendingCallWatcher* call) {
        call->deleteLater();
        const QDBusPendingReply<uint> reply = *call;
        if (reply.isError()) {
            qInfo().noquote().nospace() << "Media keys and the desktop's media controls are off: the session D-Bus "
                                        << "refused " << name << " (" << reply.error().message() << ").";
        } else if (reply.value() == PrimaryOwner || reply.value() == AlreadyOwner) {
            m_serviceName = name;
        } else if (reply.value() == Exists && name == BaseName) {
            // Another instance has the name: this one is told apart by its process id, as MPRIS asks.
            requestName(BaseName + u".instance"_s + QString::number(QCoreApplication::applicationPid()));
        }
    });
}

std::optional<Take> MprisService::takeOf(const QString& id) const
{
    if (id.isEmpty())
        return std::nullopt;
    if (const int row = m_history ? m_history->rowOf(id) : -1; row >= 0)
        return m_history->takeAt(row);
    return m_library->find(id); // filtered out of the history: one read of the index
}

QString MprisService::playbackStatus() const
{
    switch (m_player->state()) {
    case PlayerBackend::State::Playing: return u"Playing"_s;
    case PlayerBackend::State::Paused: return u"Paused"_s;
    case PlayerBackend::State::Stopped: break;
    }
    return u"Stopped"_s;
}

qint64 MprisService::lengthUs() const
{
    if (!m_take)
        return 0;
    return m_take->actualDuration > 0 ? qRound64(m_take->actualDuration * 1e6) : m_player->duration() * 1000;
}

QVariantMap MprisService::metadata() const
{
    if (!m_take)
        return {}; // no current track
    QVariantMap data{{u"mpris:trackid"_s, QVariant::fromValue(trackIdOf(m_take->id))},
                     {u"xesam:title"_s, m_take->prompt}};
    if (const qint64 length = lengthUs(); length > 0)
        data.insert(u"mpris:length"_s, length);
    if (const QString path = m_library->audioPath(*m_take); !path.isEmpty())
        data.insert(u"xesam:url"_s, QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded));
    return data;
}

qint64 MprisService::positionUs() const
{
    return m_player->position() * 1000;
}

double MprisService::volume() const
{
    return m_player->volume() / 100.0;
}

void MprisService::setVolume(double volume)
{
    m_player->setVolume(qRound(std::clamp(volume, 0.0, 1.0) * 100));
}

bool MprisService::canPlay() const
{
    return !m_player->currentTakeId().isEmpty();
}

bool MprisService::canGoNext() const
{
    return neighbourRow(1).has_value();
}

bool MprisService::canGoPrevious() const
{
    return neighbourRow(-1).has_value();
}

bool MprisService::canSeek() const
{
    return canPlay() && lengthUs() > 0;
}

void MprisService::play()
{
    m_player->play();
}

void MprisService::pause()
{
    m_player->pause();
}

void MprisService::playPause()
{
    m_player->togglePlayPause();
}

void MprisService::stop()
{
    m_player->stop();
}

void MprisService::next()
{
    go(1);
}

void MprisService::previous()
{
    go(-1);
}

std::optional<int> MprisService::neighbourRow(int step) const
{
    if (!m_history)
        return std::nullopt;
    const int row = m_history->rowOf(m_player->currentTakeId());
    const int target = row >= 0 ? row + step : (step > 0 ? step - 1 : -1);
    const int rows = m_history->rowCount();
    // One past the rows read so far is there when the history has more to read.
    if (target < 0 || target > rows || (target == rows && !m_history->canFetchMore({})))
        return std::nullopt;
    return target;
}

void MprisService::go(int step)
{
    const std::optional<int> row = neighbourRow(step);
    if (!row)
        return;
    if (*row >= m_history->rowCount())
        m_history->fetchMore({});
    if (*row < m_history->rowCount()) // paused or stopped stays so, as the specification asks
        emit takeRequested(m_history->takeAt(*row), m_player->state() == PlayerBackend::State::Playing);
}

void MprisService::seek(qint64 offsetUs)
{
    if (!canSeek())
        return;
    const qint64 target = std::max<qint64>(0, positionUs() + offsetUs);
    if (target >= lengthUs()) {
        next(); // past the end, as the specification asks
        return;
    }
    m_player->seek(target / 1000);
    emit seeked(target);
}

void MprisService::setPosition(const QDBusObjectPath& trackId, qint64 positionUs)
{
    // A request meant for a take no longer loaded, or outside it, is ignored, as the specification asks.
    if (!m_take || trackId != trackIdOf(m_take->id) || positionUs < 0 || positionUs > lengthUs())
        return;
    m_player->seek(positionUs / 1000);
    emit seeked(positionUs);
}

void MprisService::raise()
{
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

void MprisService::quit()
{
    m_window->close(); // as File → Quit: the form and the window's layout are kept
}

QVariantMap MprisService::watchedProperties() const
{
    // Position is not among them: the specification has it read when needed, and Seeked tell of jumps.
    return {{u"PlaybackStatus"_s, playbackStatus()},
            {u"Metadata"_s, metadata()},
            {u"CanGoNext"_s, canGoNext()},
            {u"CanGoPrevious"_s, canGoPrevious()},
            {u"CanPlay"_s, canPlay()},
            {u"CanPause"_s, canPlay()},
            {u"CanSeek"_s, canSeek()},
            {u"Volume"_s, volume()}};
}

void MprisService::announceChanges()
{
    const QVariantMap now = watchedProperties();
    QVariantMap changed;
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (m_announced.value(it.key()) != it.value())
            changed.insert(it.key(), it.value());
    }
    m_announced = now;
    if (changed.isEmpty() || !m_exported)
        return;
    QDBusMessage signal =
        QDBusMessage::createSignal(ObjectPath, u"org.freedesktop.DBus.Properties"_s, u"PropertiesChanged"_s);
    signal << PlayerInterface << changed << QStringList();
    m_bus.send(signal);
}
