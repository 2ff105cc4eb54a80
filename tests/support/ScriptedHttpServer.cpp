#include "ScriptedHttpServer.h"

#include <QDebug>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kMaxBodyBytes = 256LL * 1024 * 1024;

struct StatusReason
{
    int status;
    const char* reason;
};

constexpr StatusReason kReasons[] = {
    {100, "Continue"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {206, "Partial Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {413, "Payload Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Entity"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
};

QByteArray reasonPhrase(int status)
{
    for (const StatusReason& entry : kReasons) {
        if (entry.status == status)
            return QByteArray(entry.reason);
    }
    return QByteArrayLiteral("Unknown");
}

bool hasToken(const QByteArray& headerValue, const QByteArray& token)
{
    const QList<QByteArray> parts = headerValue.split(',');
    for (const QByteArray& part : parts) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool hasHeader(const QList<std::pair<QByteArray, QByteArray>>& headers, const QByteArray& name)
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

enum class ChunkedResult
{
    Complete,
    Incomplete,
    Malformed
};

/// Decodes a chunked body at the start of `buffer`; on Complete, `consumed` is the length of the encoded form.
ChunkedResult decodeChunked(const QByteArray& buffer, QByteArray& body, qsizetype& consumed)
{
    body.clear();
    qsizetype pos = 0;
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return buffer.size() - pos > 1024 ? ChunkedResult::Malformed : ChunkedResult::Incomplete;
        QByteArray sizeField = buffer.mid(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
            sizeField.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || body.size() + size > kMaxBodyBytes)
            return ChunkedResult::Malformed;
        pos = lineEnd + 2;
        if (size == 0) {
            // Optional trailer fields, then an empty line.
            if (buffer.size() - pos < 2)
                return ChunkedResult::Incomplete;
            if (buffer.mid(pos, 2) == "\r\n") {
                consumed = pos + 2;
                return ChunkedResult::Complete;
            }
            const qsizetype trailerEnd = buffer.indexOf("\r\n\r\n", pos);
            if (trailerEnd < 0)
                return ChunkedResult::Incomplete;
            consumed = trailerEnd + 4;
            return ChunkedResult::Complete;
        }
        if (buffer.size() - pos < size + 2)
            return ChunkedResult::Incomplete;
        if (buffer.mid(pos + size, 2) != "\r\n")
            return ChunkedResult::Malformed;
        body += buffer.mid(pos, size);
        pos += size + 2;
    }
}

ScriptedResponse responseWithBody(int status, const QByteArray& contentType, const QByteArray& body)
{
    ScriptedResponse response;
    response.status = status;
    response.headers.append({QByteArrayLiteral("Content-Type"), contentType});
    response.body = body;
    return response;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------

ScriptedResponse ScriptedResponse::json(int status, const QByteArray& json)
{
    return responseWithBody(status, QByteArrayLiteral("application/json"), json);
}

ScriptedResponse ScriptedResponse::audio(const QByteArray& bytes, const QByteArray& contentType)
{
    return responseWithBody(200, contentType, bytes);
}

ScriptedResponse ScriptedResponse::html(int status, const QByteArray& html)
{
    return responseWithBody(status, QByteArrayLiteral("text/html; charset=utf-8"), html);
}

ScriptedResponse ScriptedResponse::withHeader(const QByteArray& name, const QByteArray& value) const
{
    ScriptedResponse copy = *this;
    copy.headers.append({name, value});
    return copy;
}

ScriptedResponse ScriptedResponse::withBehaviour(Behaviour newBehaviour) const
{
    ScriptedResponse copy = *this;
    copy.behaviour = newBehaviour;
    return copy;
}

QByteArray RecordedRequest::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------------------------

struct ScriptedHttpServer::Connection
{
    QTcpSocket* socket = nullptr;
    int index = 0;
    QByteArray buffer;

    // The request being read.
    bool headersDone = false;
    RecordedRequest current;
    qint64 contentLength = 0;
    bool chunked = false;
    bool wantsClose = false;

    // The response being written.
    bool processing = false; // guards against re-entry from a nested event loop
    bool busy = false;       // a response is still going out, or the connection is stuck on purpose
    bool closing = false;    // we closed (or are closing) it: ignore whatever else arrives
    QByteArray dripRemaining;
    QTimer* dripTimer = nullptr;
    int dripChunkBytes = 1;
    bool closeAfterDrip = false;
    bool stuckAfterDrip = false;
    int unflushedResponses = 0;
};

ScriptedHttpServer::ScriptedHttpServer(QObject* parent)
    : QObject(parent), m_tcpServer(new QTcpServer(this)),
      m_fallback(ScriptedResponse::json(500, QByteArrayLiteral(R"({"error":"no scripted response"})")))
{
    connect(m_tcpServer, &QTcpServer::newConnection, this, &ScriptedHttpServer::acceptConnections);
}

ScriptedHttpServer::~ScriptedHttpServer()
{
    m_tcpServer->close();
    const QList<QTcpSocket*> sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket* socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        delete socket;
    }
}

bool ScriptedHttpServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_tcpServer->listen(address, port)) {
        qWarning() << "ScriptedHttpServer: cannot listen on" << address << port << m_tcpServer->errorString();
        return false;
    }
    return true;
}

