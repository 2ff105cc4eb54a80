#pragma once

#include "library/LibraryTypes.h"
#include "model/Take.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>

class Library;

/// The history list: the library's takes matching a TakeQuery, newest first, read in pages as a view scrolls
/// (canFetchMore/fetchMore) so that 100,000 takes cost no more than the rows on screen.
///
/// It follows the Library it was given: a take added through that Library appears at the top when it passes the
/// filters, a changed take updates (or leaves, or joins) the list, removals reset it. Takes added by another
/// process (the CLI) show up on refresh().
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
    explicit HistoryModel(Library* library, QObject* parent = nullptr);

    /// Replaces the filters and re-reads from the top. The query's limit and offset are ignored: the model pages.
    void setQuery(const TakeQuery& query);
    TakeQuery query() const;
    void setPageSize(int rows);
    int pageSize() const;
    /// Re-reads from the database, keeping at least as many rows as were loaded.
    void refresh();

    /// The take in `row`, or a default Take when out of range.
    Take takeAt(int row) const;
    /// The row showing take `id`, or -1 when it is not loaded.
    int rowOf(const QString& id) const;

    /// Shows a take added through another Library instance (a worker thread's, say) at its place when it passes
    /// the filters. Takes added through the model's own Library arrive here by themselves.
    void onTakeAdded(const Take& take);
    /// Updates, removes or inserts the row of a take changed through another Library instance.
    void onTakeChanged(const Take& take);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    /// Takes drag out of the list as their audio files (text/uri-list), into a DAW or a file manager.
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    QList<Take> readPage(const Take* after, int rows) const;
    int insertionRow(const Take& take) const;
    void insertTake(const Take& take);

    QPointer<Library> m_library;
    TakeQuery m_query;
    QList<Take> m_takes;
    int m_pageSize = DefaultPageSize;
    bool m_hasMore = false;
    bool m_changing = false; ///< inside a change and its signals: no fetching (listeners ask again later)
};
