#pragma once

#include <QTcpServer>

/// The listening socket of `musicgen-cli serve`, in front of QHttpServer (QAbstractHttpServer::bind).
///
/// QHttpServer (Qt 6.4) keeps a whole request in memory, whatever its size, before it looks at it: a client could
/// make the server hold a body or a header line of any length. So each connection waits here first: its bytes stay
/// in the socket, whose buffer holds at most one request within the limits, and are scanned as they arrive. A
/// header section over MaxHeaderBytes is answered 431, a body over MaxBodyBytes 413 (as soon as Content-Length
/// announces it, or as the chunks of a chunked body arrive), framing that cannot be read 400, each with a JSON
/// `{"error": ...}` that says what to change. `Expect: 100-continue` gets `100 Continue` (or the 413) as soon as the
/// headers are in. Only a complete request within the limits is handed to QHttpServer.
///
/// Each connection carries one request: after its answer (QHttpServer's, with `Connection: close`, or a refusal)
/// the connection is closed. A client that is too slow to send its request or to read its answer is cut off, so
/// that every connection holds its few KiB for a bounded time.
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    /// The request line and the headers, blank line included.
    static constexpr qsizetype MaxHeaderBytes = 16 * 1024;
    /// The body as sent, chunked framing included: a request is a JSON object of a few hundred bytes.
    static constexpr qsizetype MaxBodyBytes = 16 * 1024;
    /// How long a connection stays open once its answer is sent, reading away what the client still sends, before
    /// it is closed anyway.
    static constexpr int LingerMs = 5000;
    /// A request not complete this long after its connection opened is answered 408 and its connection closed.
    static constexpr int RequestTimeoutMs = 10000;
    /// A connection whose client has not read its whole answer this long after it was ready is closed.
    static constexpr int AnswerTimeoutMs = 60000;

    explicit GuardedTcpServer(QObject* parent = nullptr);

signals:
    /// A request was refused here (400, 413 or 431) rather than handed to QHttpServer.
    void requestRefused();

protected:
    void incomingConnection(qintptr descriptor) override;
};
