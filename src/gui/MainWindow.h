#pragma once

#include "audio/AudioCodec.h"
#include "model/GenerationResult.h"
#include "model/Take.h"

#include <QHash>
#include <QMainWindow>
#include <QTimer>

#include <memory>
#include <optional>

class HistoryModel;
class QLabel;
class QToolButton;
class Studio;

namespace Ui {
class MainWindow;
}

/// The studio: the prompt form and takes in progress on the left, the history on the right, the player along
/// the bottom, and provider, credits and spend in the status bar. Network, disk and audio work all happen
/// elsewhere (service, library worker, player, peak computation); the window only shows and asks.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Studio* studio, QWidget* parent = nullptr);
    ~MainWindow() override;

    HistoryModel* historyModel() const { return m_history; }
    double sessionSpend() const { return m_spend; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void generate();
    void submit(GenerationRequest request, const QString& parentId);
    void onJobFinished(quint64 jobId, const GenerationResult& result);
    void onTakeAdded(const Take& take);
    void play(const Take& take, bool start);
    void loadPeaks(const Take& take);
    void openSettings(bool focusKey);
    void deleteTake(const Take& take);
    void undoDelete();
    void exportTake(const Take& take);
    void showInFolder(const Take& take);
    void pollForOtherProcesses();
    void queryCredits();
    void updateStatus();
    void showNotice(const QString& text);
    qint64 estimateMs() const;

    std::unique_ptr<Ui::MainWindow> m_ui;
    Studio* m_studio;
    HistoryModel* m_history;
    QLabel* m_providerStatus;
    QLabel* m_creditsStatus;
    QLabel* m_spendStatus;
    QToolButton* m_undoButton;
    QTimer m_undoTimer;
    QString m_lastDeletedId;
    QHash<quint64, QString> m_parentOfJob;
    QList<qint64> m_recentGenerationMs;
    QHash<QString, AudioCodec::Peaks> m_peaks;
    QTimer m_pollTimer;
    QTimer m_arrivalTimer;
    std::optional<Take> m_newestArrival;
    qint64 m_dataVersion = -1;
    std::optional<double> m_credits;
    double m_spend = 0;
};
