#include "net/SegmindJob.h"

#include "audio/AudioCodec.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr auto AcceptHeader = "audio/wav, audio/x-wav, audio/mpeg, audio/flac, audio/ogg;q=0.9, audio/*;q=0.8, "
                              "application/json;q=0.5";

/// A request whose record or audio Segmind no longer gives out. Neither the endpoint nor the key is at fault, so the
/// error must not send the musician to the settings: only a new take brings the clip.
GenerationError goneError(int httpStatus, const QString& what)
{
    GenerationError error;
    error.kind = ErrorKind::Server;
    error.httpStatus = httpStatus;
    error.detail = what;
    error.advice = QCoreApplication::translate("SegmindJob", "make the take again");
    return error;
}

GenerationError expiredError(const QString& requestId)
{
    return goneError(404, QCoreApplication::translate(
                              "SegmindJob", "request %1 expired on Segmind's side before its result was fetched")
                              .arg(requestId));
}

} // namespace

HttpHeaders segmindHeaders(const QByteArray& apiKey)
{
    HttpHeaders headers{{QByteArrayLiteral("Accept"), QByteArray(AcceptHeader)}};
    if (!apiKey.isEmpty())
        headers.append({QByteArrayLiteral("x-api-key"), apiKey});
    return headers;
}

GenerationError errorFromTransport(const HttpResponse& response)
{
    using Failure = HttpResponse::Failure;
    GenerationError error;
    error.detail = response.failureText;
    switch (response.failure) {
    case Failure::None: break;
    case Failure::Cancelled: error.kind = ErrorKind::Cancelled; break;
    case Failure::Timeout: error.kind = ErrorKind::Timeout; break;
    case Failure::TooLarge: error.kind = ErrorKind::BadAudio; break;
    case Failure::Redirect:
        error.kind = ErrorKind::Server;
        error.httpStatus = response.status;
        error.advice = QCoreApplication::translate("Errors", "check the API base URL: the endpoint may have moved");
        break;
    case Failure::Network:
    case Failure::Truncated: error.kind = ErrorKind::Network; break;
    }
    return error;
}

GenerationError errorFromStatus(const HttpResponse& response, const QByteArray& secret)
{
    GenerationError error = SegmindApi::classifyError(response.status, response.body);
    error.serverMessage = redactSecret(error.serverMessage, secret);
    return error;
}

SegmindJob::SegmindJob(NetworkGateway* gateway, const SegmindConfig& config, const GenerationRequest& request,
                       std::shared_ptr<QSet<QString>> v1Only, std::shared_ptr<RequestPacer> pacer, QObject* parent)
    : GenerationJob(parent), m_gateway(gateway), m_config(config), m_v1Only(std::move(v1Only)),
      m_pacer(std::move(pacer))
{
    m_result.request = request;
    m_result.providerId = u"segmind"_s;
    m_result.model = QString::fromLatin1(SegmindApi::ModelSlug);
    m_result.endpoint = SegmindApi::generateUrl(config.apiBase).toString();
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &SegmindJob::onDeadline);
    m_retryTick.setInterval(1000);
    connect(&m_retryTick, &QTimer::timeout, this, &SegmindJob::onRetryTick);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &SegmindJob::pollStatus);
}

int SegmindJob::pollDelayMs(int pollIntervalMs, qint64 waitedMs)
{
    return waitedMs < 30'000 ? pollIntervalMs : waitedMs < 120'000 ? 2 * pollIntervalMs : 5 * pollIntervalMs;
}

void SegmindJob::start()
{
    m_clock.start();
    if (m_config.apiKey.isEmpty()) {
        // Nothing is sent without a key: the answer would only be a 401.
        GenerationError error;
        error.kind = ErrorKind::Authentication;
        error.detail = tr("no API key is set");
        QTimer::singleShot(0, this, [this, error] { finish(error); });
        return;
    }
    m_deadline.start(m_config.totalTimeoutMs);
    if (!m_result.requestId.isEmpty()) {
        m_result.endpoint = SegmindApi::submitUrl(m_config.apiBase).toString();
        m_queueClock.start();
        QTimer::singleShot(0, this, m_audioUrl.isEmpty() ? &SegmindJob::pollStatus : &SegmindJob::fetchAudio);
        return;
    }
    const bool queue = m_config.transport == SegmindTransport::V2 || (m_config.transport == SegmindTransport::Auto &&
                                                                      !m_v1Only->contains(m_config.apiBase.toString()));
    // Queued so that callers connect and see every signal, and `finished` never comes from start().
    QTimer::singleShot(0, this, queue ? &SegmindJob::submit : &SegmindJob::postV1);
}

