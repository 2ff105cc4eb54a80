#pragma once

#include "model/Take.h"

#include <QDBusConnection>
#include <QDBusObjectPath>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>

#include <optional>

class HistoryModel;
class LibraryService;
class Player;
class QWidget;

/// The studio in the desktop's media controls and on its media keys: MPRIS 2 on the session D-Bus, as
/// `org.mpris.MediaPlayer2.musicgenstudio` (a second instance adds `.instance<pid>`), object `/org/mpris/MediaPlayer2`,
/// interfaces `org.mpris.MediaPlayer2` and `org.mpris.MediaPlayer2.Player` (MprisAdaptors.h).
///
/// Play, pause, stop, seek and volume drive the window's Player. Next and previous step through the history in the
/// order it shows and ask the window to select and load that take (takeRequested), as playing it from the history
/// does. The metadata is the loaded take's: its prompt as the title, its length, its clip. The desktop is told when
/// the status, the metadata, what can be done or the volume change (PropertiesChanged).
///
/// Nothing here waits on the bus: the name is asked for asynchronously. Without a session bus the app runs as
/// before and one line at info level says why the media keys do nothing.
class MprisService final : public QObject
{
    Q_OBJECT

public:
    /// Offers the window on `bus`. `window` (the parent) is raised and closed at the desktop's request; the rest is
    /// used, not owned, and must outlive this.
    MprisService(const QDBusConnection& bus, QWidget* window, Player* player, LibraryService* library,
                 HistoryModel* history);
    ~MprisService() override;

    /// The name the bus granted; empty before it answers, and without a bus.
    QString serviceName() const { return m_serviceName; }

    // What the adaptors show and do, in the specification's terms (times in microseconds).
    QString playbackStatus() const;
    QVariantMap metadata() const;
    qint64 positionUs() const;
    double volume() const;
    void setVolume(double volume);
    bool canPlay() const;
    bool canGoNext() const;
    bool canGoPrevious() const;
    bool canSeek() const;

    void play();
    void pause();
    void playPause();
    void stop();
    void next();
    void previous();
    void seek(qint64 offsetUs);
    void setPosition(const QDBusObjectPath& trackId, qint64 positionUs);
    void raise();
    void quit();

signals:
    /// The window selects `take` in the history and loads it, playing it when `start`.
    void takeRequested(const Take& take, bool start);
    /// The position jumped to `positionUs` at the desktop's request (the Player interface's Seeked).
    void seeked(qint64 positionUs);

private:
    void requestName(const QString& name);
    std::optional<Take> takeOf(const QString& id) const;
    qint64 lengthUs() const;
    /// The history's row `step` rows from the loaded take's; Next starts at the top when that take is not listed.
    std::optional<int> neighbourRow(int step) const;
    void go(int step);
    QVariantMap watchedProperties() const;
    /// Sends PropertiesChanged with what differs from what the desktop was last told.
    void announceChanges();

    QDBusConnection m_bus;
    QWidget* m_window;
    Player* m_player;
    LibraryService* m_library;
    QPointer<HistoryModel> m_history;
    std::optional<Take> m_take; ///< the loaded take
    bool m_exported = false;
    QString m_serviceName;
    QStringList m_requestedNames;
    QVariantMap m_announced;
    QTimer m_announceDelay; ///< one PropertiesChanged for changes that come together
};
