#include "generation/AnalysisBackfill.h"

#include "analysis/TakeAnalysis.h"
#include "library/LibraryService.h"
#include "platform/AtomicFile.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace {

struct Outcome
{
    bool readable = false;                 ///< the audio file could be read
    std::optional<MusicAnalysis> analysis; ///< nothing: the audio did not decode
};

} // namespace

AnalysisBackfill::AnalysisBackfill(LibraryService* library, QObject* parent) : QObject(parent), m_library(library)
{
    // One take at a time, on a thread that gets the CPU only when nothing else wants it.
    m_pool.setMaxThreadCount(1);
    m_pool.setThreadPriority(QThread::IdlePriority);
}

AnalysisBackfill::~AnalysisBackfill()
{
    m_pool.waitForDone();
}

void AnalysisBackfill::start()
{
    if (m_running || !m_library || !m_library->isOpen() || m_library->openReport().readOnly)
        return;
    m_query = TakeQuery{};
    m_query.analysedBefore = TakeAnalysis::Version;
    m_query.limit = BatchSize;
    TakeQuery trash = m_query;
    trash.trashed = true;
    m_total = std::max(0, m_library->count(m_query)) + std::max(0, m_library->count(trash));
    m_done = 0;
    m_batch.clear();
    m_running = true;
    next();
}

void AnalysisBackfill::next()
{
    if (m_batch.isEmpty()) {
        // Keyset paging: takes analysed meanwhile leave the set without moving the pages still to read.
        m_batch = m_library ? m_library->takes(m_query) : QList<Take>{};
        if (m_batch.isEmpty() && !m_query.trashed && m_library) {
            m_query.trashed = true;
            m_query.olderThanId.clear();
            m_batch = m_library->takes(m_query);
        }
        if (m_batch.isEmpty()) {
            m_running = false;
            emit finished(m_done);
            return;
        }
        m_query.olderThan = m_batch.last().created;
        m_query.olderThanId = m_batch.last().id;
    }
    analyseNext();
}

void AnalysisBackfill::analyseNext()
{
    const Take take = m_batch.takeFirst();
    const QString path = m_library->audioPath(take);
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, take] {
        watcher->deleteLater();
        const Outcome outcome = watcher->result();
        // Audio that does not decode is kept as analysed with nothing found, so it is not tried on every start;
        // audio that cannot be read now is left for the next start.
        if (outcome.readable && m_library) {
            MusicAnalysis nothingFound;
            nothingFound.version = TakeAnalysis::Version;
            m_library->setAnalysis(take.id, outcome.analysis.value_or(nothingFound));
        }
        ++m_done;
        emit progress(m_done, m_total);
        next();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path, take] {
        Outcome outcome;
        const std::optional<QByteArray> audio = AtomicFile::read(path);
        outcome.readable = audio.has_value();
        if (audio)
            outcome.analysis = TakeAnalysis::analyse(*audio, take.request(), take.model);
        return outcome;
    }));
}