void SegmindJob::resumeFrom(const QString& requestId, const QUrl& outputUrl)
{
    m_result.requestId = requestId;
    m_status.requestId = requestId;
    m_audioUrl = outputUrl;
}

void SegmindJob::cancel()
{
    if (m_finished || m_cancelling)
        return;
    m_cancelling = true;
    m_retryTick.stop();
    m_pollTimer.stop();
    m_deadline.stop();
    if (m_call) {
        m_call->disconnect(this);
        m_call->abort();
        m_call = nullptr;
    }
    // The probe cannot be stopped; without its watcher its outcome reaches nobody.
    delete m_probe;
    m_probe = nullptr;
    GenerationError error;
    error.kind = ErrorKind::Cancelled;
    QTimer::singleShot(0, this, [this, error] { finish(error); });
}

HttpRequest SegmindJob::apiRequest(const QByteArray& method, const QUrl& url) const
{
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.headers = segmindHeaders(m_config.apiKey);
    request.secret = m_config.apiKey;
    request.idleTimeoutMs = m_config.idleTimeoutMs;
    request.maxBodyBytes = SegmindApi::MaxResponseBytes; // a result may carry its audio inline
    if (method == "POST") {
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        request.body = SegmindApi::generateBody(m_result.request);
    }
    return request;
}

void SegmindJob::call(const HttpRequest& request, Handler handler, JobPhase phase, bool audio)
{
    if (m_finished || m_cancelling)
        return;
    m_call = m_gateway->send(request);
    if (audio) {
        connect(m_call, &HttpCall::downloadProgress, this, [this](qint64 received, qint64 total) {
            if (received > 0) {
                m_status.bytesReceived = received;
                m_status.bytesTotal = total;
                report(JobPhase::Receiving);
            }
        });
    }
    connect(m_call, &HttpCall::finished, this, [this, handler](const HttpResponse& response) {
        m_call = nullptr;
        (this->*handler)(response);
    });
    report(phase);
}

void SegmindJob::whenPaced(void (SegmindJob::*post)())
{
    const qint64 waitMs = m_pacer ? m_pacer->reserve().count() : 0;
    if (waitMs <= 0) {
        (this->*post)();
        return;
    }
    if (m_clock.elapsed() + waitMs >= m_config.totalTimeoutMs) {
        GenerationError error;
        error.kind = ErrorKind::RateLimited;
        error.detail = tr("the plan allows %1 requests every %2 s, and this take's turn would come after its deadline")
                           .arg(m_config.requestsPerWindow)
                           .arg(m_config.rateWindowMs / 1000);
        finish(error);
        return;
    }
    m_pacing = true;
    m_retryAt = m_clock.elapsed() + waitMs;
    QTimer::singleShot(waitMs, this, [this, post] {
        m_retryTick.stop();
        m_pacing = false;
        if (!m_finished && !m_cancelling)
            (this->*post)();
    });
    m_retryTick.start();
    onRetryTick();
}

void SegmindJob::postV1()
{
    whenPaced(&SegmindJob::sendV1);
}

void SegmindJob::sendV1()
{
    ++m_result.attempts;
    m_result.endpoint = SegmindApi::generateUrl(m_config.apiBase).toString();
    call(apiRequest("POST", SegmindApi::generateUrl(m_config.apiBase)), &SegmindJob::onV1Reply, JobPhase::Sending,
         true);
    if (m_call)
        connect(m_call, &HttpCall::uploadFinished, this, [this] { report(JobPhase::Generating); });
}

void SegmindJob::onV1Reply(const HttpResponse& response)
{
    readReplyFacts(response);
    if (retryIfWorthIt(response, true, &SegmindJob::postV1))
        return;
    if (response.failure != HttpResponse::Failure::None)
        finish(errorFromTransport(response));
    else if (response.status == 200)
        probeAudio(response.body);
    else
        finish(errorFromStatus(response, m_config.apiKey));
}

