#include "gui/jobs/JobsView.h"

#include "gui/Theme.h"

#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString seconds(qint64 ms)
{
    return QString::number((ms + 500) / 1000);
}

} // namespace

JobsView::JobsView(QWidget* parent) : QWidget(parent), m_scroll(new QScrollArea(this)), m_rows(new QVBoxLayout)
{
    setObjectName(u"jobsView"_s);
    setAccessibleName(tr("Takes in progress"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // the room left over is the prompt's
    auto* heading = new QLabel(tr("In progress"), this);
    heading->setObjectName(u"jobsLabel"_s);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);

    auto* list = new QWidget;
    list->setObjectName(u"jobRows"_s);
    list->setLayout(m_rows);
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->addStretch();
    m_scroll->setObjectName(u"jobsScroll"_s);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // rows wrap their text instead
    m_scroll->setWidget(list);
    // A row's text changing or the width changing changes how tall the rows are.
    list->installEventFilter(this);
    m_scroll->viewport()->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading);
    layout->addWidget(m_scroll);
    hide(); // nothing in progress yet
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (Row& row : m_jobs) {
            if (row.running)
                row.status->setText(statusText(row));
        }
    });
}

QUrl JobsView::topUpUrl()
{
    return QUrl(u"https://www.segmind.com/pricing"_s);
}

void JobsView::addJob(quint64 jobId, const GenerationRequest& request, qint64 estimateMs)
{
    Row row;
    row.widget = new QWidget(this);
    row.widget->setObjectName(u"jobRow_%1"_s.arg(jobId));
    auto* layout = new QHBoxLayout(row.widget);
    layout->setContentsMargins(0, 2, 0, 2);
    auto* title = new QLabel(tr("“%1” · %2 s · seed %3")
                                 .arg(request.prompt.simplified().left(60))
                                 .arg(request.durationSeconds)
                                 .arg(request.seed),
                             row.widget);
    title->setObjectName(u"titleLabel"_s);
    title->setWordWrap(true);
    row.status = new QLabel(row.widget);
    row.status->setObjectName(u"statusLabel"_s);
    row.status->setWordWrap(true);
    row.status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* texts = new QVBoxLayout;
    texts->addWidget(title);
    texts->addWidget(row.status);
    layout->addLayout(texts, 1);
    row.cancel = new QPushButton(tr("Cancel"), row.widget);
    row.cancel->setObjectName(u"cancelButton"_s);
    row.cancel->setAccessibleName(tr("Cancel this take"));
    layout->addWidget(row.cancel);
    connect(row.cancel, &QPushButton::clicked, this, [this, jobId] { emit cancelRequested(jobId); });

    row.request = request;
    row.estimateMs = estimateMs;
    row.clock.start();
    row.status->setText(statusText(row));
    m_rows->insertWidget(0, row.widget);
    m_jobs.insert(jobId, row);
    show();
    m_tick.start();
}

void JobsView::updateJob(quint64 jobId, const JobStatus& status)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->running)
        return;
    it->lastStatus = status;
    it->status->setText(statusText(*it));
}

QString JobsView::statusText(const Row& row) const
{
    const qint64 elapsed = row.clock.elapsed();
    switch (row.lastStatus.phase) {
    case JobPhase::Waiting:
        // Held back by the plan's limit on requests, counting down.
        return row.lastStatus.retryInSeconds > 0
                   ? tr("Waiting for the rate limit, %1 s").arg(row.lastStatus.retryInSeconds)
                   : tr("Waiting…");
    case JobPhase::Sending: return tr("Sending…");
    case JobPhase::Queued: return tr("Queued on Segmind… %1 s").arg(seconds(elapsed));
    case JobPhase::Generating:
        return row.estimateMs > 0 ? tr("Generating… %1 s of about %2 s").arg(seconds(elapsed), seconds(row.estimateMs))
                                  : tr("Generating… %1 s").arg(seconds(elapsed));
    case JobPhase::Receiving: return tr("Receiving the clip… %1 s").arg(seconds(elapsed));
    case JobPhase::RetryWaiting: {
        // The provider reports the countdown every second.
        const QString why = row.lastStatus.lastError.kind == ErrorKind::RateLimited
                                ? tr("Rate limited")
                                : errorKindSummary(row.lastStatus.lastError.kind);
        return tr("%1 — retrying in %2 s (attempt %3 of %4)")
            .arg(why)
            .arg(row.lastStatus.retryInSeconds)
            .arg(row.lastStatus.attempt + 1)
            .arg(row.lastStatus.maxAttempts);
    }
    }
    return {};
}

