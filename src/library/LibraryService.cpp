#include "library/LibraryService.h"

#include "library/ClipFile.h"
#include "library/Favourites.h"
#include "library/Library.h"
#include "platform/FileNames.h"

#include <QDir>

using namespace Qt::StringLiterals;

LibraryService::LibraryService(const QString& rootDir, const LibraryOptions& options, QObject* parent)
    : QObject(parent), m_root(rootDir), m_options(options), m_reader(std::make_unique<Library>(rootDir, options)),
      m_context(new QObject)
{
    m_thread.setObjectName(u"LibraryWriter"_s);
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_pollTimer.setInterval(ChangePollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &LibraryService::pollForChanges);
}

LibraryService::~LibraryService()
{
    // Queued behind every write already posted, so none is dropped.
    QMetaObject::invokeMethod(m_context, [this] { m_thread.quit(); });
    m_thread.wait();
}

OpenReport LibraryService::open()
{
    // The musician waits for the quick check only (0.15 s at 100,000 takes): it finds a truncated, overwritten or
    // garbage file before anything is shown from it. The full check (0.6 s, and more with every index) only adds
    // the index entries compared with their rows, which showing the history does not need: the writer runs it next.
    // Reconciling with the clips folder stays here, since it decides what the first screen shows (takes added back,
    // audio flagged missing, interrupted changes completed) and costs a stat() per folder, plus one pass over the
    // index when a folder changed.
    m_openReport = m_reader->open(Library::Opening::QuickCheckAndReconcile);
    // The writer connects after the reader has checked, repaired or rebuilt the database and reconciled it with
    // the clips folder, so it does neither again.
    m_thread.start();
    QMetaObject::invokeMethod(m_context, [this, checkOwed = m_openReport.fullCheckOwed] {
        m_writer = new Library(m_root, m_options, m_context);
        if (const OpenReport writerReport = m_writer->open(Library::Opening::Attach); !writerReport.ok)
            report(&LibraryService::failed, writerReport.message);
        connect(m_writer, &Library::takeAdded, this, &LibraryService::takeAdded);
        connect(m_writer, &Library::takeChanged, this, &LibraryService::takeChanged);
        if (checkOwed)
            checkInFull();
    });
    m_dataVersion = m_reader->dataVersion();
    m_pollTimer.start();
    return m_openReport;
}

void LibraryService::checkInFull()
{
    QString error;
    const LibraryDatabase::Status status = m_writer->checkInFull(&error);
    if (status == LibraryDatabase::Status::Ok)
        return;
    if (status != LibraryDatabase::Status::Corrupt) {
        qWarning("LibraryService: the full check of the library's index did not finish (%s); the next start runs it",
                 qUtf8Printable(error));
        return;
    }
    // The repair the opening would have made. Meanwhile the reader goes on reading the damaged file where it was
    // moved (SQLite leaves the journal of a file moved while open alone), so the history stays on the screen.
    const OpenReport repaired = m_writer->open(Library::Opening::Repair);
    QMetaObject::invokeMethod(this, [this, repaired] { reconnect(repaired); });
}

void LibraryService::reconnect(const OpenReport& repaired)
{
    if (!repaired.ok) {
        emit failed(repaired.message); // the reader keeps the takes on the screen; the next start tries again
        return;
    }
    if (repaired.movedAsidePath.isEmpty())
        return; // the index passed when checked again: another process repaired it meanwhile
    if (const OpenReport reader = m_reader->open(Library::Opening::Attach); !reader.ok) {
        emit failed(reader.message);
        return;
    }
    m_dataVersion = m_reader->dataVersion();
    emit reindexed(repaired.message);
}

bool LibraryService::isOpen() const
{
    return m_reader->isOpen();
}

QString LibraryService::rootDir() const
{
    return m_root;
}

void LibraryService::setOptions(const LibraryOptions& options)
{
    m_options = options;
    m_reader->setOptions(options);
    post([options](Library& library) { library.setOptions(options); });
}

QList<Take> LibraryService::takes(const TakeQuery& query, QString* error) const
{
    return m_reader->takes(query, error);
}

int LibraryService::count(const TakeQuery& query, QString* error) const
{
    return m_reader->count(query, error);
}

bool LibraryService::matches(const QString& id, const TakeQuery& query) const
{
    return m_reader->matches(id, query);
}

std::optional<Take> LibraryService::find(const QString& idOrPrefix, QString* error) const
{
    return m_reader->find(idOrPrefix, error);
}

QString LibraryService::audioPath(const Take& take) const
{
    return m_reader->audioPath(take);
}

void LibraryService::pollForChanges()
{
    const qint64 version = m_reader->dataVersion();
    if (version != m_dataVersion) {
        m_dataVersion = version;
        emit changedOnDisk();
    }
}

void LibraryService::post(std::function<void(Library&)> work)
{
    QMetaObject::invokeMethod(m_context, [this, work = std::move(work)] {
        if (m_writer && m_writer->isOpen())
            work(*m_writer);
        else
            report(&LibraryService::failed, tr("The library could not be opened; see the message at start-up."));
    });
}