void SegmindJob::submit()
{
    whenPaced(&SegmindJob::sendSubmit);
}

void SegmindJob::sendSubmit()
{
    ++m_result.attempts;
    m_result.endpoint = SegmindApi::submitUrl(m_config.apiBase).toString();
    call(apiRequest("POST", SegmindApi::submitUrl(m_config.apiBase)), &SegmindJob::onSubmitted, JobPhase::Sending);
}

void SegmindJob::onSubmitted(const HttpResponse& response)
{
    readReplyFacts(response);
    const bool noQueue =
        response.failure == HttpResponse::Failure::None && (response.status == 404 || response.status == 405);
    if (noQueue && m_config.transport == SegmindTransport::Auto) {
        // Nothing was accepted, so nothing was billed: this endpoint is asked with v1, now and from now on.
        m_v1Only->insert(m_config.apiBase.toString());
        --m_result.attempts;
        postV1();
        return;
    }
    if (retryIfWorthIt(response, true, &SegmindJob::submit))
        return;
    if (response.failure != HttpResponse::Failure::None) {
        finish(errorFromTransport(response));
        return;
    }
    if (response.status != 200) {
        finish(errorFromStatus(response, m_config.apiKey));
        return;
    }
    const std::optional<SegmindApi::SubmitReply> reply = SegmindApi::parseSubmitReply(response.body);
    if (!reply) {
        GenerationError error;
        error.kind = ErrorKind::Server;
        error.httpStatus = 200;
        error.detail = tr("the queue accepted the take but its answer names no request id to follow it by");
        finish(error);
        return;
    }
    m_result.requestId = reply->requestId;
    m_status.requestId = reply->requestId;
    m_queueClock.start();
    report(JobPhase::Queued);
    m_pollTimer.start(pollDelayMs(m_config.pollIntervalMs, 0));
}

void SegmindJob::pollStatus()
{
    // Always built from the API base: the key goes nowhere else, whatever URLs the submit's answer named.
    call(apiRequest("GET", SegmindApi::statusUrl(m_config.apiBase, m_result.requestId)), &SegmindJob::onStatus,
         m_queuePhase);
}

void SegmindJob::onStatus(const HttpResponse& response)
{
    if (retryIfWorthIt(response, false, &SegmindJob::pollStatus))
        return;
    if (response.failure != HttpResponse::Failure::None) {
        finish(errorFromTransport(response));
        return;
    }
    if (response.status != 200) {
        finish(response.status == 404 ? expiredError(m_result.requestId) : errorFromStatus(response, m_config.apiKey));
        return;
    }
    m_getRetries = 0;
    switch (SegmindApi::parseStatusReply(response.body)) {
    case SegmindApi::QueueStatus::Completed:
    case SegmindApi::QueueStatus::Failed: fetchResult(); return; // the result says what it cost, or why it failed
    case SegmindApi::QueueStatus::Processing: m_queuePhase = JobPhase::Generating; break;
    case SegmindApi::QueueStatus::Queued:
    case SegmindApi::QueueStatus::Unknown: break;
    }
    report(m_queuePhase);
    m_pollTimer.start(pollDelayMs(m_config.pollIntervalMs, m_queueClock.elapsed()));
}

void SegmindJob::fetchResult()
{
    call(apiRequest("GET", SegmindApi::resultUrl(m_config.apiBase, m_result.requestId)), &SegmindJob::onResult,
         m_queuePhase);
}

