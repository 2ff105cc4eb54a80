#pragma once

#include "library/LibraryTypes.h"
#include "model/GenerationResult.h"
#include "model/Take.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class Library;

/// The take library as the window uses it: reads on the caller's thread, writes on a thread of its own, and one
/// set of signals that say what happened.
///
/// Reads (pages of the history, a take, a count) go through a connection of the caller's thread and cost a few
/// milliseconds. Writes — a take's audio, sidecar and row, favourite copies, exports, drag copies, trash — are queued
/// in order on the writer thread with its own connection, so the window never waits for a disk; their results come back
/// as signals on the caller's thread. A paid take the library cannot keep is still written under rescued/.
///
/// Opening checks the index only as much as showing it safely needs (PRAGMA quick_check); the full integrity check,
/// when due, is the writer thread's first job. Should it find the index damaged, the index is moved aside and rebuilt
/// from the sidecars there, as at open, while the history stays readable; then `reindexed` says so.
class LibraryService final : public QObject
{
    Q_OBJECT

public:
    /// How often the index is checked for changes made by another process (musicgen-cli).
    static constexpr int ChangePollMs = 1500;

    LibraryService(const QString& rootDir, const LibraryOptions& options, QObject* parent = nullptr);
    ~LibraryService() override; ///< finishes queued writes, then stops the writer thread

    /// Opens the library on the calling thread (creating, migrating, quick-checking, repairing and reconciling it),
    /// then starts the writer thread, which runs the full check when it is due. Call once, before anything else.
    OpenReport open();
    /// What open() found and did.
    const OpenReport& openReport() const { return m_openReport; }
    bool isOpen() const;
    QString rootDir() const;
    void setOptions(const LibraryOptions& options);

    /// Newest first; `error` is set when the index could not be read (an empty list then says nothing).
    QList<Take> takes(const TakeQuery& query, QString* error = nullptr) const;
    int count(const TakeQuery& query, QString* error = nullptr) const;
    bool matches(const QString& id, const TakeQuery& query) const;
    std::optional<Take> find(const QString& idOrPrefix, QString* error = nullptr) const;
    /// Absolute path of the take's audio.
    QString audioPath(const Take& take) const;

    /// Keeps a successful take (takeAdded follows). When the library cannot, the audio is still written under
    /// rescued/ so a paid take is never lost, and `failed` says where.
    void add(const GenerationResult& result, const QString& parentId = {});
    void setFavourite(const QString& id, bool favourite);
    void moveToTrash(const QString& id);
    void restore(const QString& id);
    void exportTake(const QString& id, const QString& path, AudioFormat format);
    /// Keeps what the analysis found (takeChanged follows); a failure is logged rather than reported as `failed`.
    void setAnalysis(const QString& id, const MusicAnalysis& analysis);
    /// The musician's tempo for the take; nothing: back to the detected one (Library::setTempoByUser).
    void setTempoByUser(const QString& id, std::optional<double> bpm);

    /// How many drag copies only prepared, never handed out, <root>/drag keeps: the ones most recently asked for.
    static constexpr int DragCopiesKept = 20;
    /// Makes the copy a drag of take `id` hands over (dragCopyReady follows): its audio tagged like a favourite copy,
    /// tempo and key included, named by the favourites' file-name template, in <root>/drag, where besides the copies
    /// handed out only the last DragCopiesKept are kept (Favourites::saveDragCopy). The clips themselves stay exactly
    /// as received. A copy that cannot be made is only logged: the drag then hands over the clip.
    void prepareDragCopy(const QString& id);
    /// The drag copy at `path` was handed out to another program, which may refer to it where it lies: it is kept
    /// until the musician deletes it (Favourites::keepDragCopy). When that cannot be noted, `failed` says so.
    void keepDragCopy(const QString& path);

    // Loops. The cut (TakeLoops::make) belongs to generation, which the library may not use, since it measures the
    // loop with analysis: the window cuts a loop in Qt's pool, reading the parent's audio there too, and hands the
    // finished loop, its recipe and its WAV, to these, which write it on the writer thread like every other take.

