#pragma once

#include "model/Take.h"

#include <QList>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class HistoryModel;
class QKeyEvent;
class QLabel;
class QMenu;

namespace Ui {
class HistoryView;
}

/// Every take, newest first: search (Ctrl+F), favourites only, and per take play (double-click, Enter),
/// favourite, same settings again, new seed, load into the form, copy prompt, show in folder, export, delete.
/// Takes drag out as files into a DAW or file manager. An empty list says why: no takes yet (and how to make one),
/// or none that match the search.
///
/// Made for the keyboard: Down or Enter in the search box goes into the results, Up on the first take back to the
/// box, Esc clears it. The arrow keys (and Page Up, Page Down, Home, End) audition the take they move to when
/// audition on select is on. Two to four selected takes (Ctrl- or Shift-click, Ctrl+A) are compared with C or the
/// Compare button.
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
    /// The selected takes, in the list's order.
    QList<Take> selectedTakes() const;
    /// Whether the keys that browse the list (not clicks, not extending a selection) ask to audition each take.
    void setAuditionOnSelect(bool on);

signals:
    /// Play `take` from its start (double-click, Enter, the menu).
    void playRequested(const Take& take);
    /// The musician browsed to `take` with the keys and audition on select is on: play it from where the take
    /// playing now is.
    void auditionRequested(const Take& take);
    /// Compare these takes (two to four, in the list's order): C in the list or the Compare button.
    void compareRequested(const QList<Take>& takes);
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
    /// Goes from the search box into the results, the first take current and selected; false when there are none.
    bool enterResults();
    void requestCompare();
    void updateCompare();
    bool searchKeyPressed(const QKeyEvent* key);
    bool listKeyPressed(const QKeyEvent* key);
    void showMenu(const QPoint& position);
    void correctTempo(const Take& take, double factor);
    void updateCount();
    bool eventFilter(QObject* watched, QEvent* event) override;

    std::unique_ptr<Ui::HistoryView> m_ui;
    QLabel* m_emptyLabel;
    HistoryModel* m_model = nullptr;
    QTimer m_searchDelay;
    bool m_auditionOnSelect = true;
};