void SegmindJob::onResult(const HttpResponse& response)
{
    if (retryIfWorthIt(response, false, &SegmindJob::fetchResult))
        return;
    if (response.failure != HttpResponse::Failure::None) {
        finish(errorFromTransport(response));
        return;
    }
    const SegmindApi::ResultReply reply = SegmindApi::parseResultReply(response.body);
    if (reply.metrics.cost)
        m_result.cost = reply.metrics.cost;
    if (reply.metrics.remainingCredits)
        m_result.remainingCredits = reply.metrics.remainingCredits;
    if (response.status != 200 || reply.status == SegmindApi::QueueStatus::Failed) {
        GenerationError error = errorFromStatus(response, m_config.apiKey);
        if (reply.status == SegmindApi::QueueStatus::Failed) {
            error.kind = ErrorKind::GenerationFailed;
            error.serverMessage = redactSecret(reply.error, m_config.apiKey);
        } else if (response.status == 404) {
            error = expiredError(m_result.requestId);
        }
        finish(error);
        return;
    }
    if (reply.status != SegmindApi::QueueStatus::Completed) {
        m_pollTimer.start(pollDelayMs(m_config.pollIntervalMs, m_queueClock.elapsed()));
        return;
    }
    if (!reply.audio.bytes.isEmpty()) {
        probeAudio(reply.audio.bytes);
        return;
    }
    if (reply.audio.url.isEmpty()) {
        GenerationError error;
        error.kind = ErrorKind::BadAudio;
        error.httpStatus = 200;
        error.detail = reply.whyNoAudio;
        finish(error);
        return;
    }
    m_audioUrl = reply.audio.url;
    m_status.outputUrl = m_audioUrl; // reported with the download: a resume can fetch it from there
    fetchAudio();
}

void SegmindJob::fetchAudio()
{
    // The output URL is public and on another host: it never gets the key.
    HttpRequest request;
    request.url = m_audioUrl;
    request.headers = segmindHeaders({});
    request.secret = m_config.apiKey;
    request.idleTimeoutMs = m_config.idleTimeoutMs;
    request.maxBodyBytes = SegmindApi::MaxResponseBytes;
    call(request, &SegmindJob::onAudio, JobPhase::Receiving, true);
}

void SegmindJob::onAudio(const HttpResponse& response)
{
    if (retryIfWorthIt(response, false, &SegmindJob::fetchAudio))
        return;
    if (response.failure != HttpResponse::Failure::None) {
        finish(errorFromTransport(response));
    } else if (response.status == 200) {
        probeAudio(response.body);
    } else {
        finish(goneError(response.status,
                         tr("the audio of request %1 could not be downloaded from %2 (Segmind keeps it 7 days)")
                             .arg(m_result.requestId, m_audioUrl.toDisplayString())));
    }
}

bool SegmindJob::retryIfWorthIt(const HttpResponse& response, bool isPost, void (SegmindJob::*again)())
{
    if (m_deadlinePassed || m_cancelling)
        return false;
    using Failure = HttpResponse::Failure;
    GenerationError error;
    std::optional<qint64> serverWait;
    if (response.failure != Failure::None) {
        // A POST answered in part may have been accepted: only one that never reached a status line is repeated.
        const bool notAccepted = response.failure == Failure::Network && response.status == 0;
        const bool transient = response.failure == Failure::Network || response.failure == Failure::Truncated ||
                               response.failure == Failure::Timeout;
        if (isPost ? !notAccepted : !transient)
            return false;
        error = errorFromTransport(response);
    } else if (SegmindApi::isRetryableStatus(response.status)) {
        error = errorFromStatus(response, m_config.apiKey);
        serverWait =
            SegmindApi::rateLimitWaitMs(response.header("retry-after"), response.header("x-rate-limit-reset-at-utc"),
                                        QDateTime::currentDateTimeUtc());
    } else {
        return false;
    }
    const qint64 waitMs = serverWait.value_or(backoffMs(isPost ? m_result.attempts : ++m_getRetries));
    const QString resetsAt =
        QLocale::system().toString(QDateTime::currentDateTime().addMSecs(waitMs).time(), QLocale::LongFormat);
    const QString whenOver = response.status == 429 ? tr("the rate limit resets at %1").arg(resetsAt)
                                                    : tr("the server asks to wait until %1").arg(resetsAt);
    if (serverWait && *serverWait > m_config.maxRetryAfterMs) {
        m_giveUpNote = whenOver;
        return false;
    }
    if (isPost && m_result.attempts >= m_config.maxAttempts) {
        if (serverWait)
            m_giveUpNote = whenOver;
        return false;
    }
    if (!retryLater(error, waitMs, again)) {
        if (serverWait)
            m_giveUpNote = whenOver;
        return false;
    }
    return true;
}

qint64 SegmindJob::backoffMs(int retry) const
{
    const qint64 base = qint64(m_config.backoffBaseMs) << std::clamp(retry - 1, 0, 6);
    return base * 3 / 4 + QRandomGenerator::global()->bounded(base / 2 + 1);
}

