#pragma once

#include "generation/TakeLoops.h"
#include "model/Take.h"

#include <QObject>
#include <QString>

#include <optional>

class LibraryService;

/// The loop of the waveform's region, made as soon as the region settles so that exporting it or dragging it out
/// starts at once: the take's audio is read and the loop cut (TakeLoops::make, tens of milliseconds) in Qt's pool, then
/// the library's writer makes the file a drag hands over (LibraryService::prepareLoopDragCopy). The library keeps a
/// loop only when it is exported or dropped somewhere (LibraryService::addLoop).
class RegionLoop final : public QObject
{
    Q_OBJECT

public:
    /// Keeps loops through `library` (not owned).
    explicit RegionLoop(LibraryService* library, QObject* parent = nullptr);

    /// Cuts `bars` bars from bar `startBar` of `parent`: cut() follows, then dragCopyReady(), or failed(). What was
    /// asked before is forgotten, even while it is still being cut.
    void prepare(const Take& parent, int startBar, int bars);
    /// Forgets the loop: there is no region of whole bars.
    void clear();
    /// The loop, once cut; nothing before, or when it could not be cut.
    const std::optional<TakeLoops::Loop>& loop() const { return m_loop; }
    /// The drag copy at `path` was dropped on a program that took it: the library keeps the copy
    /// (LibraryService::keepDragCopy) and the loop it holds as a take whose file it is. Only once per copy, however
    /// often it is dragged out; a path that is not the last copy made is left alone.
    void keepDragged(const QString& path);

signals:
    /// loop() is ready.
    void cut();
    /// The loop's drag copy is ready at `path`.
    void dragCopyReady(const QString& path);
    /// The loop could not be cut; `message` says why and what to do.
    void failed(const QString& message);

private:
    LibraryService* m_library;
    int m_asked = 0; ///< counts prepare() and clear(), so that a cut finishing after a newer request is dropped
    std::optional<TakeLoops::Loop> m_loop;
    /// The last drag copy made, and the loop it holds.
    struct DragCopy
    {
        QString path;
        TakeLoops::Loop loop;
        bool kept = false; ///< dropped somewhere and kept as a take, once
    };
    std::optional<DragCopy> m_dragCopy;
};
