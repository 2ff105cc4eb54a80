#include "gui/player/RegionLoop.h"

#include "library/LibraryService.h"
#include "platform/AtomicFile.h"

#include <QFutureWatcher>
#include <QtConcurrentRun>

namespace {

/// What a cut in the pool brings back.
struct Cut
{
    std::optional<TakeLoops::Loop> loop;
    QString error;
};

} // namespace

RegionLoop::RegionLoop(LibraryService* library, QObject* parent) : QObject(parent), m_library(library)
{
    connect(m_library, &LibraryService::loopDragCopyReady, this, [this](const Take& recipe, const QString& path) {
        if (m_loop && recipe == m_loop->recipe) {
            m_dragCopy = DragCopy{path, *m_loop, false};
            emit dragCopyReady(path);
        }
    });
}

void RegionLoop::prepare(const Take& parent, int startBar, int bars)
{
    clear();
    const int asked = m_asked;
    auto* watcher = new QFutureWatcher<Cut>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, asked] {
        watcher->deleteLater();
        if (asked != m_asked)
            return;
        Cut made = watcher->result();
        if (!made.loop) {
            emit failed(tr("The loop cannot be cut: %1").arg(made.error));
            return;
        }
        m_loop = std::move(made.loop);
        emit cut();
        m_library->prepareLoopDragCopy(m_loop->recipe, m_loop->wav);
    });
    watcher->setFuture(QtConcurrent::run([path = m_library->audioPath(parent), parent, startBar, bars] {
        Cut made;
        if (const std::optional<QByteArray> audio = AtomicFile::read(path, &made.error))
            made.loop = TakeLoops::make(parent, *audio, bars, startBar, &made.error);
        return made;
    }));
}

void RegionLoop::clear()
{
    ++m_asked;
    m_loop.reset();
    // The last drag copy stays known: a drag under way hands it out even when the region's loop is cut again
    // meanwhile (the take starred, its key found), and that copy must then be kept.
}

void RegionLoop::keepDragged(const QString& path)
{
    if (!m_dragCopy || m_dragCopy->path != path || m_dragCopy->kept)
        return;
    m_dragCopy->kept = true;
    m_library->keepDragCopy(path);
    m_library->addLoop(m_dragCopy->loop.recipe, m_dragCopy->loop.wav, path, AudioFormat::Wav);
}
