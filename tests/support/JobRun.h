#pragma once

#include "model/Provider.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <cstdio>

/// One take made by a provider's job as a test sees it: the result, every status on the way, how long it took, and
/// how often `finished` came (it must come once).
struct JobRun
{
    GenerationResult result;
    QList<JobStatus> statuses;
    qint64 wallMs = 0;
    int finishes = 0;

    /// Starts `job` and waits up to `waitMs` for it to finish, then a moment more for a second `finished`, which
    /// must not come.
    static JobRun of(GenerationJob& job, int waitMs)
    {
        JobRun run;
        QSignalSpy finished(&job, &GenerationJob::finished);
        QObject::connect(&job, &GenerationJob::statusChanged, &job,
                         [&run](const JobStatus& status) { run.statuses.append(status); });
        QElapsedTimer clock;
        clock.start();
        job.start();
        if (!finished.wait(waitMs)) {
            std::fprintf(stderr, "the job did not finish in %d ms\n", waitMs);
            return run;
        }
        run.wallMs = clock.elapsed();
        run.result = finished.constFirst().constFirst().value<GenerationResult>();
        finished.wait(50);
        run.finishes = int(finished.size());
        return run;
    }
};
