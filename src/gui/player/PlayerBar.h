#pragma once

#include "audio/AudioCodec.h"
#include "audio/AudioLoop.h"
#include "generation/TakeLoops.h"
#include "model/Take.h"

#include <QIcon>
#include <QWidget>

#include <memory>
#include <optional>

class LibraryService;
class Player;
class QAction;
class QMediaDevices;
class RegionLoop;

namespace Ui {
class PlayerBar;
}

/// Transport for the current take: play/pause, stop, seek (slider or waveform), loop, volume, position and
/// length, and the output device, which follows devices appearing and vanishing. The buttons show the desktop
/// theme's media icons, or the app's own in the palette's colours.
///
/// A region chosen on the waveform, snapped to the take's bars, becomes a loop: once it is whole bars its loop is cut
/// (RegionLoop), and then *Export loop…* (a button, and the waveform's context menu) asks for it to be saved, and a
/// drag from inside the region hands it to another program, which keeps it in the library as a take of its own.
/// *Loop region* (L, a toggle) plays that loop round and round in place of the take, seamlessly (Player::playLoop),
/// following the region as it moves, until L again, a seek outside it, or another take.
class PlayerBar final : public QWidget
{
    Q_OBJECT

public:
    explicit PlayerBar(QWidget* parent = nullptr);
    ~PlayerBar() override;

    /// Drives and shows `player` (not owned).
    void setPlayer(Player* player);
    void setNowPlaying(const QString& text);
    void setPeaks(const AudioCodec::Peaks& peaks);
    void clearPeaks();
    void selectDevice(const QByteArray& id);
    /// Cuts the loops of the waveform's regions and keeps those dragged out through `library` (not owned). Without
    /// it a region is only shown.
    void setLibrary(LibraryService* library);
    /// The take being played: its tempo and first downbeat are the waveform's bars. Another take, or a new tempo,
    /// clears the region.
    void setTake(const Take& take);
    /// The waveform's region, if any.
    const std::optional<AudioLoop::Region>& region() const;

signals:
    void deviceChosen(const QByteArray& id);
    /// The waveform's region settled; nothing: it was cleared (by the musician, or by another take).
    void regionChanged(const std::optional<AudioLoop::Region>& region);
    /// *Export loop…*: the region's loop, cut, for the musician to say where it goes (LibraryService::addLoop).
    void exportLoopRequested(const TakeLoops::Loop& loop);
    /// The region's loop could not be cut; `message` says why and what to do.
    void loopFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void fillDevices();
    void showTime();
    void applyIcons();
    void onRegionChanged(const std::optional<AudioLoop::Region>& region);
    /// Cuts the loop of the region, when it is whole bars.
    void prepareLoop();
    /// Plays the region's loop when *Loop region* is on and the loop is cut; else goes back to the take.
    void auditionLoop();

    std::unique_ptr<Ui::PlayerBar> m_ui;
    Player* m_player = nullptr;
    QMediaDevices* m_devices;
    QByteArray m_wantedDevice;
    QIcon m_playIcon;
    QIcon m_pauseIcon;
    bool m_playing = false;
    Take m_take;
    RegionLoop* m_loop = nullptr;     ///< with a library
    std::pair<int, int> m_loopedBars; ///< the first bar and the bar count of the loop Loop region last played
    QAction* m_exportLoopAction;
    QAction* m_loopRegionAction;
    QAction* m_clearRegionAction;
};
