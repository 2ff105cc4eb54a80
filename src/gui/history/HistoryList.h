#pragma once

#include <QListView>

/// The history's list. It tells the keys that browse it — Up, Down, Page Up, Page Down, Home and End without a
/// modifier — apart from clicks, keys that extend a selection and moves the window makes, so that browsing can
/// audition each take the musician moves to.
class HistoryList final : public QListView
{
    Q_OBJECT

public:
    using QListView::QListView;

signals:
    /// A browsing key made `current` the current take. A held key reports once, where it is let go, rather than for
    /// every take it passes.
    void browsed(const QModelIndex& current);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    bool m_heldMove = false; ///< a held key moved the current take and has not been let go yet
};
