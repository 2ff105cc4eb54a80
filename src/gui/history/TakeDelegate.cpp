#include "gui/history/TakeDelegate.h"

#include "analysis/TakeAnalysis.h"
#include "gui/Theme.h"
#include "library/HistoryModel.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>

using namespace Qt::StringLiterals;

QRect TakeDelegate::starRect(const QRect& row)
{
    return QRect(row.left() + 4, row.top(), 24, row.height());
}

QString TakeDelegate::relativeTime(const QDateTime& when, const QDateTime& now)
{
    const qint64 seconds = when.secsTo(now);
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%1 min ago").arg(seconds / 60);
    const QDateTime local = when.toLocalTime();
    const QDate today = now.toLocalTime().date();
    if (local.date() == today)
        return tr("today %1").arg(local.toString(u"HH:mm"_s));
    if (local.date() == today.addDays(-1))
        return tr("yesterday %1").arg(local.toString(u"HH:mm"_s));
    return QLocale().toString(local, u"d MMM yyyy HH:mm"_s);
}

QSize TakeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    return QSize(200, option.fontMetrics.height() * 2 + 10);
}

void TakeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    const bool favourite = index.data(HistoryModel::FavouriteRole).toBool();
    const bool missing = index.data(HistoryModel::AudioMissingRole).toBool();

    painter->save();
    QFont starFont = option.font;
    starFont.setPointSizeF(option.font.pointSizeF() * 1.3);
    painter->setFont(starFont);
    painter->setPen(favourite ? QColor(0xE0, 0xA0, 0x00) : option.palette.color(QPalette::Mid));
    painter->drawText(starRect(option.rect), Qt::AlignCenter, favourite ? u"★"_s : u"☆"_s);

    const QRect text = option.rect.adjusted(32, 4, -6, -4);
    const int lineHeight = option.fontMetrics.height();
    painter->setFont(option.font);
    painter->setPen(option.palette.color(textRole));
    const QString prompt = index.data(HistoryModel::PromptRole).toString().simplified();
    painter->drawText(QRect(text.left(), text.top(), text.width(), lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                      option.fontMetrics.elidedText(prompt, Qt::ElideRight, text.width()));

    QString details =
        tr("%1 s · seed %2 · %3 · %4")
            .arg(index.data(HistoryModel::DurationRole).toInt())
            .arg(index.data(HistoryModel::SeedRole).toInt())
            .arg(index.data(HistoryModel::ProviderRole).toString(),
                 relativeTime(index.data(HistoryModel::CreatedRole).toDateTime(), QDateTime::currentDateTimeUtc()));
    if (missing)
        details += tr(" · audio file missing");
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.9);
    painter->setFont(small);
    const QRect detailsLine(text.left(), text.top() + lineHeight + 2, text.width(), lineHeight);
    const int chipsLeft = paintChips(painter, option, index.data(HistoryModel::TakeRole).value<Take>(), detailsLine);
    painter->setPen(selected  ? option.palette.color(QPalette::HighlightedText)
                    : missing ? Theme::errorColor(option.palette)
                              : option.palette.color(QPalette::PlaceholderText));
    painter->drawText(detailsLine.adjusted(0, 0, chipsLeft - detailsLine.right() - ChipSpacing, 0),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(details, Qt::ElideRight, chipsLeft - detailsLine.left()));
    painter->restore();
}

QStringList TakeDelegate::chipsOf(const Take& take, QString* mismatch)
{
    QStringList chips = TakeAnalysis::chips(take);
    const QString missed = TakeAnalysis::promptMismatch(take);
    if (!missed.isEmpty())
        chips << missed;
    if (mismatch)
        *mismatch = missed;
    return chips;
}

int TakeDelegate::paintChips(QPainter* painter, const QStyleOptionViewItem& option, const Take& take,
                             const QRect& line) const
{
    QString mismatch;
    QStringList chips = chipsOf(take, &mismatch);
    const QFontMetrics metrics(painter->font());
    auto widthOf = [&metrics](const QString& chip) { return metrics.horizontalAdvance(chip) + 2 * ChipPadding; };
    auto widthOfAll = [&] {
        int width = 0;
        for (const QString& chip : std::as_const(chips))
            width += widthOf(chip) + ChipSpacing;
        return width;
    };
    // At most half the line. The loudness goes first, the prompt's warning last: it says the take missed its brief.
    const qsizetype warnings = mismatch.isEmpty() ? 0 : 1;
    while (chips.size() > warnings && widthOfAll() > line.width() / 2)
        chips.removeAt(chips.size() - 1 - warnings);
    if (widthOfAll() > line.width() / 2)
        return line.right();

    const int start = line.right() + ChipSpacing - widthOfAll();
    int left = start;
    for (const QString& chip : std::as_const(chips)) {
        const QRectF box(left, line.top() + 1, widthOf(chip), line.height() - 2);
        painter->setPen(chip == mismatch ? QColor(0xD0, 0x80, 0x00) : option.palette.color(QPalette::Mid));
        painter->setBrush(option.palette.color(QPalette::AlternateBase));
        painter->drawRoundedRect(box, box.height() / 2, box.height() / 2);
        painter->setPen(option.palette.color(QPalette::Text));
        painter->drawText(box, Qt::AlignCenter, chip);
        left += widthOf(chip) + ChipSpacing;
    }
    return start;
}

bool TakeDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                               const QModelIndex& index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton && starRect(option.rect).contains(mouse->position().toPoint())) {
            emit starClicked(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}
