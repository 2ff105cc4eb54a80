#pragma once

#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <vector>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class SketchJobs;

/// The offline sketch engine behind Segmind's two contracts, so the app, curl, Segmind's SDK or the documentation's
/// Python example can point at it unchanged.
///
/// v1 (blocking): POST /v1/meta-musicgen-medium answers audio/wav with Segmind's x-cost, x-request-id,
/// x-seed-value, x-remaining-credits and x-generation-time headers; GET /v1/get-user-credits answers a balance.
///
/// v2 (queue): POST /v2/meta-musicgen-medium answers {request_id, status: QUEUED, poll_url, status_url,
/// response_url} at once and renders in the background (SketchJobs); GET /v2/requests/{id}/status answers the
/// status, GET /v2/requests/{id} the status and, once COMPLETED, the output URL and metrics; GET
/// /v2/outputs/{id}.wav answers the audio. The URLs it gives out start with the address the client used (its Host
/// header), so they work behind any port or name.
///
/// Every endpoint but the output wants an x-api-key (401 without one, in Segmind's words), invalid parameters get
/// a 400 with {"error"}, an unknown or forgotten job a 404 {"error": "Request <id> not found"}, another method on
/// a known path a 405 with Allow, and any other path a 404. Requests over the limits of GuardedTcpServer are
/// refused before they are read (413, 431); each connection carries one request.
class SketchServer final : public QObject
{
    Q_OBJECT

public:
    /// `queueDelay` keeps each v2 job QUEUED at least that long; `jobTtl` is how long a v2 job is known.
    SketchServer(std::chrono::milliseconds queueDelay, std::chrono::seconds jobTtl, QObject* parent = nullptr);
    ~SketchServer() override;

    /// Listens on `address` through a GuardedTcpServer; port 0 picks a free one. Returns the port, 0 on failure.
    quint16 listen(const QHostAddress& address, quint16 port);
    /// "http://address:port" once listening.
    QString url() const { return m_url; }

signals:
    /// A request was answered, or refused (for the idle timer of `musicgen-cli serve`).
    void requestServed();

private:
    struct Endpoint;

    QHttpServerResponse answer(const QHttpServerRequest& request);
    QHttpServerResponse submit(const QHttpServerRequest& request);
    QHttpServerResponse status(const QString& id);
    QHttpServerResponse result(const QHttpServerRequest& request, const QString& id);
    QHttpServerResponse output(const QString& id);
    /// "http://host:port" as the client addressed this server.
    QString baseUrl(const QHttpServerRequest& request) const;

    QHttpServer* m_server;
    SketchJobs* m_jobs;
    std::vector<Endpoint> m_endpoints;
    QString m_url; ///< also the base for a request without a usable Host header
};
