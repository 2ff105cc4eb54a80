#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>

/// Help → Keyboard shortcuts: every key the window answers to, grouped by where it works, in one table. The table is
/// the one list of the window's keys: the tests check it against every shortcut the window has, both ways, and
/// README's keyboard section shows the same table.
class ShortcutsDialog final : public QDialog
{
    Q_OBJECT

public:
    /// One row of the table.
    struct Entry
    {
        QString where;  ///< where the keys work: "Anywhere", "History", "Comparing"…
        QString keys;   ///< as shown: "Ctrl+Return", "1–4"
        QString action; ///< what they do
        /// The window-wide shortcuts (QShortcut or menu action) behind the row, so a test can check that the window
        /// has each of them and that every one it has is listed; empty for keys one control handles itself.
        QList<QKeySequence> windowKeys = {};
    };

    explicit ShortcutsDialog(QWidget* parent = nullptr);

    /// Every row, in the order shown.
    static QList<Entry> entries();
};
