#pragma once

#include "audio/AudioCodec.h"
#include "audio/AudioLoop.h"

#include <QWidget>

#include <optional>

/// The current take's waveform with the playhead, and a region of it to loop or export. A click seeks; the arrow keys
/// step by a second. Dragging chooses a region, its edges snapped to the take's bars when it has a tempo
/// (AudioLoop::snap; Shift drags freely); Shift+arrow keys grow and shrink it by a bar (a second without a tempo), and
/// start one at the playhead's bar; Esc or a click outside it clears it. Dragging from inside a region that has a file
/// (setRegionFile) hands that file to another program. Draws peaks computed elsewhere (off the UI thread), never audio.
class WaveformView final : public QWidget
{
    Q_OBJECT

public:
    explicit WaveformView(QWidget* parent = nullptr);

    void setPeaks(const AudioCodec::Peaks& peaks);
    void setDuration(qint64 ms);
    void setPosition(qint64 ms);
    /// The bars of the take shown (AudioLoop::grid); an invalid grid (no tempo) leaves regions as dragged. A new grid
    /// (another take, another tempo) clears the region.
    void setGrid(const AudioLoop::Grid& grid);
    const AudioLoop::Grid& grid() const { return m_grid; }

    /// The region chosen, if any.
    const std::optional<AudioLoop::Region>& region() const { return m_region; }
    /// The region in words, as it is drawn: "4 bars · 124 BPM", "3 beats · 124 BPM", or when free "2.4 s"; empty
    /// without a region.
    QString regionText() const;
    void clearRegion();
    /// The file a drag from inside the region hands over (the region's loop); empty: the region does not drag out.
    /// The region's next change forgets it.
    void setRegionFile(const QString& path);
    const QString& regionFile() const { return m_regionFile; }

    /// Whether dragging chooses a region (the default); off, the view only shows and seeks (the compare strip's).
    void setRegionsEnabled(bool enabled) { m_regionsEnabled = enabled; }

    QSize sizeHint() const override { return {400, 80}; }

signals:
    void seekRequested(qint64 ms);
    /// The region settled — a drag let go, a key, cleared, a new grid — and is now `region`; nothing: none.
    void regionChanged(const std::optional<AudioLoop::Region>& region);
    /// The region's file was dropped on a program that took it.
    void regionFileDropped(const QString& path);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    enum class Gesture
    {
        None,
        Pressed,   ///< not moved beyond the drag distance yet: a click so far
        Selecting, ///< choosing a new region
    };

    qint64 positionAt(int x) const;
    int xAt(double seconds) const;
    /// The region from pixel `fromX` to `toX`: snapped to the grid, unless `free` or there is none.
    AudioLoop::Region regionBetween(int fromX, int toX, bool free) const;
    /// Snapped to the grid when there is one, else as given within the take.
    AudioLoop::Region regionOf(double fromSeconds, double toSeconds) const;
    bool insideRegion(int x) const;
    void settle(const std::optional<AudioLoop::Region>& region);
    /// Shift+Right (+1) and Shift+Left (-1): the region's end a bar (a second) later or earlier, never shorter than
    /// that; without a region, one from the bar (second) the playhead is in.
    void stepRegion(int direction);
    void dragOut();
    void drawRegion(QPainter& painter, const AudioLoop::Region& region, const QRect& area) const;
    QString textOf(const AudioLoop::Region& region) const;

    AudioCodec::Peaks m_peaks;
    qint64 m_duration = 0;
    qint64 m_position = 0;
    AudioLoop::Grid m_grid;
    std::optional<AudioLoop::Region> m_region;
    std::optional<AudioLoop::Region> m_dragged; ///< the region being chosen, drawn until it settles
    QString m_regionFile;
    Gesture m_gesture = Gesture::None;
    int m_pressX = 0;
    bool m_regionsEnabled = true;
    bool m_pressedOnFile = false; ///< the press was inside a region with a file: moving drags the file out
};
