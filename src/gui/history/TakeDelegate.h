#pragma once

#include "model/Take.h"

#include <QStyledItemDelegate>

/// Draws a take in the history: its favourite star, the prompt, and a second line with duration, seed,
/// provider and when it was made, and chips with what the analysis found ("92 BPM", "A minor", "−14.1 LUFS") and,
/// when the take missed the prompt's tempo or key, what it asked for and got. A click on the star toggles the
/// favourite.
class TakeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

    /// "just now", "5 min ago", "yesterday 14:02", "12 Mar 09:30"
    static QString relativeTime(const QDateTime& when, const QDateTime& now);
    /// The chips a take's row shows, when there is room: tempo, key, loudness, and the prompt's mismatch (also put in
    /// `mismatch`, empty when the take delivered what the prompt asked).
    static QStringList chipsOf(const Take& take, QString* mismatch = nullptr);

signals:
    void starClicked(const QModelIndex& index);

private:
    static constexpr int ChipPadding = 6;
    static constexpr int ChipSpacing = 4;

    static QRect starRect(const QRect& row);
    /// Draws the chips right-aligned in `line`, within half its width; returns where the leftmost begins.
    int paintChips(QPainter* painter, const QStyleOptionViewItem& option, const Take& take, const QRect& line) const;
};
