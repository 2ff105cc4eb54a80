#pragma once

#include <QProcess>
#include <QSignalSpy>
#include <QString>

/// What a run of musicgen-cli gave: its exit code (-1 when it crashed or did not finish) and what it printed.
struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;

    /// Starts `process` (program, arguments and environment set) and waits up to `timeoutMs` for it to end; one that
    /// does not is killed, and the run says so with exit code -1.
    static CliRun of(QProcess& process, int timeoutMs)
    {
        QSignalSpy finished(&process, &QProcess::finished);
        process.start();
        CliRun run;
        if (!process.waitForStarted() || !finished.wait(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            qWarning("musicgen-cli did not finish");
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }
};
