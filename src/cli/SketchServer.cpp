#include "cli/SketchServer.h"

#include "cli/GuardedTcpServer.h"
#include "cli/SketchJobs.h"
#include "generation/GenerationService.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;
using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponse::StatusCode;

/// One path the server answers, with the one method it answers there.
struct SketchServer::Endpoint
{
    Method method;
    QRegularExpression path; ///< the whole path; its capture, when it has one, is a job's id
    bool keyRequired;
    std::function<QHttpServerResponse(const QHttpServerRequest& request, const QString& id)> answer;
};

namespace {

// The offline engine costs nothing; a large balance keeps clients that check it from stopping.
constexpr int Cost = 0;
constexpr int RemainingCredits = 1000000;

QHttpServerResponse errorResponse(StatusCode status, const QString& message)
{
    return QHttpServerResponse(QJsonObject{{u"error"_s, message}}, status);
}

QHttpServerResponse notFound(const QString& id)
{
    return errorResponse(StatusCode::NotFound, u"Request %1 not found"_s.arg(id));
}

bool hasKey(const QHttpServerRequest& request)
{
    return !request.value("x-api-key").trimmed().isEmpty();
}

/// A JSON number that is a whole number, or `fallback` when the field is absent; nothing when it is neither.
std::optional<int> wholeNumber(const QJsonObject& object, QLatin1StringView field, int fallback)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble(qQNaN());
    if (!value.isDouble() || std::floor(number) != number || std::abs(number) > 1e6)
        return std::nullopt;
    return int(number);
}

/// The take a request's JSON body asks for, its random seed drawn; nothing, and `error` set to what to change,
/// when the body is not a valid request.
std::optional<GenerationRequest> readGeneration(const QByteArray& json, QString* error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = u"The body must be a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject body = document.object();
    if (!body.value("prompt"_L1).isString()) {
        *error = u"prompt is required and must be a string"_s;
        return std::nullopt;
    }
    const auto duration = wholeNumber(body, "duration"_L1, GenerationRequest::DefaultDuration);
    if (!duration) {
        *error = u"duration must be a whole number from 1 to 30"_s;
        return std::nullopt;
    }
    const auto seed = wholeNumber(body, "seed"_L1, GenerationRequest::DefaultSeed);
    if (!seed) {
        *error = u"seed must be a whole number from -1 to 9999"_s;
        return std::nullopt;
    }
    GenerationRequest generation{body.value("prompt"_L1).toString(), *duration, *seed};
    *error = validationError(generation);
    if (!error->isEmpty())
        return std::nullopt;
    if (generation.seed == GenerationRequest::RandomSeed)
        generation.seed = GenerationService::drawSeed();
    return generation;
}

QHttpServerResponse generate(const QHttpServerRequest& request)
{
    QString error;
    const std::optional<GenerationRequest> generation = readGeneration(request.body(), &error);
    if (!generation)
        return errorResponse(StatusCode::BadRequest, error);
    QElapsedTimer rendering;
    rendering.start();
    QHttpServerResponse response("audio/wav"_ba, SketchJobs::render(*generation));
    const QByteArray seed = QByteArray::number(generation->seed);
    response.addHeader("x-seed"_ba, seed);
    response.addHeader("x-seed-value"_ba, seed);
    response.addHeader("x-cost"_ba, QByteArray::number(Cost));
    response.addHeader("x-remaining-credits"_ba, QByteArray::number(RemainingCredits));
    response.addHeader("x-generation-time"_ba, QByteArray::number(double(rendering.elapsed()) / 1000.0, 'f', 3));
    response.addHeader("x-request-id"_ba, QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    return response;
}

QHttpServerResponse credits()
{
    return QHttpServerResponse(QJsonObject{{u"credits"_s, RemainingCredits}, {u"free-credits"_s, 0}});
}

double seconds(qint64 milliseconds)
{
    return double(milliseconds) / 1000.0;
}

} // namespace

SketchServer::SketchServer(std::chrono::milliseconds queueDelay, std::chrono::seconds jobTtl, QObject* parent)
    : QObject(parent), m_server(new QHttpServer(this)), m_jobs(new SketchJobs(queueDelay, jobTtl, this))
{
    const auto path = [](const QString& pattern) {
        return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
    };
    const QString id = u"([^/]+)"_s;
    m_endpoints.push_back({Method::Post, path(u"/v1/meta-musicgen-medium"_s), true,
                           [](const QHttpServerRequest& request, const QString&) { return generate(request); }});
    m_endpoints.push_back({Method::Get, path(u"/v1/get-user-credits"_s), true,
                           [](const QHttpServerRequest&, const QString&) { return credits(); }});
    m_endpoints.push_back({Method::Post, path(u"/v2/meta-musicgen-medium"_s), true,
                           [this](const QHttpServerRequest& request, const QString&) { return submit(request); }});
    m_endpoints.push_back({Method::Get, path(u"/v2/requests/"_s + id + u"/status"_s), true,
                           [this](const QHttpServerRequest&, const QString& job) { return status(job); }});
    m_endpoints.push_back(
        {Method::Get, path(u"/v2/requests/"_s + id), true,
         [this](const QHttpServerRequest& request, const QString& job) { return result(request, job); }});
    // Segmind's output URLs are public, on another host, and clients send them no key.
    m_endpoints.push_back({Method::Get, path(u"/v2/outputs/"_s + id + u"\\.wav"_s), false,
                           [this](const QHttpServerRequest&, const QString& job) { return output(job); }});

    // One table answers each request and each wrong method, so QHttpServer's router has no routes: every request
    // comes to the handler it calls for a path without one.
    m_server->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        emit requestServed();
        QHttpServerResponse response = answer(request);
        // GuardedTcpServer closes each connection after its one answer; the header tells the client so.
        response.setHeader("Connection"_ba, "close"_ba);
        response.write(std::move(responder));
    });
}

