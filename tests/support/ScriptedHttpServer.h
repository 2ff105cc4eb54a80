#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QUrl>

#include <memory>
#include <utility>

class QTcpServer;
class QTcpSocket;

/// One scripted answer of ScriptedHttpServer: what to send and how to (mis)behave while sending it.
struct ScriptedResponse
{
    enum class Behaviour
    {
        Normal,       ///< status line, headers, Content-Length, whole body
        TruncateBody, ///< advertise the full Content-Length, send the first half of the body, then close
        StallBody,    ///< send headers and the first `stallAfterBytes` bytes of body, then nothing (socket stays open)
        Drip,         ///< send the body in `dripChunkBytes` pieces, one every `dripIntervalMs`
        CloseWithoutReply, ///< read the request, then close the connection without sending a byte
        NoReply,           ///< read the request, then send nothing and keep the connection open (a hung server)
    };

    int status = 200;
    QByteArray reason;                                ///< empty: the usual phrase for `status`
    QList<std::pair<QByteArray, QByteArray>> headers; ///< extra headers, e.g. {"Retry-After", "2"}
    QByteArray body;
    Behaviour behaviour = Behaviour::Normal;
    /// Advertise this Content-Length instead of body.size(). When it is larger than the body, the body is sent and
    /// the connection then stays silent (the client waits); when smaller, the body is sent and the connection closed.
    qint64 contentLengthOverride = -1;
    int stallAfterBytes = 0;
    int dripChunkBytes = 1024;
    int dripIntervalMs = 50;

    static ScriptedResponse json(int status, const QByteArray& json);
    static ScriptedResponse audio(const QByteArray& bytes,
                                  const QByteArray& contentType = QByteArrayLiteral("audio/wav"));
    static ScriptedResponse html(int status, const QByteArray& html);
    /// A copy of this response with one more header, for chaining: json(429, ...).withHeader("Retry-After", "2").
    ScriptedResponse withHeader(const QByteArray& name, const QByteArray& value) const;
    ScriptedResponse withBehaviour(Behaviour newBehaviour) const;
};

/// What the client sent, as the server parsed it.
struct RecordedRequest
{
    QByteArray method;
    QByteArray path;    ///< request target as sent, query included
    QByteArray version; ///< e.g. "HTTP/1.1"
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;     ///< de-chunked when the client used chunked transfer encoding
    int connection = -1; ///< 0-based index of the TCP connection it arrived on (equal indices = keep-alive reuse)

    /// Value of the first header called `name` (case-insensitive); empty when absent.
    QByteArray header(const QByteArray& name) const;
};

/// A loopback HTTP/1.1 server for tests that answers each request with the next scripted response and records
/// what the client sent. It lives in the thread that creates it and does its work in that thread's event loop,
/// so tests must spin the loop (QSignalSpy::wait, QTRY_*). Destroying it closes every connection, stalled ones too.
class ScriptedHttpServer : public QObject
{
    Q_OBJECT
public:
    explicit ScriptedHttpServer(QObject* parent = nullptr);
    ~ScriptedHttpServer() override;

    /// Starts listening; port 0 picks a free port. Returns false (and logs why) on failure.
    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    /// Stops accepting connections; open connections are left alone.
    void stopListening();
    quint16 port() const;
    /// "http://127.0.0.1:<port>", without a trailing slash.
    QUrl baseUrl() const;

    /// Queues a response; requests take them first in, first out.
    void enqueue(const ScriptedResponse& response);
    /// The response used when the queue is empty (default: 500 JSON {"error":"no scripted response"}).
    void setFallback(const ScriptedResponse& response);
    int pendingResponses() const;

    QList<RecordedRequest> requests() const;
    int requestCount() const;
    void clearRequests();
    /// TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests).
    int connectionCount() const;
    /// TCP connections currently open.
    int openConnectionCount() const;

signals:
    /// A request has been read completely (headers and body). Emitted before the response is chosen, so a
    /// slot may still enqueue the answer to it.
    void requestReceived();
    /// The last byte of a complete response has been handed to the operating system.
    void responseSent();
    /// A connection has closed, whichever side closed it.
    void connectionClosed();

private:
    struct Connection;

    void acceptConnections();
    void processBuffer(QTcpSocket* socket);
    void respond(Connection& connection, const RecordedRequest& request, const ScriptedResponse& response,
                 bool clientWantsClose);
    void dripNext(QTcpSocket* socket);
    /// The response is all written: it counts as sent once flushed, and the connection closes after it if `close`.
    void finishResponse(Connection& connection, bool close);
    void forgetConnection(QTcpSocket* socket);

    QTcpServer* m_tcpServer = nullptr;
    QHash<QTcpSocket*, std::shared_ptr<Connection>> m_connections;
    QQueue<ScriptedResponse> m_queue;
    ScriptedResponse m_fallback;
    QList<RecordedRequest> m_requests;
    int m_connectionsAccepted = 0;
};