    /// Writes the loop `wav` (made from one of the library's takes; `recipe` says which, see TakeLoops::Loop) to
    /// `path` as `format` (Unknown: from the extension), replacing a file there as exportTake() does, then keeps it as
    /// a take linked to its parent (Library::addDerived): takeAdded and loopExported follow. When the file cannot be
    /// written nothing is kept, and `failed` says why and what to do.
    void addLoop(const Take& recipe, const QByteArray& wav, const QString& path, AudioFormat format);
    /// Makes the file a drag of a loop not kept yet hands over (loopDragCopyReady follows): the loop's WAV tagged with
    /// its recipe, named by loopNameTemplate(), among the drag copies in <root>/drag (Favourites::saveDragCopy). When
    /// the drop is taken, keepDragCopy() and addLoop() with that path keep both. A copy that cannot be made is only
    /// logged: the region then does not drag out.
    void prepareLoopDragCopy(const Take& recipe, const QByteArray& wav);
    /// The file-name template of a loop's files: `fileNameTemplate` (FileNames::DefaultTemplate when blank) followed
    /// by the bars, "…_4-bar-loop", so that a loop is told apart from its parent and from loops of other lengths.
    static QString loopNameTemplate(const QString& fileNameTemplate, int bars);

signals:
    void takeAdded(const Take& take);
    /// Favourite, trash, restore, rating, tags, note: the take as it is now.
    void takeChanged(const Take& take);
    void favouriteSaved(const Take& take, const QString& path);
    void exported(const Take& take, const QString& path);
    /// The drag copy of `take`, as it was when the copy was made, is ready at `path`.
    void dragCopyReady(const Take& take, const QString& path);
    /// addLoop() wrote the loop to `path` and kept it as the take `loop`.
    void loopExported(const Take& loop, const QString& path);
    /// The drag copy of the loop `recipe` (as prepareLoopDragCopy() was given it) is ready at `path`.
    void loopDragCopyReady(const Take& recipe, const QString& path);
    /// The index changed on disk since the last look: another process (musicgen-cli) wrote to it, or this
    /// service's own writer did. Listeners that show takes re-read what they may have missed.
    void changedOnDisk();
    /// The full check after open found the index damaged; it was moved aside and rebuilt from the sidecars, and
    /// `message` says so and where the damaged file went. Listeners that show takes read them all again.
    void reindexed(const QString& message);
    /// Something could not be done; `message` says what happened and what to do.
    void failed(const QString& message);

private:
    /// Runs `work` on the writer thread with its open library.
    void post(std::function<void(Library&)> work);
    /// Runs `edit` on the writer thread; its error, if it fails, is reported as `failed`.
    void change(std::function<bool(Library&, QString*)> edit);
    void pollForChanges();
    /// Where drag copies are made: <root>/drag.
    QString dragFolder() const;
    /// Writer thread: runs the full check open() left owed, and repairs a damaged index as the opening would.
    void checkInFull();
    /// The writer repaired a damaged index (`repaired` says how it went): the reader connects to the new one.
    void reconnect(const OpenReport& repaired);
    /// Emits `signal` with `args` on the service's own thread, as the class promises, from the writer thread.
    template <typename... Signal, typename... Args> void report(void (LibraryService::*signal)(Signal...), Args... args)
    {
        QMetaObject::invokeMethod(this, [this, signal, args...] { (this->*signal)(args...); });
    }

    QString m_root;
    LibraryOptions m_options;
    std::unique_ptr<Library> m_reader; ///< the calling thread's connection
    OpenReport m_openReport;
    QThread m_thread;
    QObject* m_context;          ///< lives on m_thread; owns the writer Library
    Library* m_writer = nullptr; ///< used on m_thread only
    QTimer m_pollTimer;
    qint64 m_dataVersion = -1;
};
