#pragma once

#include "model/Provider.h"

#include <QHash>
#include <QObject>
#include <QPointer>

/// The one entry point for making takes, shared by the window and the command line. It validates requests,
/// draws a seed for -1, runs any number of takes at once through the current provider and reports each one
/// by its job id.
class GenerationService final : public QObject
{
    Q_OBJECT

public:
    explicit GenerationService(Provider* provider, QObject* parent = nullptr);

    Provider* provider() const { return m_provider; }
    /// Later takes use `provider`; running ones finish where they started.
    void setProvider(Provider* provider);

    struct Submission
    {
        quint64 jobId = 0;         ///< 0 when the request was rejected
        GenerationRequest request; ///< as it will be sent, with the seed drawn
        QString error;             ///< why it was rejected: nothing was sent
        bool accepted() const { return jobId != 0; }
    };

    /// Validates `request` and starts it. Signals for the job follow from the event loop.
    Submission submit(GenerationRequest request);
    /// Runs `job`, made elsewhere (a take resumed from Segmind's queue), like a submitted one: takes it over, starts
    /// it and returns its job id.
    quint64 follow(GenerationJob* job);
    void cancel(quint64 jobId);
    void cancelAll();
    int runningCount() const { return int(m_jobs.size()); }

    /// A seed in 0…9999 for a request that asked for -1.
    static int drawSeed();

signals:
    void jobStatusChanged(quint64 jobId, const JobStatus& status);
    void jobFinished(quint64 jobId, const GenerationResult& result);

private:
    QPointer<Provider> m_provider;
    QHash<quint64, GenerationJob*> m_jobs;
    quint64 m_nextJobId = 1;
};
