#include "PulseNullSink.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// The size of a WAV header as parec (libsndfile) writes it for 16-bit PCM.
constexpr qint64 WavHeaderBytes = 44;

bool fail(QString* whyNot, const QString& why)
{
    if (whyNot)
        *whyNot = why;
    return false;
}

} // namespace

PulseNullSink::~PulseNullSink()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.terminate();
        if (!m_server.waitForFinished(5000))
            m_server.kill();
    }
}

QString PulseNullSink::missingTools()
{
    for (const QString& tool : {u"pulseaudio"_s, u"pactl"_s, u"parec"_s}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            return u"%1 is not installed (scripts/setup --tests installs it)"_s.arg(tool);
    }
    return {};
}

QString PulseNullSink::monitor()
{
    return QString::fromLatin1(SinkName) + u".monitor"_s;
}

bool PulseNullSink::start(QString* whyNot)
{
    if (const QString missing = missingTools(); !missing.isEmpty())
        return fail(whyNot, missing);
    if (!m_runtime.isValid())
        return fail(whyNot, u"no temporary folder for the sound server: %1"_s.arg(m_runtime.errorString()));
    const QString socket = m_runtime.filePath(u"pulse/native"_s);
    qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
    qputenv("PULSE_RUNTIME_PATH", m_runtime.filePath(u"pulse"_s).toUtf8());
    qputenv("PULSE_STATE_PATH", m_runtime.filePath(u"state"_s).toUtf8());
    qputenv("PULSE_SERVER", u"unix:%1"_s.arg(socket).toUtf8());
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    m_server.start(u"pulseaudio"_s, {u"--daemonize=no"_s, u"-n"_s, u"--exit-idle-time=-1"_s, u"--disallow-exit"_s,
                                     u"--use-pid-file=no"_s, u"--system=false"_s,
                                     u"--load=module-null-sink sink_name=%1"_s.arg(QString::fromLatin1(SinkName)),
                                     u"--load=module-native-protocol-unix"_s, u"--load=module-always-sink"_s});
    if (!m_server.waitForStarted())
        return fail(whyNot, u"pulseaudio did not start: %1"_s.arg(m_server.errorString()));
    const bool listening =
        QTest::qWaitFor([&] { return QFile::exists(socket) || m_server.state() == QProcess::NotRunning; }, 15000);
    if (!listening || !QFile::exists(socket))
        return fail(whyNot, u"pulseaudio did not open its socket within 15 s: %1"_s.arg(
                                QString::fromLocal8Bit(m_server.readAll())));
    QProcess pactl;
    pactl.setProcessChannelMode(QProcess::MergedChannels);
    pactl.start(u"pactl"_s, {u"set-default-sink"_s, QString::fromLatin1(SinkName)});
    if (!pactl.waitForFinished(15000) || pactl.exitStatus() != QProcess::NormalExit || pactl.exitCode() != 0)
        return fail(whyNot, u"pactl could not make the null sink the default: %1"_s.arg(
                                QString::fromLocal8Bit(pactl.readAll())));
    return true;
}

MonitorRecording::MonitorRecording(QString wavPath, int sampleRate)
    : m_path(std::move(wavPath)), m_sampleRate(sampleRate)
{
}

MonitorRecording::~MonitorRecording()
{
    stop();
}

bool MonitorRecording::start(QString* whyNot)
{
    m_parec.setProcessChannelMode(QProcess::MergedChannels);
    m_parec.start(u"parec"_s, {u"-d"_s, PulseNullSink::monitor(), u"--file-format=wav"_s,
                               u"--rate=%1"_s.arg(m_sampleRate), u"--channels=1"_s, u"--format=s16le"_s,
                               u"--latency-msec=20"_s, u"--process-time-msec=10"_s, m_path});
    if (!m_parec.waitForStarted())
        return fail(whyNot, u"parec did not start: %1"_s.arg(m_parec.errorString()));
    const bool capturing =
        QTest::qWaitFor([&] { return secondsRecorded() > 0.25 || m_parec.state() == QProcess::NotRunning; }, 15000);
    if (!capturing || m_parec.state() == QProcess::NotRunning)
        return fail(whyNot, u"parec recorded nothing within 15 s: %1"_s.arg(QString::fromLocal8Bit(m_parec.readAll())));
    return true;
}

double MonitorRecording::secondsRecorded() const
{
    const qint64 bytes = QFileInfo(m_path).size() - WavHeaderBytes;
    return bytes > 0 ? double(bytes) / (2.0 * m_sampleRate) : 0.0;
}

bool MonitorRecording::stop(QString* whyNot)
{
    if (m_parec.state() == QProcess::NotRunning)
        return m_parec.exitStatus() == QProcess::NormalExit || fail(whyNot, u"parec crashed"_s);
    m_parec.terminate(); // parec finishes the WAV header on SIGTERM
    if (!m_parec.waitForFinished(5000)) {
        m_parec.kill();
        m_parec.waitForFinished(5000);
        return fail(whyNot, u"parec did not stop within 5 s"_s);
    }
    return true;
}
