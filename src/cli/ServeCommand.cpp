#include "cli/Commands.h"

#include "cli/CliSupport.h"
#include "cli/ExitCode.h"
#include "cli/InterruptWatcher.h"
#include "cli/SketchJobs.h"
#include "cli/SketchServer.h"

#include <QCoreApplication>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace CliSupport;

int runServe(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "serve", "Serve the offline sketch engine with Segmind's HTTP contracts, v1 (blocking) and v2 (queue), so "
                 "the app, curl or Segmind's own SDK and examples can use it by pointing their API base at "
                 "http://HOST:PORT/v1."));
    parser.addPositionalArgument(u"serve"_s, QCoreApplication::translate("serve", "Start the server."), u"serve"_s);
    const QCommandLineOption port(
        u"port"_s, QCoreApplication::translate("serve", "Port (default 8765; 0 picks a free one)."), u"n"_s);
    const QCommandLineOption bind(
        u"bind"_s, QCoreApplication::translate("serve", "Address to listen on (default 127.0.0.1)."), u"address"_s);
    const QCommandLineOption idleExit(u"idle-exit"_s,
                                      QCoreApplication::translate("serve",
                                                                  "Stop after this many seconds without a request "
                                                                  "(default: run until interrupted)."),
                                      u"seconds"_s);
    const QCommandLineOption queueDelay(
        u"queue-delay"_s,
        QCoreApplication::translate("serve", "Keep each v2 job QUEUED this many milliseconds before it starts "
                                             "(default 0)."),
        u"ms"_s);
    const QCommandLineOption jobTtl(u"job-ttl"_s,
                                    QCoreApplication::translate("serve",
                                                                "Forget each v2 job this many seconds after it was "
                                                                "submitted; its URLs then answer 404 (default 3600)."),
                                    u"seconds"_s);
    parser.addOptions({port, bind, idleExit, queueDelay, jobTtl});
    if (!parse(parser, arguments))
        return ExitInvalidInput;

    QString error;
    const int portNumber = intOption(parser, port, 8765, 0, 65535, &error);
    const int idleSeconds = intOption(parser, idleExit, 0, 1, 86400, &error);
    const int queueDelayMs = intOption(parser, queueDelay, 0, 0, 3600 * 1000, &error);
    const int jobTtlSeconds = intOption(parser, jobTtl, int(SketchJobs::DefaultTtl.count()), 1, 7 * 86400, &error);
    const QHostAddress address(parser.isSet(bind) ? parser.value(bind) : u"127.0.0.1"_s);
    if (error.isEmpty() && address.isNull())
        error = QCoreApplication::translate("serve", "--bind takes an IP address (got \"%1\")").arg(parser.value(bind));
    if (!error.isEmpty()) {
        printError(error);
        return ExitInvalidInput;
    }
    if (!address.isLoopback())
        printNotice(QCoreApplication::translate("serve", "note: listening on %1, so other machines can use this server")
                        .arg(address.toString()));

    SketchServer server{std::chrono::milliseconds(queueDelayMs), std::chrono::seconds(jobTtlSeconds)};
    if (server.listen(address, quint16(portNumber)) == 0) {
        printError(QCoreApplication::translate("serve", "cannot listen on %1:%2; choose another --port")
                       .arg(address.toString())
                       .arg(portNumber));
        return ExitServerOrNetwork;
    }
    printLine(QCoreApplication::translate("serve", "serving the offline sketch engine at %1/v1").arg(server.url()));

    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &server, [] { QCoreApplication::exit(ExitOk); });
    QTimer idle;
    idle.setSingleShot(true);
    if (idleSeconds > 0) {
        QObject::connect(&idle, &QTimer::timeout, &server, [] { QCoreApplication::exit(ExitOk); });
        QObject::connect(&server, &SketchServer::requestServed, &idle, [&idle] { idle.start(); });
        idle.start(idleSeconds * 1000);
    }
    return QCoreApplication::exec();
}
