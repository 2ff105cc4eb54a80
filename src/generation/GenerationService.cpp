#include "generation/GenerationService.h"

#include "analysis/TakeAnalysis.h"

#include <QFutureWatcher>
#include <QtConcurrent>

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
        // The job counts as running until its take is analysed: its result is not there before.
        auto finish = [this, jobId, job](const GenerationResult& done) {
            m_jobs.remove(jobId);
            job->deleteLater();
            emit jobFinished(jobId, done);
        };
        if (!result.ok()) {
            finish(result);
            return;
        }
        // Tempo, key and loudness go into the library with the take; measuring them is decoding work for the pool.
        auto* analysed = new QFutureWatcher<GenerationResult>(this);
        connect(analysed, &QFutureWatcher<GenerationResult>::finished, this, [analysed, finish] {
            analysed->deleteLater();
            finish(analysed->result());
        });
        analysed->setFuture(QtConcurrent::run([result] {
            GenerationResult measured = result;
            QString why;
            measured.analysis = TakeAnalysis::analyse(result.audio, result.request, result.model, &why);
            if (!measured.analysis)
                qWarning("Could not analyse the take: %s", qPrintable(why));
            return measured;
        }));
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
