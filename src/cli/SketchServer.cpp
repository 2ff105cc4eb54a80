#include "cli/SketchServer.h"

#include "cli/GuardedTcpServer.h"
#include "generation/GenerationService.h"

#include "engine/SketchEngine.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponse::StatusCode;

namespace {

const QString GeneratePath = u"/v1/meta-musicgen-medium"_s;
const QString CreditsPath = u"/v1/get-user-credits"_s;

QHttpServerResponse errorResponse(StatusCode status, const QString& message)
{
    return QHttpServerResponse(QJsonObject{{u"error"_s, message}}, status);
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

QHttpServerResponse generate(const QHttpServerRequest& request)
{
    if (!hasKey(request))
        return errorResponse(StatusCode::Unauthorized, u"Missing x-api-key header"_s);
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return errorResponse(StatusCode::BadRequest, u"The body must be a JSON object"_s);
    const QJsonObject body = document.object();
    if (!body.value("prompt"_L1).isString())
        return errorResponse(StatusCode::BadRequest, u"prompt is required and must be a string"_s);
    const auto duration = wholeNumber(body, "duration"_L1, GenerationRequest::DefaultDuration);
    if (!duration)
        return errorResponse(StatusCode::BadRequest, u"duration must be a whole number from 1 to 30"_s);
    const auto seed = wholeNumber(body, "seed"_L1, GenerationRequest::DefaultSeed);
    if (!seed)
        return errorResponse(StatusCode::BadRequest, u"seed must be a whole number from -1 to 9999"_s);

    GenerationRequest generation{body.value("prompt"_L1).toString(), *duration, *seed};
    if (const QString error = validationError(generation); !error.isEmpty())
        return errorResponse(StatusCode::BadRequest, error);
    if (generation.seed == GenerationRequest::RandomSeed)
        generation.seed = GenerationService::drawSeed();

    const std::vector<std::uint8_t> wav = engine::renderWav(
        {generation.prompt.toStdString(), generation.durationSeconds, std::uint32_t(generation.seed)});
    QHttpServerResponse response("audio/wav"_ba,
                                 QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size())));
    response.addHeader("x-seed"_ba, QByteArray::number(generation.seed));
    return response;
}

QHttpServerResponse credits(const QHttpServerRequest& request)
{
    if (!hasKey(request))
        return errorResponse(StatusCode::Unauthorized, u"Missing x-api-key header"_s);
    // The offline engine costs nothing; a large balance keeps clients that check it from stopping.
    return QHttpServerResponse(QJsonObject{{u"credits"_s, 1000000}, {u"free-credits"_s, 0}});
}

} // namespace

SketchServer::SketchServer(QObject* parent) : QObject(parent), m_server(new QHttpServer(this))
{
    m_server->route(GeneratePath, QHttpServerRequest::Method::Post, [this](const QHttpServerRequest& request) {
        emit requestServed();
        return generate(request);
    });
    m_server->route(CreditsPath, QHttpServerRequest::Method::Get, [this](const QHttpServerRequest& request) {
        emit requestServed();
        return credits(request);
    });
    // GuardedTcpServer closes each connection after its one answer; the header tells the client so.
    m_server->afterRequest([](QHttpServerResponse&& response) {
        response.setHeader("Connection"_ba, "close"_ba);
        return std::move(response);
    });
    m_server->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        emit requestServed();
        const QString path = request.url().path();
        const QByteArray allowed = path == GeneratePath ? "POST"_ba : path == CreditsPath ? "GET"_ba : QByteArray();
        if (!allowed.isEmpty()) {
            const QJsonObject error{
                {u"error"_s, u"Method not allowed: use %1 %2"_s.arg(QString::fromLatin1(allowed), path)}};
            responder.write(QJsonDocument(error), {{"Allow"_ba, allowed}, {"Connection"_ba, "close"_ba}},
                            StatusCode::MethodNotAllowed);
            return;
        }
        const QJsonObject error{{u"error"_s, u"Not found: use POST %1"_s.arg(GeneratePath)}};
        responder.write(QJsonDocument(error), {{"Connection"_ba, "close"_ba}}, StatusCode::NotFound);
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
    return listener->serverPort();
}
