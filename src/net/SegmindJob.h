#pragma once

#include "model/Provider.h"
#include "net/NetworkGateway.h"
#include "net/RequestPacer.h"
#include "net/SegmindProvider.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

/// The headers every call to Segmind's API carries: what the app accepts, and the key when there is one. Never sent
/// to an output URL, which is on another host.
HttpHeaders segmindHeaders(const QByteArray& apiKey);
/// The error a failed exchange (no complete answer) stands for.
GenerationError errorFromTransport(const HttpResponse& response);
/// The error a complete non-200 answer stands for, with the key masked in the server's words.
GenerationError errorFromStatus(const HttpResponse& response, const QByteArray& secret);

/// One take from Segmind, through the v2 queue or the v1 call (SegmindConfig::transport).
///
/// v2: POST the request to the queue; poll GET /v2/requests/{id}/status, every second at first and less often as
/// the wait grows; GET the result; download the audio from its output URL **without the API key** (a public URL on
/// another host); check it is audio, as v1's answer is checked. v1: POST and the audio comes back in the answer.
/// Auto falls back to v1 when the queue's submit answers 404 or 405, and the provider remembers that per API base.
///
/// A POST is retried only when it certainly was not accepted (no answer at all, a 5xx or a 429), since every POST
/// is a new billable job; a GET is always safe to retry, within the take's deadline. A 429 waits for the later of
/// Retry-After and x-rate-limit-reset-at-utc; a wait past SegmindConfig::maxRetryAfterMs or the deadline ends the
/// take at once, saying when the limit resets. The result carries the server's cost, credits and request id.
class SegmindJob final : public GenerationJob
{
    Q_OBJECT

public:
    /// `v1Only` is the provider's memory of API bases without a queue, and `pacer` the plan's limit for the key:
    /// both are shared by the provider's jobs.
    SegmindJob(NetworkGateway* gateway, const SegmindConfig& config, const GenerationRequest& request,
               std::shared_ptr<QSet<QString>> v1Only, std::shared_ptr<RequestPacer> pacer, QObject* parent);

    void start() override;
    void cancel() override;
    /// Before start(): follow request `requestId`, which the queue accepted earlier (perhaps in another process
    /// that was stopped), instead of submitting: nothing is POSTed, so nothing is billed twice. With its
    /// `outputUrl` already known, the audio is downloaded from there at once (it outlives the request's record).
    void resumeFrom(const QString& requestId, const QUrl& outputUrl = {});

    /// How long to wait before asking the queue again after waiting `waitedMs` in all: 1x the poll interval for the
    /// first 30 s, 2x until two minutes, 5x after (long queues are asked less often).
    static int pollDelayMs(int pollIntervalMs, qint64 waitedMs);

private:
    using Handler = void (SegmindJob::*)(const HttpResponse&);

    /// Sends `request` as the job's one exchange in flight, reporting `phase`; `handler` gets its answer. Only an
    /// answer that carries audio (`audio`) reports its download.
    void call(const HttpRequest& request, Handler handler, JobPhase phase, bool audio = false);
    HttpRequest apiRequest(const QByteArray& method, const QUrl& url) const;

    /// Sends `post` when the plan's limit lets it go (RequestPacer), waiting meanwhile with a countdown.
    void whenPaced(void (SegmindJob::*post)());
    void postV1();
    void sendV1();
    void onV1Reply(const HttpResponse& response);
    void submit();
    void sendSubmit();
    void onSubmitted(const HttpResponse& response);
    void pollStatus();
    void onStatus(const HttpResponse& response);
    void fetchResult();
    void onResult(const HttpResponse& response);
    void fetchAudio();
    void onAudio(const HttpResponse& response);

    /// Handles what every answer may be: a failed exchange, a 429 or a 5xx. A POST is retried only when it was
    /// certainly not accepted and only as far as maxAttempts allows; a GET until the deadline. Returns true when it
    /// scheduled another try.
    bool retryIfWorthIt(const HttpResponse& response, bool isPost, void (SegmindJob::*again)());
    /// Runs `again` after `waitMs`, counting down for the window; false (and nothing scheduled) when the wait does
    /// not fit the deadline.
    bool retryLater(const GenerationError& error, qint64 waitMs, void (SegmindJob::*again)());
    /// The pause before the next try when the server named none: exponential with jitter.
    qint64 backoffMs(int retry) const;
    void readReplyFacts(const HttpResponse& response);

    void probeAudio(const QByteArray& body);
    void onProbed();
    void onRetryTick();
    void onDeadline();
    void report(JobPhase phase);
    void finish(GenerationError error);

    /// What AudioCodec::probe() said about a body.
    struct ProbeOutcome
    {
        std::optional<AudioInfo> info;
        QString whyNot;
    };

    NetworkGateway* m_gateway;
    SegmindConfig m_config;
    std::shared_ptr<QSet<QString>> m_v1Only;
    std::shared_ptr<RequestPacer> m_pacer;
    GenerationResult m_result;
    JobStatus m_status;
    QElapsedTimer m_clock;
    QElapsedTimer m_queueClock;
    QTimer m_deadline;
    QTimer m_retryTick;
    QTimer m_pollTimer;
    qint64 m_retryAt = 0;
    int m_getRetries = 0;                     ///< failed GETs in a row
    JobPhase m_queuePhase = JobPhase::Queued; ///< what the queue last said: Queued or Generating
    QUrl m_audioUrl;
    QString m_giveUpNote;
    HttpCall* m_call = nullptr;
    QFutureWatcher<ProbeOutcome>* m_probe = nullptr;
    bool m_cancelling = false;
    bool m_pacing = false; ///< waiting for the plan's limit rather than for a retry
    bool m_deadlinePassed = false;
    bool m_finished = false;
};
