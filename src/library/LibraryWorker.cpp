#include "library/LibraryWorker.h"

#include "library/ClipFile.h"
#include "library/Library.h"

#include <QDir>

using namespace Qt::StringLiterals;

LibraryWorker::LibraryWorker(const QString& rootDir, const LibraryOptions& options, QObject* parent)
    : QObject(parent), m_context(new QObject)
{
    m_thread.setObjectName(u"LibraryWorker"_s);
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_context, [this, rootDir, options] {
        m_library = new Library(rootDir, options, m_context);
        const OpenReport report = m_library->open();
        if (!report.ok)
            emit failed(report.message);
        connect(m_library, &Library::takeAdded, this, &LibraryWorker::added);
        connect(m_library, &Library::takeChanged, this, &LibraryWorker::changed);
        connect(m_library, &Library::takesRemoved, this, &LibraryWorker::removed);
    });
}

LibraryWorker::~LibraryWorker()
{
    m_thread.quit();
    m_thread.wait();
}

void LibraryWorker::post(std::function<void(Library&)> work)
{
    QMetaObject::invokeMethod(m_context, [this, work = std::move(work)] {
        if (m_library && m_library->isOpen())
            work(*m_library);
        else
            emit failed(tr("The library could not be opened; see the message at start-up."));
    });
}

void LibraryWorker::setOptions(const LibraryOptions& options)
{
    post([options](Library& library) { library.setOptions(options); });
}

void LibraryWorker::add(const GenerationResult& result, const QString& parentId)
{
    QMetaObject::invokeMethod(m_context, [this, result, parentId] {
        QString error;
        if (m_library && m_library->isOpen() && m_library->add(result, parentId, &error))
            return;
        // The take has been paid for: keep its audio even when the library cannot take it.
        QString rescueError;
        const QString path = ClipFile::rescue(result.request, result.audio, result.audioInfo.format,
                                              m_library ? m_library->rootDir() : QDir::tempPath(), &rescueError);
        if (!path.isEmpty())
            emit failed(
                tr("The take could not be added to the history (%1); its audio is kept at %2.").arg(error, path));
        else
            emit failed(tr("The take could not be kept: %1; %2").arg(error, rescueError));
    });
}

void LibraryWorker::setFavourite(const QString& id, bool favourite)
{
    post([this, id, favourite](Library& library) {
        QString path, error;
        if (!library.setFavourite(id, favourite, &path, &error)) {
            emit failed(error);
            return;
        }
        if (favourite && !path.isEmpty()) {
            if (const auto take = library.find(id))
                emit favouriteSaved(*take, path);
        }
    });
}

void LibraryWorker::moveToTrash(const QString& id)
{
    post([this, id](Library& library) {
        QString error;
        if (!library.moveToTrash(id, &error))
            emit failed(error);
    });
}

void LibraryWorker::restore(const QString& id)
{
    post([this, id](Library& library) {
        QString error;
        if (!library.restore(id, &error))
            emit failed(error);
    });
}

void LibraryWorker::exportTake(const QString& id, const QString& path, AudioFormat format)
{
    post([this, id, path, format](Library& library) {
        QString error;
        if (!library.exportTake(id, path, format, true, &error)) {
            emit failed(error);
            return;
        }
        if (const auto take = library.find(id))
            emit exported(*take, path);
    });
}
