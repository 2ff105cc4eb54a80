#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// One HTTP exchange to make. `secret` names a value (the API key) that must never appear in any text the
/// gateway hands back.
struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    HttpHeaders headers;
    QByteArray body;
    QByteArray secret;
    int idleTimeoutMs = 60'000;             ///< abort when no byte moves for this long
    qint64 maxBodyBytes = 64 * 1024 * 1024; ///< abort when the body would be larger
};

/// What came back. `failure` is None whenever a complete HTTP response arrived, whatever its status.
struct HttpResponse
{
    enum class Failure
    {
        None,
        Network,   ///< no complete response: DNS, refused, TLS, reset
        Truncated, ///< the body ended before its Content-Length
        Timeout,   ///< the idle timeout passed
        TooLarge,  ///< the body was over the cap
        Redirect,  ///< a redirect to another origin, deliberately not followed
        Cancelled, ///< aborted by the caller
    };

    int status = 0; ///< the HTTP status, 0 when none arrived
    QByteArray body;
    HttpHeaders headers;
    Failure failure = Failure::None;
    QString failureText; ///< why, for people; never contains the secret

    /// The first header of that name (case-insensitive); empty when absent.
    QByteArray header(const QByteArray& name) const;
};

/// One running exchange. Emits `finished` exactly once, then deletes itself.
class HttpCall final : public QObject
{
    Q_OBJECT

public:
    /// Stops the exchange at once; `finished` follows with Failure::Cancelled.
    void abort();
    /// Stops the exchange with a failure the caller decided on (e.g. its own deadline passed).
    void abortWith(HttpResponse::Failure failure, const QString& text);

signals:
    void uploadFinished();
    void downloadProgress(qint64 received, qint64 total);
    void finished(const HttpResponse& response);

private:
    friend class NetworkGateway;
    HttpCall(QNetworkReply* reply, const HttpRequest& request, QObject* parent);

    void onReadyRead();
    void onMetaDataChanged();
    void onFinished();
    void restartIdleTimer();

    QPointer<QNetworkReply> m_reply;
    HttpRequest m_request;
    QByteArray m_body;
    QTimer m_idleTimer;
    HttpResponse::Failure m_abortReason = HttpResponse::Failure::None;
    QString m_abortText;
    bool m_done = false;
};

/// The one owner of the QNetworkAccessManager: user agent, same-origin redirects only, TLS errors never
/// ignored, the system proxy, idle timeouts, body caps and keeping the API key out of every message.
class NetworkGateway final : public QObject
{
    Q_OBJECT

public:
    explicit NetworkGateway(QObject* parent = nullptr);

    /// Starts `request`. The call is owned by the gateway and deletes itself after `finished`.
    HttpCall* send(const HttpRequest& request);

    /// "MusicGenStudio/<version> (Qt <version>)"
    static QByteArray userAgent();

private:
    QNetworkAccessManager* m_manager;
};

/// `text` with every occurrence of `secret` replaced by a mask. Used on anything shown, logged or stored.
QString redactSecret(QString text, const QByteArray& secret);
