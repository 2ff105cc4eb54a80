#include "ServeProcess.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

bool ServeProcess::start(const QStringList& extraArguments, QString* error)
{
    m_process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    m_process.setArguments(QStringList{u"serve"_s, u"--port"_s, u"0"_s} + extraArguments);
    m_process.start();
    if (!m_process.waitForStarted()) {
        *error = m_process.errorString();
        return false;
    }
    // The first line says where it listens.
    while (!m_process.canReadLine()) {
        if (!m_process.waitForReadyRead(10000)) {
            *error = u"serve printed no address: "_s + QString::fromUtf8(m_process.readAllStandardError());
            return false;
        }
    }
    const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
    const auto match = QRegularExpression(u"(http://127\\.0\\.0\\.1:(\\d+))/v1$"_s).match(line);
    if (!match.hasMatch()) {
        *error = u"unexpected first line: "_s + line;
        return false;
    }
    m_base = match.captured(1);
    m_port = quint16(match.captured(2).toUInt());
    return true;
}

bool ServeProcess::stop(QString* error)
{
    m_process.terminate();
    if (!m_process.waitForFinished(10000))
        *error = u"serve did not stop within 10 s of SIGTERM"_s;
    else if (m_process.exitStatus() != QProcess::NormalExit || m_process.exitCode() != 0)
        *error = u"serve ended with status %1: %2"_s.arg(m_process.exitCode())
                     .arg(QString::fromUtf8(m_process.readAllStandardError()));
    return error->isEmpty();
}

QByteArray HttpReply::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpReply sendRequest(const QByteArray& method, const QUrl& url, const QByteArray& body, bool withKey,
                      const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (withKey)
        request.setRawHeader("x-api-key", TestApiKey);
    for (const auto& [name, value] : extraHeaders)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    HttpReply answer;
    if (!reply->isFinished() && !finished.wait(30000))
        return answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    return answer;
}

double ServeProcess::peakMemoryMiB() const
{
    QFile status(u"/proc/%1/status"_s.arg(m_process.processId()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const auto match = QRegularExpression(u"VmHWM:\\s*(\\d+) kB"_s).match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toDouble() / 1024.0 : -1;
}
