#pragma once

#include "model/AudioFormat.h"
#include "model/GenerationRequest.h"
#include "model/MusicAnalysis.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <optional>

/// Why a take did not arrive. Each kind maps to one action the user can take.
enum class ErrorKind
{
    None,
    InvalidInput,        ///< rejected before anything was sent
    InvalidRequest,      ///< HTTP 400
    Authentication,      ///< HTTP 401 / 403
    NotFound,            ///< HTTP 404
    InsufficientCredits, ///< HTTP 406
    RateLimited,         ///< HTTP 429, still after the retries
    Server,              ///< HTTP 5xx or an unexpected status
    Network,             ///< DNS, refused, TLS, connection lost
    Timeout,             ///< idle transfer or total deadline passed
    Cancelled,           ///< the user cancelled
    BadAudio,            ///< a 200 whose body is not playable audio
    ModelRetired,        ///< HTTP 410: the model is gone from the server; nothing was billed
    GenerationFailed,    ///< the server took the job but could not make it (v2 FAILED, HTTP 422); not billed
};

struct GenerationError
{
    ErrorKind kind = ErrorKind::None;
    int httpStatus = 0;    ///< 0 when no HTTP status was received
    QString serverMessage; ///< the server's own words, cleaned and capped; may be empty
    QString detail;        ///< what the client itself observed (network error text, sniffing result...)
    QString advice;        ///< what to do next when the server's answer says more than the kind; may be empty

    bool isError() const { return kind != ErrorKind::None; }
    /// One line for a person: what happened, the server's words, and what to do next (`advice` when set, else
    /// errorKindAdvice(kind)).
    QString toUserText() const;
};

/// Short lower-case summary of an error kind, e.g. "insufficient credits".
QString errorKindSummary(ErrorKind kind);
/// What the user can do about an error kind, e.g. "top up your Segmind credits".
QString errorKindAdvice(ErrorKind kind);

/// A finished generation: the audio and the facts about how it was made, or an error.
struct GenerationResult
{
    GenerationRequest request; ///< with the seed actually used (never -1)
    QByteArray audio;          ///< exactly the bytes the provider returned
    AudioInfo audioInfo;
    QString providerId; ///< "segmind" or "offline"
    QString model;      ///< e.g. "meta-musicgen-medium"
    QString endpoint;   ///< URL the take came from, or "built-in"
    int attempts = 0;
    qint64 elapsedMs = 0;
    std::optional<double> remainingCredits;
    std::optional<double> cost; ///< dollars, as the server said (x-cost, metrics.cost); nothing when it did not
    QString requestId;          ///< the server's id for the request, as its console lists it
    /// The audio's tempo, key and loudness, measured once the provider delivered it (GenerationService); the
    /// library keeps it with the take.
    std::optional<MusicAnalysis> analysis;
    GenerationError error;

    bool ok() const { return !error.isError(); }
};
Q_DECLARE_METATYPE(GenerationResult)

/// Where a running take is. Reported by providers and the service while a take runs.
enum class JobPhase
{
    Waiting,
    Sending,
    Queued, ///< accepted by the server, waiting in its queue
    Generating,
    Receiving,
    RetryWaiting
};

struct JobStatus
{
    JobPhase phase = JobPhase::Waiting;
    int attempt = 1;
    int maxAttempts = 1;
    qint64 elapsedMs = 0;
    int retryInSeconds = 0;    ///< with RetryWaiting
    GenerationError lastError; ///< with RetryWaiting: why the previous attempt failed
    qint64 bytesReceived = 0;
    qint64 bytesTotal = -1;
    QString requestId; ///< the server's id for the request, once it has accepted it
    QUrl outputUrl;    ///< where the server put the audio, once it said (kept there for days)
};
Q_DECLARE_METATYPE(JobStatus)