void JobsView::finishJob(quint64 jobId, const GenerationResult& result)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    if (result.ok() || result.error.kind == ErrorKind::Cancelled) {
        removeRow(jobId);
        return;
    }
    showError(jobId, *it, result.error);
}

void JobsView::showError(quint64 jobId, Row& row, const GenerationError& error)
{
    row.running = false;
    row.cancel->hide();
    row.status->setText(error.toUserText());
    row.widget->setProperty("failed", true);
    Theme::setErrorText(row.status, true);

    auto* layout = static_cast<QHBoxLayout*>(row.widget->layout());
    auto* action = new QPushButton(row.widget);
    action->setObjectName(u"actionButton"_s);
    switch (error.kind) {
    case ErrorKind::Authentication:
        action->setText(tr("Open settings"));
        connect(action, &QPushButton::clicked, this, &JobsView::openSettingsRequested);
        break;
    case ErrorKind::InsufficientCredits:
        action->setText(tr("Top up credits"));
        connect(action, &QPushButton::clicked, this, [] { QDesktopServices::openUrl(topUpUrl()); });
        break;
    case ErrorKind::InvalidInput:
    case ErrorKind::InvalidRequest:
    case ErrorKind::NotFound:
    case ErrorKind::ModelRetired:
        action->setText(tr("Open settings"));
        connect(action, &QPushButton::clicked, this, &JobsView::openSettingsRequested);
        break;
    default: {
        action->setText(tr("Retry"));
        connect(action, &QPushButton::clicked, this, [this, jobId] {
            removeRow(jobId);
            emit retryRequested(jobId);
        });
        break;
    }
    }
    action->setAccessibleName(action->text());
    layout->addWidget(action);
    auto* dismiss = new QPushButton(tr("Dismiss"), row.widget);
    dismiss->setObjectName(u"dismissButton"_s);
    connect(dismiss, &QPushButton::clicked, this, [this, jobId] {
        removeRow(jobId);
        emit dismissed(jobId);
    });
    layout->addWidget(dismiss);
}

void JobsView::removeRow(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    m_rows->removeWidget(it->widget);
    it->widget->hide();
    it->widget->deleteLater(); // its own button may be what asked
    m_jobs.erase(it);
    setVisible(!m_jobs.isEmpty());
    if (runningCount() == 0)
        m_tick.stop();
}

bool JobsView::eventFilter(QObject* watched, QEvent* event)
{
    if ((watched == m_scroll->widget() && event->type() == QEvent::LayoutRequest) ||
        (watched == m_scroll->viewport() && event->type() == QEvent::Resize))
        fitHeight();
    return QWidget::eventFilter(watched, event);
}

void JobsView::fitHeight()
{
    // The newest rows are on top: the list is as tall as the first VisibleRows at the width they have.
    const int width = m_scroll->viewport()->width();
    int height = 0;
    int shown = 0;
    for (int i = 0; i < m_rows->count() && shown < VisibleRows; ++i) {
        const QWidget* row = m_rows->itemAt(i)->widget();
        if (!row)
            continue; // the stretch below the rows
        height += row->hasHeightForWidth() ? row->heightForWidth(width) : row->sizeHint().height();
        ++shown;
    }
    height += m_rows->spacing() * std::max(0, shown - 1);
    m_scroll->setFixedHeight(height + 2 * m_scroll->frameWidth());
}

int JobsView::runningCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const Row& row) { return row.running; }));
}
