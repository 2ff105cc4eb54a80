#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

/// A private PulseAudio sound server whose only sink is a null sink: tests hear what the app plays without a sound
/// card, and neither hear nor disturb a desktop's own sound server. Use it with MonitorRecording:
///
///     PulseNullSink sound;
///     if (!sound.start(&why)) QSKIP or QFAIL(why);   // this process's players now play into the null sink
///     MonitorRecording recording(dir.filePath(u"heard.wav"_s));
///     QVERIFY(recording.start(&why));               // parec is capturing: play now
///     ... play ...
///     QVERIFY(recording.stop(&why));                // a complete WAV file, 16-bit mono
class PulseNullSink final
{
public:
    /// The null sink, made the server's default sink; PulseAudio names its monitor source SinkName + ".monitor".
    static constexpr const char* SinkName = "null";

    PulseNullSink() = default;
    /// Stops the server. The environment keeps pointing at its (removed) folder.
    ~PulseNullSink();
    PulseNullSink(const PulseNullSink&) = delete;
    PulseNullSink& operator=(const PulseNullSink&) = delete;

    /// Empty when pulseaudio, pactl and parec are installed; else which is missing and how to install it, for QSKIP.
    static QString missingTools();

    /// Starts the server with its runtime and state in a temporary folder, points this process's environment at it
    /// (XDG_RUNTIME_DIR, PULSE_RUNTIME_PATH, PULSE_STATE_PATH, PULSE_SERVER), so every PulseAudio client started
    /// afterwards — Qt Multimedia's players, parec, pactl — uses it, and waits until it accepts clients. False, with
    /// `whyNot`, when it cannot.
    bool start(QString* whyNot = nullptr);
    bool isRunning() const { return m_server.state() == QProcess::Running; }
    /// The source that hears everything played into the sink.
    static QString monitor();

private:
    QTemporaryDir m_runtime;
    QProcess m_server;
};

/// parec recording the null sink's monitor into a 16-bit mono WAV file, in real time.
class MonitorRecording final
{
public:
    explicit MonitorRecording(QString wavPath, int sampleRate = 32000);
    /// Stops parec if it still runs.
    ~MonitorRecording();
    MonitorRecording(const MonitorRecording&) = delete;
    MonitorRecording& operator=(const MonitorRecording&) = delete;

    /// Starts parec and waits until it captures (a quarter second of silence on disk; parec can take a second to
    /// start), so what is played next is recorded from its first sample. False, with `whyNot`, when it cannot.
    bool start(QString* whyNot = nullptr);
    /// How much is on disk now, in seconds: where in the recording the present moment falls, give or take parec's
    /// latency (20 ms).
    double secondsRecorded() const;
    /// Stops parec, which finishes the WAV header on the way. False, with `whyNot`, when it did not end cleanly.
    bool stop(QString* whyNot = nullptr);

    QString path() const { return m_path; }
    int sampleRate() const { return m_sampleRate; }

private:
    QString m_path;
    int m_sampleRate;
    QProcess m_parec;
};
