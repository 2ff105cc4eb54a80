#include "generation/Session.h"

#include "generation/GenerationService.h"
#include "generation/Providers.h"
#include "library/LibraryService.h"
#include "net/SegmindProvider.h"
#include "platform/KeyStore.h"
#include "platform/Settings.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Testing a key should answer quickly: a musician is waiting in the settings dialog.
constexpr int TestKeyIdleTimeoutMs = 15'000;

} // namespace

Session::Session(Settings* settings, LibraryService* library, NetworkGateway* gateway, KeyStore* keyStore,
                 QObject* parent)
    : QObject(parent), m_settings(settings), m_library(library), m_gateway(gateway), m_keyStore(keyStore),
      m_providers(new Providers(gateway, this)), m_pending(library->rootDir()),
      m_apiKey(qgetenv("SEGMIND_API_KEY").trimmed())
{
    m_providers->configure(*m_settings, m_apiKey);
    m_service = new GenerationService(m_providers->current(), this);
    connect(m_service, &GenerationService::jobStatusChanged, this, &Session::onJobStatus);
    connect(m_service, &GenerationService::jobFinished, this, &Session::onJobFinished);
    loadRecentTimes();

    if (m_keyStore) {
        connect(m_keyStore, &KeyStore::unavailable, this, [this](const QString& message) {
            m_keychainMessage = message;
            emit keychainUnavailable(message);
        });
        // The environment overrides the keychain; without it, the stored key arrives a moment after start.
        if (m_apiKey.isEmpty()) {
            connect(m_keyStore, &KeyStore::loaded, this, [this](const QByteArray& key) {
                if (!key.isEmpty() && m_apiKey.isEmpty())
                    useApiKey(key);
            });
            m_keyStore->load();
        }
    }
    // Queued, so that the window is listening when the resumed takes start; the keychain's key comes later.
    QMetaObject::invokeMethod(this, &Session::resumePending, Qt::QueuedConnection);
}

Session::~Session()
{
    m_service->cancelAll();
}

Session::Click Session::generate(const GenerationRequest& request, int takes, bool freshSeeds)
{
    Click click;
    if (click.error = validationError(request); !click.error.isEmpty())
        return click;
    if (!freshSeeds && request.seed != GenerationRequest::RandomSeed)
        click.seeds.append(request.seed);
    while (click.seeds.size() < std::max(1, takes)) {
        const int seed = GenerationService::drawSeed();
        if (!click.seeds.contains(seed))
            click.seeds.append(seed);
    }
    GenerationRequest take = request;
    for (const int seed : std::as_const(click.seeds)) {
        take.seed = seed;
        if (const quint64 jobId = submit(take, {}))
            click.jobIds.append(jobId);
    }
    return click;
}

quint64 Session::makeAgain(const Take& take, bool newSeed)
{
    GenerationRequest request = take.request();
    if (newSeed)
        request.seed = GenerationService::drawSeed();
    return submit(request, take.id);
}

quint64 Session::retry(quint64 jobId)
{
    const auto job = m_jobs.constFind(jobId);
    if (job == m_jobs.cend())
        return 0;
    const Job again = *job;
    m_jobs.erase(job);
    // A request Segmind accepted is followed again, never sent again: every submit is billed.
    if (const auto noted = m_pending.find(again.requestId)) {
        if (std::unique_ptr<PendingTakes::Claim> claim = m_pending.claim(noted->requestId))
            return follow(*noted, std::move(claim));
    }
    return submit(again.request, again.parentId);
}

void Session::cancel(quint64 jobId)
{
    m_service->cancel(jobId);
}

void Session::dismiss(quint64 jobId)
{
    m_jobs.remove(jobId);
}

quint64 Session::submit(const GenerationRequest& request, const QString& parentId)
{
    const GenerationService::Submission submission = m_service->submit(request);
    if (!submission.accepted()) {
        emit notice(submission.error);
        return 0;
    }
    m_jobs.insert(submission.jobId, Job{submission.request, parentId, {}, false});
    emit jobStarted(submission.jobId, submission.request, estimateMs());
    return submission.jobId;
}

void Session::onJobStatus(quint64 jobId, const JobStatus& status)
{
    const auto job = m_jobs.find(jobId);
    if (job != m_jobs.end() && !job->requestId.isEmpty() && !status.outputUrl.isEmpty() && !job->outputNoted)
        job->outputNoted = m_pending.noteOutput(job->requestId, status.outputUrl);
    if (job != m_jobs.end() && job->requestId.isEmpty() && !status.requestId.isEmpty()) {
        job->requestId = status.requestId;
        PendingTake pending;
        pending.requestId = status.requestId;
        pending.request = job->request;
        pending.apiBase = m_providers->segmind()->config().apiBase;
        pending.submitted = QDateTime::currentDateTimeUtc();
        pending.parentId = job->parentId;
        QString error;
        if (m_pending.add(pending, &error))
            m_claims[jobId] = m_pending.claim(status.requestId);
        else
            emit notice(tr("Request %1 could not be noted for resuming after a quit: %2").arg(status.requestId, error));
    }
    emit jobStatusChanged(jobId, status);
}