void LibraryService::add(const GenerationResult& result, const QString& parentId)
{
    QMetaObject::invokeMethod(m_context, [this, result, parentId] {
        QString error;
        if (m_writer && m_writer->isOpen() && m_writer->add(result, parentId, &error))
            return;
        // The take has been paid for: keep its audio even when the library cannot take it.
        QString rescueError;
        const QString path = ClipFile::rescue(result.request, result.audio, result.audioInfo.format,
                                              m_root.isEmpty() ? QDir::tempPath() : m_root, &rescueError);
        if (!path.isEmpty())
            report(&LibraryService::failed,
                   tr("The take could not be added to the history (%1); its audio is kept at %2.").arg(error, path));
        else
            report(&LibraryService::failed, tr("The take could not be kept: %1; %2").arg(error, rescueError));
    });
}

void LibraryService::setFavourite(const QString& id, bool favourite)
{
    post([this, id, favourite](Library& library) {
        QString path, error;
        if (!library.setFavourite(id, favourite, &path, &error)) {
            report(&LibraryService::failed, error);
            return;
        }
        if (favourite && !path.isEmpty()) {
            if (const auto take = library.find(id))
                report(&LibraryService::favouriteSaved, *take, path);
        }
    });
}

void LibraryService::change(std::function<bool(Library&, QString*)> edit)
{
    post([this, edit = std::move(edit)](Library& library) {
        QString error;
        if (!edit(library, &error))
            report(&LibraryService::failed, error);
    });
}

void LibraryService::moveToTrash(const QString& id)
{
    change([id](Library& library, QString* error) { return library.moveToTrash(id, error); });
}

void LibraryService::restore(const QString& id)
{
    change([id](Library& library, QString* error) { return library.restore(id, error); });
}

void LibraryService::setAnalysis(const QString& id, const MusicAnalysis& analysis)
{
    // Background work the musician did not ask for: a take deleted meanwhile or a full disk is logged, not shown
    // once per take; the take is analysed again on the next start.
    post([id, analysis](Library& library) {
        if (QString error; !library.setAnalysis(id, analysis, &error))
            qWarning("Could not keep the analysis of take %s: %s", qPrintable(id), qPrintable(error));
    });
}

void LibraryService::setTempoByUser(const QString& id, std::optional<double> bpm)
{
    change([id, bpm](Library& library, QString* error) { return library.setTempoByUser(id, bpm, error); });
}

void LibraryService::exportTake(const QString& id, const QString& path, AudioFormat format)
{
    post([this, id, path, format](Library& library) {
        QString error;
        if (!library.exportTake(id, path, format, true, &error)) {
            report(&LibraryService::failed, error);
            return;
        }
        if (const auto take = library.find(id))
            report(&LibraryService::exported, *take, path);
    });
}

void LibraryService::prepareDragCopy(const QString& id)
{
    post([this, id](Library& library) {
        QString error;
        const std::optional<Take> take = library.find(id, &error);
        const QByteArray audio = take ? library.readAudio(*take, &error) : QByteArray();
        const std::optional<QString> path =
            audio.isEmpty() ? std::nullopt
                            : Favourites::saveDragCopy(dragFolder(), library.options().fileNameTemplate, *take, audio,
                                                       DragCopiesKept, &error);
        if (path)
            report(&LibraryService::dragCopyReady, *take, *path);
        else
            qWarning("LibraryService: take %s drags out as its clip: %s", qUtf8Printable(id), qUtf8Printable(error));
    });
}

void LibraryService::keepDragCopy(const QString& path)
{
    post([this, path](Library&) {
        QString error;
        if (!Favourites::keepDragCopy(path, &error))
            report(&LibraryService::failed,
                   tr("The dragged file %1 could not be marked to keep (%2), so it may be deleted with older drag "
                      "copies: save it into your project to be safe.")
                       .arg(QDir::toNativeSeparators(path), error));
    });
}

void LibraryService::addLoop(const Take& recipe, const QByteArray& wav, const QString& path, AudioFormat format)
{
    post([this, recipe, wav, path, format](Library& library) {
        QString error;
        if (const std::optional<Take> kept = library.addDerived(recipe, wav, path, format, true, &error))
            report(&LibraryService::loopExported, *kept, path);
        else
            report(&LibraryService::failed, tr("The loop could not be exported: %1").arg(error));
    });
}

void LibraryService::prepareLoopDragCopy(const Take& recipe, const QByteArray& wav)
{
    post([this, recipe, wav](Library& library) {
        QString error;
        const QString nameTemplate = loopNameTemplate(library.options().fileNameTemplate, recipe.loopBars);
        if (const std::optional<QString> path =
                Favourites::saveDragCopy(dragFolder(), nameTemplate, recipe, wav, DragCopiesKept, &error))
            report(&LibraryService::loopDragCopyReady, recipe, *path);
        else
            qWarning("LibraryService: a loop of take %s cannot be dragged out: %s", qUtf8Printable(recipe.parentId),
                     qUtf8Printable(error));
    });
}

QString LibraryService::dragFolder() const
{
    return m_root + u"/drag"_s;
}

QString LibraryService::loopNameTemplate(const QString& fileNameTemplate, int bars)
{
    const QString base = fileNameTemplate.trimmed().isEmpty() ? QString(FileNames::DefaultTemplate) : fileNameTemplate;
    return base + u"_%1-bar-loop"_s.arg(bars);
}