bool SegmindJob::retryLater(const GenerationError& error, qint64 waitMs, void (SegmindJob::*again)())
{
    if (m_clock.elapsed() + waitMs >= m_config.totalTimeoutMs)
        return false;
    m_status.lastError = error;
    m_retryAt = m_clock.elapsed() + waitMs;
    QTimer::singleShot(waitMs, this, [this, again] {
        m_retryTick.stop();
        if (!m_finished && !m_cancelling)
            (this->*again)();
    });
    m_retryTick.start();
    onRetryTick();
    return true;
}

void SegmindJob::readReplyFacts(const HttpResponse& response)
{
    if (const auto credits = SegmindApi::parseCreditsHeader(response.header("x-remaining-credits")))
        m_result.remainingCredits = credits;
    if (response.status != 200)
        return;
    if (const auto cost = SegmindApi::parseCostHeader(response.header("x-cost")))
        m_result.cost = cost;
    if (const QString id = SegmindApi::parseRequestIdHeader(response.header("x-request-id")); !id.isEmpty())
        m_result.requestId = id;
    // The seed the server used is the one that makes the take again.
    if (const auto seed = SegmindApi::parseSeedHeader(response.header("x-seed-value")))
        m_result.request.seed = *seed;
}

/// Checks that a body is audio on a pool thread: an MP3 without a frame count is measured by decoding all of it,
/// which must not hold up the thread the job lives on (the window's). The pool task owns a copy of the body and
/// nothing else, so a job cancelled or deleted meanwhile is never touched.
void SegmindJob::probeAudio(const QByteArray& body)
{
    m_deadline.stop(); // the take is paid for: it is judged however long that takes
    m_result.audio = body;
    m_probe = new QFutureWatcher<ProbeOutcome>(this);
    connect(m_probe, &QFutureWatcherBase::finished, this, &SegmindJob::onProbed);
    m_probe->setFuture(QtConcurrent::run([body] {
        ProbeOutcome outcome;
        outcome.info = AudioCodec::probe(body, &outcome.whyNot);
        return outcome;
    }));
}

void SegmindJob::onProbed()
{
    const ProbeOutcome outcome = m_probe->result();
    m_probe->deleteLater();
    m_probe = nullptr;
    if (!outcome.info) {
        GenerationError error;
        error.kind = ErrorKind::BadAudio;
        error.httpStatus = 200;
        error.detail = outcome.whyNot;
        finish(error);
        return;
    }
    m_result.audioInfo = *outcome.info;
    finish({});
}

void SegmindJob::onRetryTick()
{
    m_status.retryInSeconds = int(std::ceil(std::max<qint64>(0, m_retryAt - m_clock.elapsed()) / 1000.0));
    report(m_pacing ? JobPhase::Waiting : JobPhase::RetryWaiting);
}

void SegmindJob::onDeadline()
{
    m_deadlinePassed = true;
    QString text = tr("no clip after %1 s").arg(m_config.totalTimeoutMs / 1000.0);
    if (!m_result.requestId.isEmpty())
        text += tr("; Segmind may still finish request %1").arg(m_result.requestId);
    if (m_call) {
        m_call->abortWith(HttpResponse::Failure::Timeout, text); // finishes through the answer's handler
        return;
    }
    GenerationError error;
    error.kind = ErrorKind::Timeout;
    error.detail = text;
    finish(error);
}

void SegmindJob::report(JobPhase phase)
{
    if (m_finished || m_cancelling)
        return;
    m_status.phase = phase;
    m_status.attempt = m_result.attempts;
    m_status.maxAttempts = m_config.maxAttempts;
    m_status.elapsedMs = m_clock.elapsed();
    emit statusChanged(m_status);
}

void SegmindJob::finish(GenerationError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_retryTick.stop();
    m_pollTimer.stop();
    m_deadline.stop();
    if (!m_giveUpNote.isEmpty() && error.isError()) {
        error.detail = m_giveUpNote;
        // When to try again is the advice; toUserText() shows the detail only where the server said nothing.
        error.advice =
            error.serverMessage.isEmpty() ? tr("try again then") : tr("%1; try again then").arg(m_giveUpNote);
    }
    m_result.error = error;
    m_result.elapsedMs = m_clock.elapsed();
    if (error.isError())
        m_result.audio.clear();
    emit finished(m_result);
}
