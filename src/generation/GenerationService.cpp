#include "generation/GenerationService.h"

#include <QRandomGenerator>

GenerationService::GenerationService(Provider* provider, QObject* parent) : QObject(parent), m_provider(provider)
{
    qRegisterMetaType<GenerationResult>();
    qRegisterMetaType<JobStatus>();
}

void GenerationService::setProvider(Provider* provider)
{
    m_provider = provider;
}

int GenerationService::drawSeed()
{
    return int(QRandomGenerator::global()->bounded(GenerationRequest::MaxSeed + 1));
}

GenerationService::Submission GenerationService::submit(GenerationRequest request)
{
    Submission submission;
    submission.error = validationError(request);
    if (!submission.error.isEmpty() || !m_provider) {
        if (submission.error.isEmpty())
            submission.error = tr("Choose a provider in the settings first.");
        submission.request = request;
        return submission;
    }
    if (request.seed == GenerationRequest::RandomSeed)
        request.seed = drawSeed();
    submission.request = request;
    submission.jobId = follow(m_provider->createJob(request, this));
    return submission;
}

quint64 GenerationService::follow(GenerationJob* job)
{
    const quint64 jobId = m_nextJobId++;
    job->setParent(this);
    m_jobs.insert(jobId, job);
    connect(job, &GenerationJob::statusChanged, this,
            [this, jobId](const JobStatus& status) { emit jobStatusChanged(jobId, status); });
    connect(job, &GenerationJob::finished, this, [this, jobId, job](const GenerationResult& result) {
        m_jobs.remove(jobId);
        job->deleteLater();
        emit jobFinished(jobId, result);
    });
    job->start();
    return jobId;
}

void GenerationService::cancel(quint64 jobId)
{
    if (GenerationJob* job = m_jobs.value(jobId))
        job->cancel();
}

void GenerationService::cancelAll()
{
    const auto jobs = m_jobs.values();
    for (GenerationJob* job : jobs)
        job->cancel();
}
