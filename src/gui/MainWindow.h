#pragma once

#include "model/Take.h"

#include <QMainWindow>
#include <QTimer>

#include <memory>
#include <optional>

class AnalysisBackfill;
class CompareStrip;
class ComparePlayer;
class HistoryModel;
class LibraryService;
class PeaksCache;
class Player;
class QLabel;
class QShortcut;
class QToolButton;
class Session;
class Settings;

/// The parts of the app the window uses (Studio::windowParts()); none is owned by the window, and all must outlive
/// it.
struct WindowParts
{
    Settings* settings;
    Session* session;
    LibraryService* library;
    Player* player;
    ComparePlayer* compare; ///< the comparison of two to four takes
    AnalysisBackfill* backfill;
};

namespace TakeLoops {
struct Loop;
}

namespace Ui {
class MainWindow;
}

/// The studio: the prompt form and takes in progress on the left, the history on the right, the player along
/// the bottom (or, while takes are compared, the compare strip), and provider, credits and spend in the status bar.
/// Network, disk and audio work all happen elsewhere (service, library worker, player, peak computation); the window
/// only shows and asks.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const WindowParts& parts, QWidget* parent = nullptr);
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
    /// Loads `take` at `startMs`, playing when `start`.
    void play(const Take& take, bool start, qint64 startMs = 0);
    void loadPeaks(const Take& take);
    void connectCompare();
    /// Starts comparing `takes` (two to four) in the compare strip, in place of the player.
    void startCompare(const QList<Take>& takes);
    void leaveCompare();
    /// What the status line says while `takes` takes are compared: their keys.
    QString compareHint(int takes) const;
    void openSettings(bool focusKey);
    void deleteTake(const Take& take);
    void undoDelete();
    /// Asks where to save a file first named `name` in the favourites folder, as `format`; a name given without one
    /// of the four extensions gets that format's. Empty when the musician cancels.
    QString askExportPath(const QString& title, const QString& name, AudioFormat format);
    void exportTake(const Take& take);
    /// Asks where the region's `loop` goes, then hands it to the library, which writes it and keeps it as a take.
    void exportLoop(const TakeLoops::Loop& loop);
    void showInFolder(const Take& take);
    void updateStatus();
    void showNotice(const QString& text);

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings* m_settings;
    Session* m_session;
    LibraryService* m_library;
    Player* m_player;
    ComparePlayer* m_compare;
    HistoryModel* m_history;
    PeaksCache* m_peaks;
    CompareStrip* m_compareStrip = nullptr;
    QList<QShortcut*> m_compareShortcuts; ///< 1–4, Esc and F: only while comparing
    QLabel* m_providerStatus;
    QLabel* m_creditsStatus;
    QLabel* m_spendStatus;
    QLabel* m_analysisStatus;
    QToolButton* m_undoButton;
    QTimer m_undoTimer;
    QString m_lastDeletedId;
    QTimer m_arrivalTimer;
    std::optional<Take> m_newestArrival;
};
