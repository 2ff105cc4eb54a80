#include "gui/jobs/JobsView.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString seconds(qint64 ms)
{
    return QString::number((ms + 500) / 1000);
}

} // namespace

JobsView::JobsView(QWidget* parent)
    : QWidget(parent), m_rows(new QVBoxLayout),
      m_empty(new QLabel(tr("Takes you generate show here while they are made."), this))
{
    setObjectName(u"jobsView"_s);
    setAccessibleName(tr("Takes in progress"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_empty->setEnabled(false);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);
    layout->addLayout(m_rows);
    layout->addStretch();
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
    m_empty->hide();
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
    row.status->setStyleSheet(u"color: palette(link-visited);"_s);

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
    it->widget->deleteLater();
    m_jobs.erase(it);
    m_empty->setVisible(m_jobs.isEmpty());
    if (runningCount() == 0)
        m_tick.stop();
}

int JobsView::runningCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const Row& row) { return row.running; }));
}