void ScriptedHttpServer::stopListening()
{
    m_tcpServer->close();
}

quint16 ScriptedHttpServer::port() const
{
    return m_tcpServer->serverPort();
}

QUrl ScriptedHttpServer::baseUrl() const
{
    QHostAddress host = m_tcpServer->serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4 || host.isNull())
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

void ScriptedHttpServer::enqueue(const ScriptedResponse& response)
{
    m_queue.enqueue(response);
}

void ScriptedHttpServer::setFallback(const ScriptedResponse& response)
{
    m_fallback = response;
}

int ScriptedHttpServer::pendingResponses() const
{
    return int(m_queue.size());
}

QList<RecordedRequest> ScriptedHttpServer::requests() const
{
    return m_requests;
}

int ScriptedHttpServer::requestCount() const
{
    return int(m_requests.size());
}

void ScriptedHttpServer::clearRequests()
{
    m_requests.clear();
}

int ScriptedHttpServer::connectionCount() const
{
    return m_connectionsAccepted;
}

int ScriptedHttpServer::openConnectionCount() const
{
    return int(m_connections.size());
}

void ScriptedHttpServer::acceptConnections()
{
    while (QTcpSocket* socket = m_tcpServer->nextPendingConnection()) {
        socket->setParent(this);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto connection = std::make_shared<Connection>();
        connection->socket = socket;
        connection->index = m_connectionsAccepted++;
        m_connections.insert(socket, connection);

        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const auto found = m_connections.value(socket);
            if (!found)
                return;
            const QByteArray data = socket->readAll();
            if (!found->closing)
                found->buffer += data;
            processBuffer(socket);
        });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
            const auto found = m_connections.value(socket);
            if (!found || socket->bytesToWrite() > 0)
                return;
            const int flushed = std::exchange(found->unflushedResponses, 0);
            for (int i = 0; i < flushed; ++i)
                emit responseSent();
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { forgetConnection(socket); });
    }
}

void ScriptedHttpServer::forgetConnection(QTcpSocket* socket)
{
    const auto connection = m_connections.take(socket);
    if (!connection)
        return;
    if (connection->dripTimer)
        connection->dripTimer->stop();
    if (socket->bytesToWrite() == 0) {
        for (int i = 0; i < connection->unflushedResponses; ++i)
            emit responseSent();
    }
    connection->unflushedResponses = 0;
    socket->deleteLater();
    emit connectionClosed();
}

