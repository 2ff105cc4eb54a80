#include "cli/SketchJobs.h"

#include "engine/SketchEngine.h"

#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;

SketchJobs::SketchJobs(std::chrono::milliseconds queueDelay, std::chrono::seconds ttl, QObject* parent)
    : QObject(parent), m_queueDelay(queueDelay), m_ttl(ttl)
{
    m_clock.start();
}

QString SketchJobs::submit(const GenerationRequest& request)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Job job;
    job.id = id;
    job.request = request;
    job.submittedMs = m_clock.elapsed();
    m_jobs.append(job);
    forgetOldJobs();
    // Even without a delay the job starts after this call, so the submit's answer goes out first.
    QTimer::singleShot(m_queueDelay, this, [this, id] { becameReady(id); });
    return id;
}

std::optional<SketchJobs::Job> SketchJobs::find(const QString& id)
{
    forgetOldJobs();
    if (const Job* found = job(id))
        return *found;
    return std::nullopt;
}

QString SketchJobs::stateName(State state)
{
    switch (state) {
    case State::Queued: return u"QUEUED"_s;
    case State::Processing: return u"PROCESSING"_s;
    case State::Completed: return u"COMPLETED"_s;
    }
    Q_UNREACHABLE();
}

QByteArray SketchJobs::render(const GenerationRequest& request)
{
    const std::vector<std::uint8_t> wav =
        engine::renderWav({request.prompt.toStdString(), request.durationSeconds, std::uint32_t(request.seed)});
    return QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
}

SketchJobs::Job* SketchJobs::job(const QString& id)
{
    for (Job& candidate : m_jobs) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

void SketchJobs::becameReady(const QString& id)
{
    if (Job* ready = job(id)) {
        ready->ready = true;
        startRenders();
    }
}

/// Hands the oldest ready jobs to the render threads only while one is free, so a job stays QUEUED until it really
/// starts and a job forgotten meanwhile is never rendered.
void SketchJobs::startRenders()
{
    for (Job& next : m_jobs) {
        if (m_rendering == m_renders.maxThreadCount())
            return;
        if (next.state != State::Queued || !next.ready)
            continue;
        next.state = State::Processing;
        next.startedMs = m_clock.elapsed();
        ++m_rendering;
        m_renders.start([this, id = next.id, request = next.request] {
            const QByteArray wav = render(request);
            QMetaObject::invokeMethod(this, [this, id, wav] { rendered(id, wav); });
        });
    }
}

void SketchJobs::rendered(const QString& id, const QByteArray& wav)
{
    --m_rendering;
    if (Job* done = job(id)) {
        done->state = State::Completed;
        done->finishedMs = m_clock.elapsed();
        done->wav = wav;
        m_audioBytes += wav.size();
        forgetOldJobs();
    }
    startRenders();
}

void SketchJobs::forgetOldJobs()
{
    const qint64 ttlMs = std::chrono::milliseconds(m_ttl).count();
    const auto expired = [&](const Job& oldest) { return m_clock.elapsed() - oldest.submittedMs >= ttlMs; };
    while (!m_jobs.isEmpty() &&
           (m_jobs.size() > MaxJobs || m_audioBytes > MaxAudioBytes || expired(m_jobs.constFirst()))) {
        m_audioBytes -= m_jobs.constFirst().wav.size();
        m_jobs.removeFirst();
    }
}
