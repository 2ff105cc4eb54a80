#pragma once

#include "model/GenerationRequest.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QThreadPool>

#include <chrono>
#include <optional>

/// The jobs of the v2 queue of `musicgen-cli serve`: each accepted request renders with the offline sketch engine
/// on a thread of its own pool, so the server's thread keeps answering polls, and its audio is held in memory
/// until the job is forgotten.
///
/// A job is QUEUED from its submission until a render thread takes it (no sooner than the queue delay, which lets
/// tests and clients see a queue), PROCESSING while it renders, then COMPLETED. Memory stays bounded: a job is
/// forgotten `ttl` after its submission, and the oldest jobs are forgotten first when there are more than MaxJobs or
/// their audio adds up to more than MaxAudioBytes. A forgotten job is unknown, as on Segmind once a record expired.
/// Lives on one thread: every call and every state change happens there.
class SketchJobs final : public QObject
{
    Q_OBJECT

public:
    /// The most jobs held at once.
    static constexpr int MaxJobs = 256;
    /// The most audio held at once: 128 MiB, some 66 takes of 30 s (1.9 MiB each).
    static constexpr qsizetype MaxAudioBytes = 128 * 1024 * 1024;
    static constexpr std::chrono::seconds DefaultTtl{3600};

    enum class State
    {
        Queued,
        Processing,
        Completed,
    };

    struct Job
    {
        QString id; ///< a UUID without braces
        GenerationRequest request;
        State state = State::Queued;
        bool ready = false;     ///< past its queue delay
        qint64 submittedMs = 0; ///< on the queue's own clock
        qint64 startedMs = 0;   ///< when a render thread took it
        qint64 finishedMs = 0;
        QByteArray wav; ///< the audio, once completed
    };

    /// `queueDelay` keeps each job QUEUED at least that long; `ttl` is how long a job is known after its submission.
    SketchJobs(std::chrono::milliseconds queueDelay, std::chrono::seconds ttl, QObject* parent = nullptr);

    /// Queues a render of `request`, whose seed is already drawn, and returns the new job's id.
    QString submit(const GenerationRequest& request);
    /// The job `id` as it is now; nothing when it is unknown or was forgotten.
    std::optional<Job> find(const QString& id);

    /// Segmind's word for `state`: QUEUED, PROCESSING, COMPLETED.
    static QString stateName(State state);
    /// The WAV file the offline engine makes for `request`, whose seed is already drawn.
    static QByteArray render(const GenerationRequest& request);

private:
    Job* job(const QString& id);
    void becameReady(const QString& id);
    void startRenders();
    void rendered(const QString& id, const QByteArray& wav);
    void forgetOldJobs();

    const std::chrono::milliseconds m_queueDelay;
    const std::chrono::seconds m_ttl;
    QElapsedTimer m_clock;
    QList<Job> m_jobs; ///< oldest first
    qsizetype m_audioBytes = 0;
    int m_rendering = 0;
    QThreadPool m_renders; ///< declared last, so it is destroyed first: it waits for the renders still running
};