void ScriptedHttpServer::processBuffer(QTcpSocket* socket)
{
    const auto held = m_connections.value(socket); // keeps the state alive even if the socket disconnects meanwhile
    if (!held || held->processing)
        return;
    Connection& c = *held;
    c.processing = true;
    const auto reject = [&c](int status) {
        c.closing = true;
        c.buffer.clear();
        const QByteArray reply = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                                 "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        c.socket->write(reply);
        c.socket->disconnectFromHost();
    };

    while (!c.busy && !c.closing) {
        if (!c.headersDone) {
            while (c.buffer.startsWith("\r\n"))
                c.buffer.remove(0, 2);
            const qsizetype headEnd = c.buffer.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                if (c.buffer.size() > kMaxHeadBytes)
                    reject(431);
                break;
            }
            const QList<QByteArray> lines = c.buffer.left(headEnd).split('\n');
            c.buffer.remove(0, headEnd + 4);
            const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
            if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                reject(400);
                break;
            }
            c.current = RecordedRequest{};
            c.current.method = requestLine[0];
            c.current.path = requestLine[1];
            c.current.version = requestLine[2];
            c.current.connection = c.index;
            bool malformed = false;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0) {
                    malformed = true;
                    break;
                }
                c.current.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            c.chunked =
                hasToken(c.current.header(QByteArrayLiteral("Transfer-Encoding")), QByteArrayLiteral("chunked"));
            c.contentLength = 0;
            if (const QByteArray length = c.current.header(QByteArrayLiteral("Content-Length"));
                !c.chunked && !length.isEmpty()) {
                bool ok = false;
                c.contentLength = length.toLongLong(&ok);
                malformed = malformed || !ok || c.contentLength < 0;
            }
            if (malformed) {
                reject(400);
                break;
            }
            if (c.contentLength > kMaxBodyBytes) {
                reject(413);
                break;
            }
            const QByteArray connectionHeader = c.current.header(QByteArrayLiteral("Connection"));
            c.wantsClose = c.current.version == "HTTP/1.0"
                               ? !hasToken(connectionHeader, QByteArrayLiteral("keep-alive"))
                               : hasToken(connectionHeader, QByteArrayLiteral("close"));
            c.headersDone = true;
            if (hasToken(c.current.header(QByteArrayLiteral("Expect")), QByteArrayLiteral("100-continue")))
                c.socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        }

        QByteArray body;
        if (c.chunked) {
            qsizetype consumed = 0;
            const ChunkedResult result = decodeChunked(c.buffer, body, consumed);
            if (result == ChunkedResult::Incomplete)
                break;
            if (result == ChunkedResult::Malformed) {
                reject(400);
                break;
            }
            c.buffer.remove(0, consumed);
        } else {
            if (c.buffer.size() < c.contentLength)
                break;
            body = c.buffer.left(c.contentLength);
            c.buffer.remove(0, c.contentLength);
        }
        c.headersDone = false;
        RecordedRequest request = std::move(c.current);
        c.current = RecordedRequest{};
        request.body = std::move(body);
        m_requests.append(request);

        const QPointer<ScriptedHttpServer> self(this);
        emit requestReceived();
        if (!self)
            return; // a slot destroyed the server; `held` keeps `c` valid until here
        if (!m_connections.contains(socket) || c.closing)
            break;
        const ScriptedResponse response = m_queue.isEmpty() ? m_fallback : m_queue.dequeue();
        respond(c, request, response, c.wantsClose);
    }
    c.processing = false;
}

