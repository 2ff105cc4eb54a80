#include "net/NetworkGateway.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString redactSecret(QString text, const QByteArray& secret)
{
    if (!secret.isEmpty())
        text.replace(QString::fromUtf8(secret), u"[redacted]"_s);
    return text;
}

NetworkGateway::NetworkGateway(QObject* parent) : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
    // Musicians behind a company or campus proxy expect the app to use the system's settings.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    // A redirect to another host must never receive the API key header.
    m_manager->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

QByteArray NetworkGateway::userAgent()
{
    return QByteArrayLiteral("MusicGenStudio/" MUSICGEN_VERSION " (Qt ") + qVersion() + ')';
}

HttpCall* NetworkGateway::send(const HttpRequest& request)
{
    QNetworkRequest networkRequest(request.url);
    networkRequest.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    for (const auto& [name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    QNetworkReply* reply = request.body.isEmpty() && request.method == "GET"
                               ? m_manager->get(networkRequest)
                               : m_manager->sendCustomRequest(networkRequest, request.method, request.body);
    return new HttpCall(reply, request, this);
}

HttpCall::HttpCall(QNetworkReply* reply, const HttpRequest& request, QObject* parent)
    : QObject(parent), m_reply(reply), m_request(request)
{
    reply->setParent(this);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(request.idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        abortWith(HttpResponse::Failure::Timeout,
                  QCoreApplication::translate("Network", "no data for %1 s").arg(m_request.idleTimeoutMs / 1000.0));
    });
    connect(reply, &QNetworkReply::readyRead, this, &HttpCall::onReadyRead);
    connect(reply, &QNetworkReply::metaDataChanged, this, &HttpCall::onMetaDataChanged);
    connect(reply, &QNetworkReply::finished, this, &HttpCall::onFinished);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        restartIdleTimer();
        if (sent == total)
            emit uploadFinished();
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        restartIdleTimer();
        emit downloadProgress(received, total);
    });
    m_idleTimer.start();
}

void HttpCall::restartIdleTimer()
{
    if (!m_done)
        m_idleTimer.start();
}

void HttpCall::abort()
{
    abortWith(HttpResponse::Failure::Cancelled, QCoreApplication::translate("Network", "cancelled"));
}

void HttpCall::abortWith(HttpResponse::Failure failure, const QString& text)
{
    if (m_done || !m_reply)
        return;
    m_abortReason = failure;
    m_abortText = text;
    m_reply->abort();
}

void HttpCall::onMetaDataChanged()
{
    restartIdleTimer();
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_request.maxBodyBytes)
        abortWith(HttpResponse::Failure::TooLarge,
                  QCoreApplication::translate("Network", "the response announced %1 MiB, more than the %2 MiB allowed")
                      .arg(length.toLongLong() / (1024 * 1024))
                      .arg(m_request.maxBodyBytes / (1024 * 1024)));
}

void HttpCall::onReadyRead()
{
    restartIdleTimer();
    m_body += m_reply->readAll();
    if (m_body.size() > m_request.maxBodyBytes)
        abortWith(HttpResponse::Failure::TooLarge,
                  QCoreApplication::translate("Network", "the response was larger than %1 MiB")
                      .arg(m_request.maxBodyBytes / (1024 * 1024)));
}

void HttpCall::onFinished()
{
    if (m_done)
        return;
    m_done = true;
    m_idleTimer.stop();
    if (m_abortReason == HttpResponse::Failure::None)
        m_body += m_reply->readAll();

    HttpResponse response;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    response.status = status.isValid() ? status.toInt() : 0;
    response.headers = m_reply->rawHeaderPairs();
    response.body = std::move(m_body);

    // The HTTP status decides; Qt's error enum only tells whether the exchange itself completed.
    const bool transferFailed = m_reply->error() != QNetworkReply::NoError;
    const QVariant advertised = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (m_abortReason != HttpResponse::Failure::None) {
        response.failure = m_abortReason;
        response.failureText = m_abortText;
    } else if (response.status >= 300 && response.status < 400) {
        response.failure = HttpResponse::Failure::Redirect;
        response.failureText = QCoreApplication::translate(
                                   "Network", "the server redirected to %1; not followed, so the API key stays private")
                                   .arg(m_reply->header(QNetworkRequest::LocationHeader).toUrl().host());
    } else if (response.status == 0) {
        response.failure = HttpResponse::Failure::Network;
        response.failureText = m_reply->errorString();
    } else if (advertised.isValid() && response.body.size() < advertised.toLongLong()) {
        response.failure = HttpResponse::Failure::Truncated;
        response.failureText = QCoreApplication::translate("Network", "the connection closed after %1 of %2 bytes")
                                   .arg(response.body.size())
                                   .arg(advertised.toLongLong());
    } else if (transferFailed && response.status < 400) {
        response.failure = HttpResponse::Failure::Network;
        response.failureText = m_reply->errorString();
    }
    response.failureText = redactSecret(response.failureText, m_request.secret);
    emit finished(response);
    deleteLater();
}
