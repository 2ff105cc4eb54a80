#pragma once

#include "audio/AudioCodec.h"

#include <QIcon>
#include <QWidget>

#include <memory>

class Player;
class QMediaDevices;

namespace Ui {
class PlayerBar;
}

/// Transport for the current take: play/pause, stop, seek (slider or waveform), loop, volume, position and
/// length, and the output device, which follows devices appearing and vanishing. The buttons show the desktop
/// theme's media icons, or the app's own in the palette's colours.
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

signals:
    void deviceChosen(const QByteArray& id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void fillDevices();
    void showTime();
    void applyIcons();

    std::unique_ptr<Ui::PlayerBar> m_ui;
    Player* m_player = nullptr;
    QMediaDevices* m_devices;
    QByteArray m_wantedDevice;
    QIcon m_playIcon;
    QIcon m_pauseIcon;
    bool m_playing = false;
};
