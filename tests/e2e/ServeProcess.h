#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QStringList>
#include <QUrl>

/// `musicgen-cli serve` as its own process on a free loopback port, for the tests that talk to it over HTTP.
class ServeProcess
{
public:
    /// Starts `musicgen-cli serve --port 0` with `extraArguments` and reads the base URL it prints; false, with
    /// `error` saying why, when it does not come up.
    bool start(const QStringList& extraArguments, QString* error);
    /// Stops it with SIGTERM, as Ctrl+C would; false, with `error` saying why, unless it exited cleanly with 0.
    bool stop(QString* error);

    /// "http://127.0.0.1:PORT", without the /v1 or /v2.
    QString base() const { return m_base; }
    quint16 port() const { return m_port; }
    qint64 processId() const { return m_process.processId(); }
    /// The server's peak resident memory so far (VmHWM) in MiB; -1 when it cannot be read.
    double peakMemoryMiB() const;

    /// What a server whose memory is bounded stays under after the tests' hostile loads: its own 25-35 MiB, with
    /// room for AddressSanitizer's shadow memory in the sanitizer build. Unbounded, the same loads took 527-821 MiB.
    static constexpr double MaxPeakMemoryMiB = 200;

private:
    QProcess m_process;
    QString m_base;
    quint16 m_port = 0;
};

/// An answer as a client sees it; status 0 when none arrived.
struct HttpReply
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    /// The value of header `name` (any case), empty when absent.
    QByteArray header(const QByteArray& name) const;
    /// The body as a JSON object, empty when it is not one.
    QJsonObject json() const;
};

/// The API key the tests send: the server takes any key that is not blank.
inline const QByteArray TestApiKey = QByteArrayLiteral("local");

/// Sends one request as curl would, with `x-api-key` when `withKey` and `extraHeaders`, and waits for the answer.
HttpReply sendRequest(const QByteArray& method, const QUrl& url, const QByteArray& body = {}, bool withKey = true,
                      const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
