#include "cli/GuardedTcpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <optional>
#include <utility>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

/// Why a request is answered without reaching QHttpServer.
struct Refusal
{
    int status = 0;
    QByteArray reason; ///< the status line's phrase
    QString message;   ///< the JSON body's "error"
};

/// Follows the bytes of one HTTP/1.1 request as they arrive and says when it is complete or why it is refused. It
/// keeps the header section (at most MaxHeaderBytes) and counts the body without keeping it. What it accepts,
/// QHttpServer reads the same way: the request line and headers it parses, a Content-Length or chunked body.
class RequestScanner
{
public:
    enum class Progress
    {
        NeedMore,
        Complete,
        Refused,
    };

    /// Reads on with `bytes`, the ones that arrived after those fed before.
    Progress feed(QByteArrayView bytes);
    /// Whether the client waits for "100 Continue" before it sends the body: true once, when the headers are in.
    bool takeContinue() { return std::exchange(m_continue, false); }
    const Refusal& refusal() const { return m_refusal; }

private:
    enum class State
    {
        Head,
        Body,      ///< a Content-Length body
        ChunkSize, ///< a chunked body: the line with the next chunk's size
        ChunkData,
        ChunkEnd, ///< the CRLF after a chunk's data
        Trailers, ///< after the last chunk, until a blank line
        Done,
        Refused,
    };

    void endOfHead();
    void endOfChunkSize();
    void countBody(qsizetype bytes);
    void tooLarge();
    void refuse(int status, const QByteArray& reason, const QString& message);
    void malformed(const QString& what) { refuse(400, "Bad Request"_ba, what); }

    State m_state = State::Head;
    QByteArray m_head; ///< the header section so far
    qsizetype m_headBytes = 0;
    QByteArray m_line; ///< a chunk-size, end-of-chunk or trailer line so far
    qsizetype m_bodyBytes = 0;
    qint64 m_remaining = 0; ///< of the Content-Length body or of the current chunk
    bool m_continue = false;
    Refusal m_refusal;
};

RequestScanner::Progress RequestScanner::feed(QByteArrayView bytes)
{
    for (qsizetype i = 0; i < bytes.size() && m_state != State::Done && m_state != State::Refused;) {
        if (m_state == State::Body || m_state == State::ChunkData) {
            const qsizetype taken = qsizetype(qMin<qint64>(m_remaining, bytes.size() - i));
            i += taken;
            m_remaining -= taken;
            if (m_state == State::ChunkData)
                countBody(taken);
            if (m_remaining == 0 && m_state != State::Refused)
                m_state = m_state == State::Body ? State::Done : State::ChunkEnd;
            continue;
        }
        const char c = bytes[i++];
        if (m_state == State::Head) {
            if (++m_headBytes > GuardedTcpServer::MaxHeaderBytes) {
                refuse(431, "Request Header Fields Too Large"_ba,
                       u"The request's header section is larger than %1 bytes (%2 KiB); send shorter headers"_s
                           .arg(GuardedTcpServer::MaxHeaderBytes)
                           .arg(GuardedTcpServer::MaxHeaderBytes / 1024));
                break;
            }
            // Like QHttpServer, skip what is left of the line breaks and spaces before a request line.
            if (m_head.isEmpty() && (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v'))
                continue;
            m_head.append(c);
            if (c == '\n' && (m_head.endsWith("\n\r\n") || m_head.endsWith("\n\n")))
                endOfHead();
            continue;
        }
        countBody(1);
        if (m_state == State::Refused)
            break;
        m_line.append(c);
        if (m_state == State::ChunkEnd && m_line.size() == 2) {
            if (m_line != "\r\n")
                malformed(u"A chunk's data must be followed by CRLF"_s);
            else
                m_state = State::ChunkSize;
            m_line.clear();
        } else if (c == '\n' && m_state == State::ChunkSize) {
            endOfChunkSize();
        } else if (c == '\n' && m_state == State::Trailers) {
            if (m_line == "\r\n" || m_line == "\n")
                m_state = State::Done;
            m_line.clear();
        }
    }
    switch (m_state) {
    case State::Done: return Progress::Complete;
    case State::Refused: return Progress::Refused;
    default: return Progress::NeedMore;
    }
}

void RequestScanner::endOfHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    m_head = QByteArray();
    const QList<QByteArray> requestLine = lines.constFirst().simplified().split(' ');
    const bool http11 = requestLine.size() == 3 && requestLine.at(2) == "HTTP/1.1";
    if (!http11 && (requestLine.size() != 3 || requestLine.at(2) != "HTTP/1.0")) {
        malformed(u"The request line must be METHOD PATH HTTP/1.1"_s);
        return;
    }
    std::optional<QByteArray> contentLength;
    QByteArray transferEncoding, expect;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArray line = lines.at(n).endsWith('\r') ? lines.at(n).chopped(1) : lines.at(n);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            malformed(u"Every header line must be NAME: VALUE"_s);
            return;
        }
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        // The first of repeated headers counts, as in QHttpServer.
        if (name == "content-length" && !contentLength)
            contentLength = value;
        else if (name == "transfer-encoding" && transferEncoding.isEmpty())
            transferEncoding = value.toLower();
        else if (name == "expect" && expect.isEmpty())
            expect = value.toLower();
    }
    const bool chunked = transferEncoding.contains("chunked");
    qint64 length = 0;
    if (!chunked && contentLength) {
        bool ok = false;
        length = contentLength->toLongLong(&ok);
        if (!ok || length < 0) {
            malformed(u"Content-Length must be a whole number of bytes"_s);
            return;
        }
    }
    if (length > GuardedTcpServer::MaxBodyBytes) {
        tooLarge();
        return;
    }
    m_continue = http11 && expect == "100-continue" && (chunked || length > 0);
    m_remaining = length;
    m_state = chunked ? State::ChunkSize : length > 0 ? State::Body : State::Done;
}

