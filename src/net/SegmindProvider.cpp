#include "net/SegmindProvider.h"

#include "net/NetworkGateway.h"
#include "net/RequestPacer.h"
#include "net/SegmindJob.h"

using namespace Qt::StringLiterals;

SegmindProvider::SegmindProvider(NetworkGateway* gateway, const SegmindConfig& config, QObject* parent)
    : Provider(parent), m_gateway(gateway), m_config(config),
      m_pacer(std::make_shared<RequestPacer>(config.requestsPerWindow, std::chrono::milliseconds(config.rateWindowMs)))
{
}

void SegmindProvider::setConfig(const SegmindConfig& config)
{
    // Another key is another account's limit; the same key keeps the requests it has made.
    const bool sameLimit = config.apiKey == m_config.apiKey && config.requestsPerWindow == m_config.requestsPerWindow &&
                           config.rateWindowMs == m_config.rateWindowMs;
    m_config = config;
    if (!sameLimit)
        m_pacer =
            std::make_shared<RequestPacer>(config.requestsPerWindow, std::chrono::milliseconds(config.rateWindowMs));
}

QString SegmindProvider::id() const
{
    return u"segmind"_s;
}

QString SegmindProvider::displayName() const
{
    return tr("Segmind · Meta MusicGen Medium");
}

GenerationJob* SegmindProvider::createJob(const GenerationRequest& request, QObject* parent)
{
    return new SegmindJob(m_gateway, m_config, request, m_v1Only, m_pacer, parent);
}

GenerationJob* SegmindProvider::resumeJob(const GenerationRequest& request, const QString& requestId,
                                          const QUrl& apiBase, const QUrl& outputUrl, QObject* parent)
{
    SegmindConfig config = m_config;
    config.apiBase = apiBase;
    auto* job = new SegmindJob(m_gateway, config, request, m_v1Only, m_pacer, parent);
    job->resumeFrom(requestId, outputUrl);
    return job;
}

CreditsQuery* SegmindProvider::queryCredits()
{
    auto* query = new CreditsQuery(this);
    HttpRequest request;
    request.url = SegmindApi::creditsUrl(m_config.apiBase);
    request.headers = segmindHeaders(m_config.apiKey);
    request.secret = m_config.apiKey;
    request.idleTimeoutMs = m_config.idleTimeoutMs;
    request.maxBodyBytes = 1024 * 1024;
    HttpCall* call = m_gateway->send(request);
    connect(call, &HttpCall::finished, query, [this, query](const HttpResponse& response) {
        CreditsResult result;
        if (response.failure != HttpResponse::Failure::None) {
            result.error = errorFromTransport(response);
        } else if (response.status != 200) {
            result.error = errorFromStatus(response, m_config.apiKey);
        } else {
            result.credits = SegmindApi::parseCreditsBody(response.body);
            if (!result.credits) {
                result.error.kind = ErrorKind::Server;
                result.error.httpStatus = 200;
                result.error.detail = tr("the balance could not be read from the reply");
            }
        }
        emit query->finished(result);
        query->deleteLater();
    });
    return query;
}
