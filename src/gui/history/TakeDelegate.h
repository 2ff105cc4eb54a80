#pragma once

#include <QStyledItemDelegate>

/// Draws a take in the history: its favourite star, the prompt, and a second line with duration, seed,
/// provider and when it was made. A click on the star toggles the favourite.
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

signals:
    void starClicked(const QModelIndex& index);

private:
    static QRect starRect(const QRect& row);
};
