#pragma once

#include "audio/AudioCodec.h"
#include "model/Take.h"

#include <QHash>
#include <QMainWindow>
#include <QTimer>

#include <memory>
#include <optional>

class AnalysisBackfill;
class HistoryModel;
class LibraryService;
class Player;
class QLabel;
class QToolButton;
class Session;
class Settings;

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
    /// The parts are used, not owned, and must outlive the window.
    MainWindow(Settings* settings, Session* session, LibraryService* library, Player* player,
               AnalysisBackfill* backfill, QWidget* parent = nullptr);
    ~MainWindow() override;

    HistoryModel* historyModel() const { return m_history; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void connectSession();
    void connectLibrary();
    void connectHistory();
    void connectBackfill(AnalysisBackfill* backfill);
    void showNowPlaying(const Take& take);
    void restoreLastState();
    void generate();
    void onTakeAdded(const Take& take);
    void play(const Take& take, bool start);
    void loadPeaks(const Take& take);
    void openSettings(bool focusKey);
    void deleteTake(const Take& take);
    void undoDelete();
    void exportTake(const Take& take);
    void showInFolder(const Take& take);
    void updateStatus();
    void showNotice(const QString& text);

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings* m_settings;
    Session* m_session;
    LibraryService* m_library;
    Player* m_player;
    HistoryModel* m_history;
    QLabel* m_providerStatus;
    QLabel* m_creditsStatus;
    QLabel* m_spendStatus;
    QLabel* m_analysisStatus;
    QToolButton* m_undoButton;
    QTimer m_undoTimer;
    QString m_lastDeletedId;
    QHash<QString, AudioCodec::Peaks> m_peaks;
    QTimer m_arrivalTimer;
    std::optional<Take> m_newestArrival;
};
