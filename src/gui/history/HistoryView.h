#pragma once

#include "model/Take.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class HistoryModel;
class QLabel;
class QMenu;

namespace Ui {
class HistoryView;
}

/// Every take, newest first: search (Ctrl+F), favourites only, and per take play (double-click, Enter),
/// favourite, same settings again, new seed, load into the form, copy prompt, show in folder, export, delete.
/// Takes drag out as files into a DAW or file manager. An empty list says why: no takes yet (and how to make one),
/// or none that match the search.
class HistoryView final : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryView(QWidget* parent = nullptr);
    ~HistoryView() override;

    void setModel(HistoryModel* model);
    /// The take under the cursor, if any.
    std::optional<Take> currentTake() const;
    void selectTake(const QString& id);
    void focusSearch();

signals:
    void playRequested(const Take& take);
    void favouriteToggled(const Take& take);
    void sameAgainRequested(const Take& take);
    void newSeedRequested(const Take& take);
    void loadSettingsRequested(const Take& take);
    void showInFolderRequested(const Take& take);
    void exportRequested(const Take& take);
    void deleteRequested(const Take& take);
    /// The musician's tempo for the take (* doubles, / halves the shown one); nothing: back to the detected tempo.
    void tempoCorrected(const Take& take, std::optional<double> bpm);

private:
    void applyFilter();
    void showMenu(const QPoint& position);
    void correctTempo(const Take& take, double factor);
    void updateCount();
    bool eventFilter(QObject* watched, QEvent* event) override;

    std::unique_ptr<Ui::HistoryView> m_ui;
    QLabel* m_emptyLabel;
    HistoryModel* m_model = nullptr;
    QTimer m_searchDelay;
};
