#pragma once

#include "model/Provider.h"
#include "net/SegmindApi.h"

#include <QSet>
#include <QUrl>

#include <memory>

class NetworkGateway;
class RequestPacer;

/// How a take is asked for.
enum class SegmindTransport
{
    Auto, ///< the v2 queue, or v1 where the queue's submit answers 404 or 405 (remembered per API base)
    V2,   ///< the v2 queue: submit, poll the status, fetch the result, download the audio
    V1,   ///< the blocking v1 call: the audio comes back in the answer
};

/// How the hosted model is reached and how patient the client is.
struct SegmindConfig
{
    QUrl apiBase = QUrl(QString::fromLatin1(SegmindApi::DefaultApiBase));
    QByteArray apiKey;
    SegmindTransport transport = SegmindTransport::Auto;
    int idleTimeoutMs = 60'000;
    int totalTimeoutMs = 300'000;  ///< a cold model can take minutes
    int maxAttempts = 3;           ///< in all, counting the first
    int backoffBaseMs = 1'000;     ///< first wait without Retry-After; doubles each retry, with jitter
    int maxRetryAfterMs = 120'000; ///< a longer wait asked for by a 429 or 503 ends the take instead
    /// The queue's status is asked this often at first, less often the longer a take waits (see SegmindJob).
    int pollIntervalMs = 1'000;
    /// The plan's limit on generation requests (Segmind's free plan: 5 a minute), kept on this side by RequestPacer
    /// so that parallel takes wait their turn instead of meeting 429s; 0: no limit.
    int requestsPerWindow = 5;
    int rateWindowMs = 60'000;
};

/// The result of asking for the account's balance.
struct CreditsResult
{
    std::optional<SegmindApi::Credits> credits;
    GenerationError error;
};

/// A running balance query; emits `finished` once, then deletes itself.
class CreditsQuery final : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

signals:
    void finished(const CreditsResult& result);
};

/// Segmind's hosted "Meta MusicGen Medium", through its v2 queue or its blocking v1 call (SegmindJob). Retries
/// what costs nothing and never a request that may have been accepted: every POST is a new billable job.
class SegmindProvider final : public Provider
{
    Q_OBJECT

public:
    SegmindProvider(NetworkGateway* gateway, const SegmindConfig& config, QObject* parent = nullptr);

    QString id() const override;
    QString displayName() const override;
    GenerationJob* createJob(const GenerationRequest& request, QObject* parent) override;
    /// A job that follows request `requestId`, accepted by the queue at `apiBase` earlier, to its end without
    /// submitting again; straight from `outputUrl` when the audio's place is known already.
    GenerationJob* resumeJob(const GenerationRequest& request, const QString& requestId, const QUrl& apiBase,
                             const QUrl& outputUrl, QObject* parent);

    const SegmindConfig& config() const { return m_config; }
    void setConfig(const SegmindConfig& config);

    /// GET {api-base}/get-user-credits with the configured key.
    CreditsQuery* queryCredits();

private:
    NetworkGateway* m_gateway;
    SegmindConfig m_config;
    /// API bases whose queue answered a submit with 404 or 405: Auto asks them with v1 from then on.
    std::shared_ptr<QSet<QString>> m_v1Only = std::make_shared<QSet<QString>>();
    /// The plan's limit for the configured key, shared by its jobs; made anew when the key or the limit changes.
    std::shared_ptr<RequestPacer> m_pacer;
};
