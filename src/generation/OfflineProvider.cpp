#include "generation/OfflineProvider.h"

#include "audio/AudioCodec.h"

#include "engine/SketchEngine.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

class OfflineJob final : public GenerationJob
{
public:
    OfflineJob(const GenerationRequest& request, QObject* parent) : GenerationJob(parent)
    {
        m_result.request = request;
        m_result.providerId = u"offline"_s;
        m_result.model = QString::fromLatin1(engine::ModelId);
        m_result.endpoint = u"built-in"_s;
        m_result.attempts = 1;
        connect(&m_watcher, &QFutureWatcher<QByteArray>::finished, this, [this] { onRendered(); });
    }

    ~OfflineJob() override { m_watcher.waitForFinished(); }

    void start() override
    {
        m_clock.start();
        const engine::SketchParams params{m_result.request.prompt.toStdString(), m_result.request.durationSeconds,
                                          std::uint32_t(m_result.request.seed)};
        m_watcher.setFuture(QtConcurrent::run([params] {
            const std::vector<std::uint8_t> wav = engine::renderWav(params);
            return QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
        }));
        JobStatus status;
        status.phase = JobPhase::Generating;
        emit statusChanged(status);
    }

    void cancel() override
    {
        if (m_cancelled || m_finished)
            return;
        m_cancelled = true;
        QTimer::singleShot(0, this, [this] {
            GenerationError error;
            error.kind = ErrorKind::Cancelled;
            finish(error);
        });
    }

private:
    void onRendered()
    {
        if (m_cancelled)
            return;
        m_result.audio = m_watcher.result();
        QString whyNot;
        if (const auto info = AudioCodec::probe(m_result.audio, &whyNot)) {
            m_result.audioInfo = *info;
            finish({});
        } else {
            GenerationError error; // the engine is ours: this is a bug, but say so instead of crashing
            error.kind = ErrorKind::BadAudio;
            error.detail = whyNot;
            finish(error);
        }
    }

    void finish(const GenerationError& error)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result.error = error;
        m_result.elapsedMs = m_clock.elapsed();
        if (error.isError())
            m_result.audio.clear();
        emit finished(m_result);
    }

    GenerationResult m_result;
    QFutureWatcher<QByteArray> m_watcher;
    QElapsedTimer m_clock;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace

QString OfflineProvider::id() const
{
    return u"offline"_s;
}

QString OfflineProvider::displayName() const
{
    return QString::fromUtf8(engine::EngineName);
}

GenerationJob* OfflineProvider::createJob(const GenerationRequest& request, QObject* parent)
{
    return new OfflineJob(request, parent);
}
