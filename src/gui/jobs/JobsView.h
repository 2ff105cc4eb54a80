#pragma once

#include "model/GenerationResult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

/// The takes in flight under an "In progress" heading, one row each: what is happening (waiting, sending,
/// generating with elapsed time and an estimate, "rate limited, retrying in N s") and a Cancel button. A take that
/// fails stays as a row that says what went wrong in a musician's words, with the one action that fixes it.
/// With nothing in progress the area is hidden and takes no room; it grows with its rows up to VisibleRows, then
/// scrolls.
class JobsView final : public QWidget
{
    Q_OBJECT

public:
    /// The rows shown before the list scrolls.
    static constexpr int VisibleRows = 4;

    explicit JobsView(QWidget* parent = nullptr);

    /// A new take has been sent. `estimateMs` is how long takes have been taking lately (0: unknown).
    void addJob(quint64 jobId, const GenerationRequest& request, qint64 estimateMs);
    void updateJob(quint64 jobId, const JobStatus& status);
    /// Success removes the row; a failure turns it into an inline error with its action.
    void finishJob(quint64 jobId, const GenerationResult& result);
    int runningCount() const;

    /// The URL the "Top up credits" action opens.
    static QUrl topUpUrl();

signals:
    void cancelRequested(quint64 jobId);
    /// The failed take `jobId` should be made again (its row is gone).
    void retryRequested(quint64 jobId);
    /// The musician put the failed take `jobId` away.
    void dismissed(quint64 jobId);
    void openSettingsRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Row
    {
        QWidget* widget = nullptr;
        QLabel* status = nullptr;
        QPushButton* cancel = nullptr;
        GenerationRequest request;
        JobStatus lastStatus;
        QElapsedTimer clock;
        qint64 estimateMs = 0;
        bool running = true;
    };
    QString statusText(const Row& row) const;
    void showError(quint64 jobId, Row& row, const GenerationError& error);
    void removeRow(quint64 jobId);
    void fitHeight();

    QScrollArea* m_scroll;
    QVBoxLayout* m_rows;
    QHash<quint64, Row> m_jobs;
    QTimer m_tick;
};
