#pragma once

#include "audio/AudioCodec.h"
#include "model/Take.h"

#include <QList>
#include <QWidget>

class ComparePlayer;
class QButtonGroup;
class QCheckBox;
class QLabel;
class QToolButton;
class WaveformView;

/// The takes being compared, as slots 1–4 one above the other: each with its number (click it, or press it, to hear
/// that slot), its prompt, tempo, key and loudness, the gain loudness matching applies to it, and its waveform with
/// the shared playhead (click to move every slot there). Above them: Match loudness, play/pause and Leave. The slot
/// heard is the one whose number is down. It shows and drives a ComparePlayer; the window owns both.
class CompareStrip final : public QWidget
{
    Q_OBJECT

public:
    explicit CompareStrip(QWidget* parent = nullptr);

    /// Drives and shows `player` (not owned).
    void setPlayer(ComparePlayer* player);
    /// The takes of the comparison that has just started, in slot order.
    void showTakes(const QList<Take>& takes);
    /// The take as it is now (starred, tempo corrected), if it is being compared.
    void updateTake(const Take& take);
    /// The waveform of slot `slot`.
    void setPeaks(int slot, const AudioCodec::Peaks& peaks);
    /// The take heard now; nothing when there is no comparison.
    std::optional<Take> heardTake() const;

signals:
    void leaveRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct SlotRow
    {
        QToolButton* number;
        QLabel* about;
        QLabel* gain;
        WaveformView* waveform;
    };

    void showSlot(int slot);

    void showGains();
    void showState();

    ComparePlayer* m_player = nullptr;
    QList<Take> m_takes;
    QList<SlotRow> m_rows;
    QButtonGroup* m_numbers;
    QLabel* m_title;
    QCheckBox* m_matchLoudness;
    QToolButton* m_playButton;
    QToolButton* m_leaveButton;
};
