#pragma once

#include "audio/AudioTags.h"
#include "library/LibraryTypes.h"
#include "model/Take.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

class LibraryService;

/// The history list: the library's takes matching a TakeQuery, newest first, read in pages as a view scrolls
/// (canFetchMore/fetchMore) so that 100,000 takes cost no more than the rows on screen.
///
/// It follows the LibraryService it was given: a take added appears at its place when it passes the filters, a
/// changed take updates (or leaves, or joins) the list, and takes another process (the CLI) added appear when the
/// service notices the index changed on disk.
class HistoryModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        PromptRole,
        DurationRole, ///< requested seconds (int)
        SeedRole,
        ProviderRole,
        CreatedRole, ///< QDateTime, UTC
        FavouriteRole,
        RatingRole,
        TagsRole, ///< QStringList
        AudioMissingRole,
        TakeRole,           ///< the whole Take (QVariant::fromValue)
        ActualDurationRole, ///< seconds in the audio (double)
        TrashedRole,
        NoteRole,
        ParentIdRole,
    };
    Q_ENUM(Role)

    static constexpr int DefaultPageSize = 200;

    /// `library` must be open; the model reads the first page right away.
    explicit HistoryModel(LibraryService* library, QObject* parent = nullptr);

    /// Replaces the filters and re-reads from the top. The query's limit and offset are ignored: the model pages.
    void setQuery(const TakeQuery& query);
    TakeQuery query() const;
    void setPageSize(int rows);
    int pageSize() const;
    /// Re-reads from the database, keeping at least as many rows as were loaded.
    void refresh();
    /// Empty while the list reads fine. Otherwise why the last read failed and what to do, for people: the list
    /// then shows what could be read (perhaps nothing), which must not be taken for "no takes match".
    QString errorText() const;

    /// The take in `row`, or a default Take when out of range.
    Take takeAt(int row) const;
    /// What the row's tooltip (and its accessible description) says about a take: prompt, length, seed, provider,
    /// what it cost (and whether Segmind said so or it is the estimate), the server's request id, and its tempo,
    /// key and loudness.
    static QString details(const Take& take);
    /// The row showing take `id`, or -1 when it is not loaded.
    int rowOf(const QString& id) const;
    /// Has the tagged copy that a drag of the take at `current` hands over made in the background
    /// (LibraryService::prepareDragCopy) once the selection has rested DragCopyDelayMs, and made again when the
    /// take's tags change meanwhile. Connect the view's current-changed to it: the musician drags the take they have
    /// just selected or played.
    void prepareDrag(const QModelIndex& current);
    static constexpr int DragCopyDelayMs = 300;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    /// Takes drag out of the list as audio files (text/uri-list), into a DAW or a file manager: the take's tagged copy
    /// when prepareDrag() has one ready that still carries the take's tags (tempo and key included), else its clip.
    /// A copy handed out stays until the musician deletes it (LibraryService::keepDragCopy): a DAW may refer to it.
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    /// errorText() changed: a read failed, or one worked again (`errorText` is then empty).
    void errorChanged(const QString& errorText);

private:
    /// Shows an added take at its place when it passes the filters.
    void onTakeAdded(const Take& take);
    /// Updates, removes or inserts the row of a changed take.
    void onTakeChanged(const Take& take);
    /// Re-reads when the newest matching take on disk is not in the list (another process added it).
    void onChangedOnDisk();
    void onDragCopyReady(const Take& take, const QString& path);
    /// The drag copy of `take` when one is ready and carries the take's tags as they are now, else empty.
    QString dragCopyOf(const Take& take) const;
    void requestDragCopy();

    /// Reads the first `rows` takes of the query again, resetting the model.
    void reload(int rows);
    /// Up to `rows` takes after `after` (from the top when null); `error` gets the library's reason when the read
    /// fails, and is cleared when it works.
    QList<Take> readPage(const Take* after, int rows, QString* error) const;
    /// Remembers the outcome of a read (after the model's change signals, so listeners see both together).
    void setReadError(const QString& libraryError);
    int insertionRow(const Take& take) const;
    void insertTake(const Take& take);

    QPointer<LibraryService> m_library;
    TakeQuery m_query;
    QList<Take> m_takes;
    QString m_errorText;
    int m_pageSize = DefaultPageSize;
    bool m_hasMore = false;
    bool m_changing = false; ///< inside a change and its signals: no fetching (listeners ask again later)
    struct DragCopy
    {
        QString path;
        EmbeddedTags tags; ///< what the copy carries
    };
    QHash<QString, DragCopy> m_dragCopies; ///< by take id; only those whose file is still there
    QString m_dragTakeId;                  ///< the take prepareDrag() was last given
    QTimer m_dragDelay;                    ///< from the last prepareDrag() to asking for its copy
};
