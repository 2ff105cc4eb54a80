#pragma once

#include <QHostAddress>
#include <QObject>

class QHttpServer;

/// The offline sketch engine behind Segmind's v1 contract, so the app, curl or the documentation's Python
/// example can point at it unchanged: POST /v1/meta-musicgen-medium answers audio/wav, GET
/// /v1/get-user-credits a balance; a missing x-api-key is a 401, invalid parameters a 400 with {"error"}, another
/// method on either path a 405 with Allow, and any other path a 404. Requests over the limits of GuardedTcpServer
/// are refused before they are read (413, 431); each connection carries one request.
class SketchServer final : public QObject
{
    Q_OBJECT

public:
    explicit SketchServer(QObject* parent = nullptr);
    ~SketchServer() override;

    /// Listens on `address` through a GuardedTcpServer; port 0 picks a free one. Returns the port, 0 on failure.
    quint16 listen(const QHostAddress& address, quint16 port);

signals:
    /// A request was answered, or refused (for the idle timer of `musicgen-cli serve`).
    void requestServed();

private:
    QHttpServer* m_server;
};
