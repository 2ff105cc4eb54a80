#pragma once

#include "audio/AudioCodec.h"

#include <QWidget>

/// The current take's waveform with the playhead. Clicking or dragging seeks; the arrow keys step by a second.
/// Draws peaks computed elsewhere (off the UI thread), never audio.
class WaveformView final : public QWidget
{
    Q_OBJECT

public:
    explicit WaveformView(QWidget* parent = nullptr);

    void setPeaks(const AudioCodec::Peaks& peaks);
    void setDuration(qint64 ms);
    void setPosition(qint64 ms);

    QSize sizeHint() const override { return {400, 80}; }

signals:
    void seekRequested(qint64 ms);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    qint64 positionAt(int x) const;

    AudioCodec::Peaks m_peaks;
    qint64 m_duration = 0;
    qint64 m_position = 0;
};