void RequestScanner::endOfChunkSize()
{
    if (!m_line.endsWith("\r\n")) {
        malformed(u"A chunk's size line must end in CRLF"_s);
        return;
    }
    const qsizetype extension = m_line.indexOf(';');
    const QByteArray digits = (extension < 0 ? m_line : m_line.first(extension)).trimmed();
    m_line.clear();
    bool ok = false;
    const qint64 size = digits.toLongLong(&ok, 16);
    if (!ok || size < 0) {
        malformed(u"A chunk's size must be a hexadecimal number"_s);
        return;
    }
    // A chunk announced larger than what the limit leaves is refused before its data arrives.
    if (size > GuardedTcpServer::MaxBodyBytes - m_bodyBytes) {
        tooLarge();
        return;
    }
    m_remaining = size;
    m_state = size == 0 ? State::Trailers : State::ChunkData;
}

void RequestScanner::countBody(qsizetype bytes)
{
    m_bodyBytes += bytes;
    if (m_bodyBytes > GuardedTcpServer::MaxBodyBytes)
        tooLarge();
}

void RequestScanner::tooLarge()
{
    refuse(413, "Payload Too Large"_ba,
           u"The request body is larger than %1 bytes (%2 KiB); send the JSON request alone"_s
               .arg(GuardedTcpServer::MaxBodyBytes)
               .arg(GuardedTcpServer::MaxBodyBytes / 1024));
}

void RequestScanner::refuse(int status, const QByteArray& reason, const QString& message)
{
    m_refusal = {status, reason, message};
    m_state = State::Refused;
}

/// One connection from its first byte to its close: scans the request while it waits in the socket, hands it to
/// QHttpServer when it is complete, or answers it itself when it is refused; then closes the connection.
class ConnectionGate final : public QObject
{
public:
    ConnectionGate(QTcpSocket* socket, std::function<void(QTcpSocket*)> handOver, std::function<void()> refused);

private:
    void scan();
    void answered();
    void refuse(const Refusal& refusal);
    void linger();
    void shutDownWhenWritten();

    QTcpSocket* m_socket;
    std::function<void(QTcpSocket*)> m_handOver;
    std::function<void()> m_refused;
    RequestScanner m_scanner;
    qsizetype m_scanned = 0; ///< bytes waiting in the socket that the scanner has seen
    bool m_handedOver = false;
    bool m_refusedOnce = false;
    bool m_shutDown = false;
};

