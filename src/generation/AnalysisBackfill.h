#pragma once

#include "library/LibraryTypes.h"
#include "model/Take.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

class LibraryService;

/// Analyses the takes the library keeps without an analysis of the current version (TakeAnalysis::Version): all
/// takes on the first start after the upgrade, and any a crash left unanalysed. Newest first, one take at a time on
/// a thread of its own at idle priority, so the window never waits for it; each result is kept as it comes
/// (LibraryService::setAnalysis), so a quit loses nothing and the next start goes on with what is left.
class AnalysisBackfill final : public QObject
{
    Q_OBJECT
public:
    /// Takes read from the index at a time.
    static constexpr int BatchSize = 32;

    explicit AnalysisBackfill(LibraryService* library, QObject* parent = nullptr);
    ~AnalysisBackfill() override; ///< waits for the take being analysed, at most one

    /// Counts what is left and starts on it; `finished` follows at once when nothing is. Does nothing while
    /// running, or when the library is read-only (nothing could be kept).
    void start();
    bool isRunning() const { return m_running; }

signals:
    /// `done` of `total` takes analysed since start().
    void progress(int done, int total);
    /// Every take left at start() has been analysed (or could not be read: it stays for the next start).
    void finished(int analysed);

private:
    void next();
    void analyseNext();

    QPointer<LibraryService> m_library;
    QThreadPool m_pool;
    TakeQuery m_query;   ///< the next page of takes left to analyse
    QList<Take> m_batch; ///< read from the index, not yet analysed
    int m_done = 0;
    int m_total = 0;
    bool m_running = false;
};
