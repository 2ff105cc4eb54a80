#pragma once

#include "model/Provider.h"
#include "net/SegmindApi.h"

#include <QUrl>

class NetworkGateway;

/// How the hosted model is reached and how patient the client is.
struct SegmindConfig
{
    QUrl apiBase = QUrl(QString::fromLatin1(SegmindApi::DefaultApiBase));
    QByteArray apiKey;
    int idleTimeoutMs = 60'000;
    int totalTimeoutMs = 300'000;  ///< a cold model can take minutes
    int maxAttempts = 3;           ///< in all, counting the first
    int backoffBaseMs = 1'000;     ///< first wait without Retry-After; doubles each retry, with jitter
    int maxRetryAfterMs = 120'000; ///< a longer Retry-After ends the take instead of waiting
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

/// Segmind's hosted "Meta MusicGen Medium": POST {api-base}/meta-musicgen-medium, audio back. Retries what
/// costs nothing (429, 500, 502, 503, 504, connection failures) and never what is billed or final.
class SegmindProvider final : public Provider
{
    Q_OBJECT

public:
    SegmindProvider(NetworkGateway* gateway, const SegmindConfig& config, QObject* parent = nullptr);

    QString id() const override;
    QString displayName() const override;
    GenerationJob* createJob(const GenerationRequest& request, QObject* parent) override;

    const SegmindConfig& config() const { return m_config; }
    void setConfig(const SegmindConfig& config) { m_config = config; }

    /// GET {api-base}/get-user-credits with the configured key.
    CreditsQuery* queryCredits();

private:
    NetworkGateway* m_gateway;
    SegmindConfig m_config;
};