ConnectionGate::ConnectionGate(QTcpSocket* socket, std::function<void(QTcpSocket*)> handOver,
                               std::function<void()> refused)
    : QObject(socket), m_socket(socket), m_handOver(std::move(handOver)), m_refused(std::move(refused))
{
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGate::scan);
    // Once handed over, QHttpServer deletes the socket when it disconnects.
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] {
        if (!m_handedOver)
            m_socket->deleteLater();
    });
    // A client that never finishes its request would otherwise hold its connection, and its buffer, for good.
    QTimer::singleShot(GuardedTcpServer::RequestTimeoutMs, this, [this] {
        if (!m_handedOver && !m_refusedOnce)
            refuse({408, "Request Timeout"_ba,
                    u"The request did not arrive in full within %1 seconds"_s.arg(GuardedTcpServer::RequestTimeoutMs /
                                                                                  1000)});
    });
}

void ConnectionGate::scan()
{
    // The request stays in the socket for QHttpServer; the socket's buffer holds at most one byte more than the
    // largest request within the limits, so a request over them always shows itself here.
    const QByteArray waiting = m_socket->peek(m_socket->bytesAvailable());
    const RequestScanner::Progress progress = m_scanner.feed(QByteArrayView(waiting).sliced(m_scanned));
    m_scanned = waiting.size();
    if (m_scanner.takeContinue())
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n"_ba);
    if (progress == RequestScanner::Progress::Refused) {
        refuse(m_scanner.refusal());
    } else if (progress == RequestScanner::Progress::Complete) {
        disconnect(m_socket, &QIODevice::readyRead, this, nullptr);
        m_handedOver = true;
        m_handOver(m_socket); // QHttpServer connects its reader to readyRead...
        // ...so this runs after it, once it has answered the request that is already waiting.
        connect(m_socket, &QIODevice::readyRead, this, &ConnectionGate::answered);
        QMetaObject::invokeMethod(m_socket, &QIODevice::readyRead, Qt::QueuedConnection);
    }
}

void ConnectionGate::answered()
{
    // One request per connection: whatever else the client sends is not read as a request.
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    linger();
}

void ConnectionGate::refuse(const Refusal& refusal)
{
    const QByteArray body = QJsonDocument(QJsonObject{{u"error"_s, refusal.message}}).toJson(QJsonDocument::Compact);
    m_socket->write("HTTP/1.1 " + QByteArray::number(refusal.status) + ' ' + refusal.reason +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body);
    disconnect(m_socket, &QIODevice::readyRead, this, nullptr);
    m_refusedOnce = true;
    m_refused();
    linger();
}

/// Closing a connection whose client is still sending would make the system reset it, and the client could lose
/// the answer before reading it. So the connection is half-closed once the answer is written (the client reads it,
/// then the end), and what still arrives is read and dropped until the client closes too, or LingerMs have passed.
void ConnectionGate::linger()
{
    connect(m_socket, &QIODevice::readyRead, this, [this] { m_socket->skip(m_socket->bytesAvailable()); });
    connect(m_socket, &QIODevice::bytesWritten, this, &ConnectionGate::shutDownWhenWritten);
    m_socket->skip(m_socket->bytesAvailable());
    shutDownWhenWritten();
    // A client that does not read its answer would keep it in memory for good.
    QTimer::singleShot(GuardedTcpServer::AnswerTimeoutMs, this, [this] { m_socket->abort(); });
}

void ConnectionGate::shutDownWhenWritten()
{
    if (m_shutDown || m_socket->bytesToWrite() > 0 || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_shutDown = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    QTimer::singleShot(GuardedTcpServer::LingerMs, this, [this] { m_socket->abort(); });
}

} // namespace

GuardedTcpServer::GuardedTcpServer(QObject* parent) : QTcpServer(parent) {}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    socket->setReadBufferSize(MaxHeaderBytes + MaxBodyBytes + 1);
    new ConnectionGate(
        socket, [this](QTcpSocket* complete) { addPendingConnection(complete); }, [this] { emit requestRefused(); });
}
