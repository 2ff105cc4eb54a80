#pragma once

#include "library/LibraryTypes.h"
#include "model/GenerationResult.h"
#include "model/Take.h"

#include <QObject>
#include <QThread>

class Library;

/// Does the library's slow work — writing a take's audio, sidecar and row, copying favourites, converting
/// exports — on a thread of its own with its own database connection, so the window never waits for a disk.
/// Requests are queued in order; results come back as signals on the caller's thread.
class LibraryWorker final : public QObject
{
    Q_OBJECT

public:
    LibraryWorker(const QString& rootDir, const LibraryOptions& options, QObject* parent = nullptr);
    ~LibraryWorker() override; ///< finishes queued work, then stops the thread

    void setOptions(const LibraryOptions& options);
    /// Keeps a successful take. When the library cannot, the audio is still written under rescued/ so a paid take
    /// is never lost, and `failed` says where.
    void add(const GenerationResult& result, const QString& parentId = {});
    void setFavourite(const QString& id, bool favourite);
    void moveToTrash(const QString& id);
    void restore(const QString& id);
    void exportTake(const QString& id, const QString& path, AudioFormat format);

signals:
    void added(const Take& take);
    void changed(const Take& take);
    void removed();
    void favouriteSaved(const Take& take, const QString& path);
    void exported(const Take& take, const QString& path);
    /// Something could not be done; `message` says what happened and what to do.
    void failed(const QString& message);

private:
    /// Runs `work` on the worker thread with the open library.
    void post(std::function<void(Library&)> work);

    QThread m_thread;
    QObject* m_context; ///< lives on m_thread; owns the Library
    Library* m_library = nullptr;
};