void ScriptedHttpServer::respond(Connection& c, const RecordedRequest& request, const ScriptedResponse& response,
                                 bool clientWantsClose)
{
    using Behaviour = ScriptedResponse::Behaviour;
    QTcpSocket* socket = c.socket;

    if (response.behaviour == Behaviour::CloseWithoutReply) {
        c.closing = true;
        socket->disconnectFromHost();
        return;
    }
    if (response.behaviour == Behaviour::NoReply) {
        c.busy = true;
        return;
    }

    const int status = response.status;
    const bool statusHasBody = !(status >= 100 && status < 200) && status != 204 && status != 304;
    const bool sendBody = statusHasBody && request.method != "HEAD";
    const QByteArray body = sendBody ? response.body : QByteArray();
    const qint64 advertised =
        response.contentLengthOverride >= 0 ? response.contentLengthOverride : response.body.size();

    bool userWantsClose = false;
    for (const auto& [name, value] : response.headers) {
        if (name.compare("Connection", Qt::CaseInsensitive) == 0 && hasToken(value, QByteArrayLiteral("close")))
            userWantsClose = true;
    }
    const bool shortAdvertised = sendBody && advertised < body.size();
    const bool closeAfter =
        clientWantsClose || userWantsClose || shortAdvertised || response.behaviour == Behaviour::TruncateBody;

    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                      (response.reason.isEmpty() ? reasonPhrase(status) : response.reason) + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (statusHasBody && !hasHeader(response.headers, QByteArrayLiteral("Content-Length")))
        head += "Content-Length: " + QByteArray::number(advertised) + "\r\n";
    if (!hasHeader(response.headers, QByteArrayLiteral("Connection")))
        head +=
            closeAfter ? QByteArrayLiteral("Connection: close\r\n") : QByteArrayLiteral("Connection: keep-alive\r\n");
    head += "\r\n";

    switch (response.behaviour) {
    case Behaviour::Normal:
    case Behaviour::StallBody: {
        const qsizetype sent = response.behaviour == Behaviour::Normal
                                   ? body.size()
                                   : std::min<qsizetype>(std::max(0, response.stallAfterBytes), body.size());
        socket->write(head + body.left(sent));
        if (sendBody && sent < advertised) {
            c.busy = true; // the client waits for bytes that never come
            return;
        }
        // Nothing withheld (a stall after the last byte included): the response is complete.
        finishResponse(c, closeAfter);
        return;
    }
    case Behaviour::TruncateBody:
        socket->write(head + body.left(body.size() / 2));
        c.closing = true;
        socket->disconnectFromHost();
        return;
    case Behaviour::Drip: {
        socket->write(head);
        c.busy = true;
        c.dripRemaining = body;
        c.closeAfterDrip = closeAfter;
        c.stuckAfterDrip = sendBody && advertised > body.size();
        if (!c.dripTimer) {
            c.dripTimer = new QTimer(socket);
            connect(c.dripTimer, &QTimer::timeout, this, [this, socket] { dripNext(socket); });
        }
        c.dripChunkBytes = std::max(1, response.dripChunkBytes);
        c.dripTimer->start(std::max(0, response.dripIntervalMs));
        return;
    }
    case Behaviour::CloseWithoutReply:
    case Behaviour::NoReply: break;
    }
}

void ScriptedHttpServer::finishResponse(Connection& c, bool close)
{
    c.unflushedResponses++;
    if (close) {
        c.closing = true;
        c.socket->disconnectFromHost();
    }
}

void ScriptedHttpServer::dripNext(QTcpSocket* socket)
{
    const auto held = m_connections.value(socket);
    if (!held)
        return;
    Connection& c = *held;
    const int chunk = c.dripChunkBytes;
    if (!c.dripRemaining.isEmpty()) {
        socket->write(c.dripRemaining.left(chunk));
        c.dripRemaining.remove(0, std::min<qsizetype>(chunk, c.dripRemaining.size()));
    }
    if (!c.dripRemaining.isEmpty())
        return;
    c.dripTimer->stop();
    if (c.stuckAfterDrip)
        return;
    c.busy = false;
    finishResponse(c, c.closeAfterDrip);
    if (c.closeAfterDrip)
        return;
    // Requests pipelined behind the dripped one are still waiting in the buffer.
    QMetaObject::invokeMethod(
        this,
        [this, guard = QPointer<QTcpSocket>(socket)] {
            if (guard)
                processBuffer(guard.data());
        },
        Qt::QueuedConnection);
}