SketchServer::~SketchServer() = default;

quint16 SketchServer::listen(const QHostAddress& address, quint16 port)
{
    auto* listener = new GuardedTcpServer(this);
    if (!listener->listen(address, port)) {
        delete listener;
        return 0;
    }
    connect(listener, &GuardedTcpServer::requestRefused, this, &SketchServer::requestServed);
    m_server->bind(listener);
    const QString host =
        address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']' : address.toString();
    m_url = u"http://%1:%2"_s.arg(host).arg(listener->serverPort());
    return listener->serverPort();
}

QHttpServerResponse SketchServer::answer(const QHttpServerRequest& request)
{
    const QString path = request.url().path();
    for (const Endpoint& endpoint : m_endpoints) {
        const QRegularExpressionMatch match = endpoint.path.match(path);
        if (!match.hasMatch())
            continue;
        if (request.method() != endpoint.method) {
            const QByteArray allowed = endpoint.method == Method::Post ? "POST"_ba : "GET"_ba;
            QHttpServerResponse response =
                errorResponse(StatusCode::MethodNotAllowed,
                              u"Method not allowed: use %1 %2"_s.arg(QString::fromLatin1(allowed), path));
            response.setHeader("Allow"_ba, allowed);
            return response;
        }
        if (endpoint.keyRequired && !hasKey(request))
            return errorResponse(StatusCode::Unauthorized, u"Missing Authorization or x-api-key in header"_s);
        return endpoint.answer(request, match.captured(1));
    }
    return errorResponse(StatusCode::NotFound,
                         u"Not found: use POST /v1/meta-musicgen-medium or POST /v2/meta-musicgen-medium"_s);
}

QHttpServerResponse SketchServer::submit(const QHttpServerRequest& request)
{
    QString error;
    const std::optional<GenerationRequest> generation = readGeneration(request.body(), &error);
    if (!generation)
        return errorResponse(StatusCode::BadRequest, error);
    const QString id = m_jobs->submit(*generation);
    const QString requestUrl = baseUrl(request) + u"/v2/requests/"_s + id;
    return QHttpServerResponse(QJsonObject{{u"request_id"_s, id},
                                           {u"status"_s, SketchJobs::stateName(SketchJobs::State::Queued)},
                                           {u"poll_url"_s, requestUrl + u"/status"_s},
                                           {u"status_url"_s, requestUrl + u"/status"_s},
                                           {u"response_url"_s, requestUrl}});
}

QHttpServerResponse SketchServer::status(const QString& id)
{
    const std::optional<SketchJobs::Job> job = m_jobs->find(id);
    if (!job)
        return notFound(id);
    return QHttpServerResponse(QJsonObject{{u"status"_s, SketchJobs::stateName(job->state)}});
}

QHttpServerResponse SketchServer::result(const QHttpServerRequest& request, const QString& id)
{
    const std::optional<SketchJobs::Job> job = m_jobs->find(id);
    if (!job)
        return notFound(id);
    if (job->state != SketchJobs::State::Completed)
        return QHttpServerResponse(QJsonObject{{u"status"_s, SketchJobs::stateName(job->state)}});
    const QJsonObject metrics{{u"cost"_s, Cost},
                              {u"remaining_credits"_s, RemainingCredits},
                              {u"inference_time"_s, seconds(job->finishedMs - job->startedMs)},
                              {u"queue_time"_s, seconds(job->startedMs - job->submittedMs)},
                              {u"total_time"_s, seconds(job->finishedMs - job->submittedMs)}};
    return QHttpServerResponse(QJsonObject{{u"status"_s, SketchJobs::stateName(job->state)},
                                           {u"output"_s, baseUrl(request) + u"/v2/outputs/%1.wav"_s.arg(id)},
                                           {u"metrics"_s, metrics}});
}

QHttpServerResponse SketchServer::output(const QString& id)
{
    const std::optional<SketchJobs::Job> job = m_jobs->find(id);
    if (!job)
        return notFound(id);
    if (job->state != SketchJobs::State::Completed)
        return errorResponse(StatusCode::NotFound, u"Request %1 has no output yet; poll its status"_s.arg(id));
    return QHttpServerResponse("audio/wav"_ba, job->wav);
}

QString SketchServer::baseUrl(const QHttpServerRequest& request) const
{
    // Only a host and a port: a Host header that is more than that cannot make the URLs given out point elsewhere.
    const QUrl url(u"http://"_s + QString::fromLatin1(request.value("host")), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty() || !url.userInfo().isEmpty() ||
        url.hasQuery() || url.hasFragment())
        return m_url;
    return url.toString();
}
