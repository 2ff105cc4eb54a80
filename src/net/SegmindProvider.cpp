#include "net/SegmindProvider.h"

#include "audio/AudioCodec.h"
#include "net/NetworkGateway.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QRandomGenerator>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr auto AcceptHeader = "audio/wav, audio/x-wav, audio/mpeg, audio/flac, audio/ogg;q=0.9, audio/*;q=0.8, "
                              "application/json;q=0.5";

HttpHeaders apiHeaders(const QByteArray& apiKey)
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

/// What AudioCodec::probe() said about a body.
struct ProbeOutcome
{
    std::optional<AudioInfo> info;
    QString whyNot;
};

class SegmindJob final : public GenerationJob
{
public:
    SegmindJob(NetworkGateway* gateway, const SegmindConfig& config, const GenerationRequest& request, QObject* parent)
        : GenerationJob(parent), m_gateway(gateway), m_config(config)
    {
        m_result.request = request;
        m_result.providerId = u"segmind"_s;
        m_result.model = QString::fromLatin1(SegmindApi::ModelSlug);
        m_result.endpoint = SegmindApi::generateUrl(config.apiBase).toString();
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, [this] { onDeadline(); });
        m_retryTick.setInterval(1000);
        connect(&m_retryTick, &QTimer::timeout, this, [this] { onRetryTick(); });
    }

    void start() override
    {
        m_clock.start();
        if (m_config.apiKey.isEmpty()) {
            // Nothing is sent without a key: the answer would only be a 401.
            GenerationError error;
            error.kind = ErrorKind::Authentication;
            error.detail = QCoreApplication::translate("Segmind", "no API key is set");
            QTimer::singleShot(0, this, [this, error] { finish(error); });
            return;
        }
        m_deadline.start(m_config.totalTimeoutMs);
        // Queued so that callers connect and see every signal, and `finished` never comes from start().
        QTimer::singleShot(0, this, [this] { sendAttempt(); });
    }

    void cancel() override
    {
        if (m_finished || m_cancelling)
            return;
        m_cancelling = true;
        m_retryTick.stop();
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

private:
    void sendAttempt()
    {
        if (m_finished || m_cancelling)
            return;
        ++m_result.attempts;
        HttpRequest request;
        request.method = QByteArrayLiteral("POST");
        request.url = SegmindApi::generateUrl(m_config.apiBase);
        request.headers = apiHeaders(m_config.apiKey);
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        request.body = SegmindApi::generateBody(m_result.request);
        request.secret = m_config.apiKey;
        request.idleTimeoutMs = m_config.idleTimeoutMs;
        request.maxBodyBytes = SegmindApi::MaxResponseBytes;
        m_call = m_gateway->send(request);
        connect(m_call, &HttpCall::uploadFinished, this, [this] { report(JobPhase::Generating); });
        connect(m_call, &HttpCall::downloadProgress, this, [this](qint64 received, qint64 total) {
            if (received > 0) {
                m_status.bytesReceived = received;
                m_status.bytesTotal = total;
                report(JobPhase::Receiving);
            }
        });
        connect(m_call, &HttpCall::finished, this, [this](const HttpResponse& response) { onReply(response); });
        report(JobPhase::Sending);
    }

    void onReply(const HttpResponse& response)
    {
        m_call = nullptr;
        if (const auto credits = SegmindApi::parseCreditsHeader(response.header("x-remaining-credits")))
            m_result.remainingCredits = credits;

        if (response.failure != HttpResponse::Failure::None) {
            const GenerationError error = errorFromTransport(response);
            // Only a failure before any status line is safe to retry: a cut-off 200 was already billed.
            const bool retryable = response.failure == HttpResponse::Failure::Network && response.status == 0;
            if (retryable && retryLater(error, std::nullopt))
                return;
            finish(error);
            return;
        }
        if (response.status == 200) {
            probeAudio(response.body);
            return;
        }
        const GenerationError error = errorFromStatus(response, m_config.apiKey);
        if (SegmindApi::isRetryableStatus(response.status) &&
            retryLater(error,
                       SegmindApi::parseRetryAfter(response.header("retry-after"), QDateTime::currentDateTimeUtc())))
            return;
        finish(error);
    }

    /// Checks that a 200's body is audio on a pool thread: an MP3 without a frame count is measured by decoding
    /// all of it, which must not hold up the thread the job lives on (the window's). The pool task owns a copy of the
    /// body and nothing else, so a job cancelled or deleted meanwhile is never touched.
    void probeAudio(const QByteArray& body)
    {
        m_deadline.stop(); // the take is paid for: it is judged however long that takes
        m_result.audio = body;
        m_probe = new QFutureWatcher<ProbeOutcome>(this);
        connect(m_probe, &QFutureWatcherBase::finished, this, [this] { onProbed(); });
        m_probe->setFuture(QtConcurrent::run([body] {
            ProbeOutcome outcome;
            outcome.info = AudioCodec::probe(body, &outcome.whyNot);
            return outcome;
        }));
    }

    void onProbed()
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

    /// Schedules another attempt when one is left and the wait fits; returns false to give up.
    bool retryLater(GenerationError error, std::optional<qint64> retryAfterMs)
    {
        if (m_result.attempts >= m_config.maxAttempts)
            return false;
        qint64 waitMs = 0;
        if (retryAfterMs) {
            if (*retryAfterMs > m_config.maxRetryAfterMs) {
                m_pendingGiveUpNote = QCoreApplication::translate("Segmind", "the server asks to wait %1 s")
                                          .arg(std::ceil(*retryAfterMs / 1000.0));
                return false;
            }
            waitMs = *retryAfterMs;
        } else {
            const qint64 base = qint64(m_config.backoffBaseMs) << (m_result.attempts - 1);
            waitMs = base * 3 / 4 + QRandomGenerator::global()->bounded(base / 2 + 1);
        }
        if (m_clock.elapsed() + waitMs >= m_config.totalTimeoutMs)
            return false;
        m_status.lastError = error;
        m_retryAt = m_clock.elapsed() + waitMs;
        QTimer::singleShot(waitMs, this, [this] {
            m_retryTick.stop();
            sendAttempt();
        });
        m_retryTick.start();
        onRetryTick();
        return true;
    }

    void onRetryTick()
    {
        m_status.retryInSeconds = int(std::ceil(std::max<qint64>(0, m_retryAt - m_clock.elapsed()) / 1000.0));
        report(JobPhase::RetryWaiting);
    }

    void onDeadline()
    {
        const QString text =
            QCoreApplication::translate("Segmind", "no clip after %1 s").arg(m_config.totalTimeoutMs / 1000.0);
        if (m_call) {
            m_call->abortWith(HttpResponse::Failure::Timeout, text); // finishes through onReply
            return;
        }
        GenerationError error;
        error.kind = ErrorKind::Timeout;
        error.detail = text;
        finish(error);
    }

    void report(JobPhase phase)
    {
        if (m_finished || m_cancelling)
            return;
        m_status.phase = phase;
        m_status.attempt = m_result.attempts;
        m_status.maxAttempts = m_config.maxAttempts;
        m_status.elapsedMs = m_clock.elapsed();
        emit statusChanged(m_status);
    }

    void finish(GenerationError error)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_retryTick.stop();
        m_deadline.stop();
        if (!m_pendingGiveUpNote.isEmpty() && error.isError())
            error.detail = m_pendingGiveUpNote;
        m_result.error = error;
        m_result.elapsedMs = m_clock.elapsed();
        if (error.isError())
            m_result.audio.clear();
        emit finished(m_result);
    }

    NetworkGateway* m_gateway;
    SegmindConfig m_config;
    GenerationResult m_result;
    JobStatus m_status;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    QTimer m_retryTick;
    qint64 m_retryAt = 0;
    QString m_pendingGiveUpNote;
    HttpCall* m_call = nullptr;
    QFutureWatcher<ProbeOutcome>* m_probe = nullptr;
    bool m_cancelling = false;
    bool m_finished = false;
};

} // namespace

SegmindProvider::SegmindProvider(NetworkGateway* gateway, const SegmindConfig& config, QObject* parent)
    : Provider(parent), m_gateway(gateway), m_config(config)
{
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
    return new SegmindJob(m_gateway, m_config, request, parent);
}

CreditsQuery* SegmindProvider::queryCredits()
{
    auto* query = new CreditsQuery(this);
    HttpRequest request;
    request.url = SegmindApi::creditsUrl(m_config.apiBase);
    request.headers = apiHeaders(m_config.apiKey);
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
