// clip-server: answers every HTTP request with one audio file, for benchmarks and manual runs.
//   clip-server --file CLIP --port-file PATH [--max-requests N] [--idle-exit S]
// Listens on 127.0.0.1 on a free port, writes that port to PATH, and stops by itself after N responses or after
// S seconds (default 60) without a request.

#include "ScriptedHttpServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "clip-server: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"clip-server"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Answers every HTTP request with 200 audio/wav and the bytes of one file."_s);
    parser.addHelpOption();
    const QCommandLineOption fileOption(u"file"_s, u"Audio file to serve."_s, u"CLIP"_s);
    const QCommandLineOption portFileOption(u"port-file"_s, u"Where to write the port number."_s, u"PATH"_s);
    const QCommandLineOption maxRequestsOption(u"max-requests"_s, u"Exit after N responses (0: no limit)."_s, u"N"_s,
                                               u"0"_s);
    const QCommandLineOption idleExitOption(u"idle-exit"_s, u"Exit after S seconds without a request."_s, u"S"_s,
                                            u"60"_s);
    parser.addOptions({fileOption, portFileOption, maxRequestsOption, idleExitOption});
    parser.process(app);

    if (!parser.isSet(fileOption) || !parser.isSet(portFileOption))
        return fail(u"--file and --port-file are required"_s);
    bool ok = false;
    const int maxRequests = parser.value(maxRequestsOption).toInt(&ok);
    if (!ok || maxRequests < 0)
        return fail(u"--max-requests must be a whole number >= 0"_s);
    const double idleSeconds = parser.value(idleExitOption).toDouble(&ok);
    if (!ok || idleSeconds <= 0 || idleSeconds > 24 * 3600)
        return fail(u"--idle-exit must be a number of seconds > 0"_s);

    QFile clip(parser.value(fileOption));
    if (!clip.open(QIODevice::ReadOnly))
        return fail(u"cannot read %1: %2"_s.arg(clip.fileName(), clip.errorString()));
    const QByteArray bytes = clip.readAll();
    const ScriptedResponse answer = ScriptedResponse::audio(bytes, QByteArrayLiteral("audio/wav"));

    ScriptedHttpServer server;
    server.setFallback(answer);
    if (!server.listen(QHostAddress::LocalHost))
        return fail(u"cannot listen on 127.0.0.1"_s);

    QSaveFile portFile(parser.value(portFileOption));
    if (!portFile.open(QIODevice::WriteOnly) || portFile.write(QByteArray::number(server.port()) + '\n') < 0 ||
        !portFile.commit())
        return fail(u"cannot write %1: %2"_s.arg(portFile.fileName(), portFile.errorString()));

    QTimer idleTimer;
    idleTimer.setSingleShot(true);
    idleTimer.setInterval(int(idleSeconds * 1000));
    QObject::connect(&idleTimer, &QTimer::timeout, &app, [] {
        std::fprintf(stderr, "clip-server: idle, exiting\n");
        QCoreApplication::quit();
    });
    idleTimer.start();

    int sent = 0;
    QObject::connect(&server, &ScriptedHttpServer::requestReceived, &app, [&] {
        idleTimer.start();
        if (maxRequests > 0 && server.requestCount() >= maxRequests) {
            // The last answers close their connections so the client does not reuse one that is about to vanish.
            server.stopListening();
            server.setFallback(answer.withHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close")));
        }
    });
    QObject::connect(&server, &ScriptedHttpServer::responseSent, &app, [&] {
        idleTimer.start();
        if (maxRequests > 0 && ++sent >= maxRequests)
            QCoreApplication::quit();
    });

    return QCoreApplication::exec();
}