void Session::resumePending()
{
    if (m_resumed || m_providers->segmind()->config().apiKey.isEmpty())
        return;
    m_resumed = true;
    const QList<PendingTake> takes = m_pending.all();
    for (const PendingTake& take : takes) {
        // Another process (musicgen-cli resume, another window) may be following it.
        if (std::unique_ptr<PendingTakes::Claim> claim = m_pending.claim(take.requestId))
            follow(take, std::move(claim));
    }
}

quint64 Session::follow(const PendingTake& take, std::unique_ptr<PendingTakes::Claim> claim)
{
    const quint64 jobId = m_service->follow(
        m_providers->segmind()->resumeJob(take.request, take.requestId, take.apiBase, take.outputUrl, this));
    m_jobs.insert(jobId, Job{take.request, take.parentId, take.requestId, !take.outputUrl.isEmpty()});
    m_claims[jobId] = std::move(claim);
    emit jobStarted(jobId, take.request, estimateMs());
    return jobId;
}

void Session::onJobFinished(quint64 jobId, const GenerationResult& result)
{
    // A take kept, or over on Segmind's side, needs no note; one that may still come keeps it for the next session.
    const QString requestId = m_jobs.value(jobId).requestId;
    if (result.ok() || PendingTakes::isOver(result.error))
        m_pending.remove(requestId);
    m_claims.erase(jobId);
    if (result.remainingCredits) {
        m_credits = result.remainingCredits;
        emit creditsChanged(*m_credits);
    }
    if (result.ok()) {
        const Job job = m_jobs.take(jobId);
        if (result.providerId == "segmind"_L1) {
            // What the server said the take cost; the estimate only when it did not say.
            m_spend += result.cost.value_or(m_settings->costPerTake());
            emit spendChanged(m_spend);
        }
        m_recentMs.prepend(result.elapsedMs);
        if (m_recentMs.size() > RecentTakesForEstimate)
            m_recentMs.removeLast();
        m_library->add(result, job.parentId);
    } else if (result.error.kind == ErrorKind::Cancelled) {
        m_jobs.remove(jobId);
    }
    emit jobFinished(jobId, result);
}

std::optional<GenerationRequest> Session::requestOf(quint64 jobId) const
{
    const auto job = m_jobs.constFind(jobId);
    return job == m_jobs.cend() ? std::nullopt : std::optional(job->request);
}

qint64 Session::estimateMs() const
{
    if (m_recentMs.isEmpty())
        return isOffline() ? 0 : HostedEstimateMs;
    QList<qint64> sorted = m_recentMs;
    std::sort(sorted.begin(), sorted.end());
    return sorted.at(sorted.size() / 2);
}

void Session::loadRecentTimes()
{
    TakeQuery recent;
    recent.limit = RecentTakesForEstimate;
    recent.provider = isOffline() ? u"offline"_s : u"segmind"_s;
    m_recentMs.clear();
    for (const Take& take : m_library->takes(recent))
        m_recentMs.append(take.generationMs);
}

QString Session::providerName() const
{
    return m_providers->current() ? m_providers->current()->displayName() : QString();
}

bool Session::isOffline() const
{
    return m_providers->isOffline();
}

QString Session::offlineReason() const
{
    return m_providers->offlineReason();
}

void Session::useApiKey(const QByteArray& key)
{
    m_apiKey = key.trimmed();
    m_credits.reset();
    applySettings();
    emit apiKeyChanged();
    refreshCredits();
    resumePending();
}

void Session::saveApiKey(const QByteArray& key)
{
    useApiKey(key);
    if (m_keyStore)
        m_keyStore->save(m_apiKey);
}

CreditsQuery* Session::testKey(const QByteArray& key)
{
    SegmindConfig config = Providers::segmindConfig(*m_settings, key.trimmed());
    config.idleTimeoutMs = TestKeyIdleTimeoutMs;
    auto* provider = new SegmindProvider(m_gateway, config, this);
    CreditsQuery* query = provider->queryCredits();
    connect(query, &QObject::destroyed, provider, &QObject::deleteLater);
    return query;
}

void Session::applySettings()
{
    const bool wasOffline = isOffline();
    m_providers->configure(*m_settings, m_apiKey);
    m_service->setProvider(m_providers->current());
    m_library->setOptions(libraryOptionsFrom(*m_settings));
    if (isOffline() != wasOffline)
        loadRecentTimes();
    emit providerChanged();
}

void Session::refreshCredits()
{
    SegmindProvider* hosted = m_providers->hosted();
    if (!hosted || m_apiKey.isEmpty())
        return;
    CreditsQuery* query = hosted->queryCredits();
    connect(query, &CreditsQuery::finished, this, [this](const CreditsResult& result) {
        if (result.credits) {
            m_credits = result.credits->credits;
            emit creditsChanged(*m_credits);
        }
    });
}
