#include "library/HistoryModel.h"

#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QUrl>

#include "library/Favourites.h"
#include "library/LibraryService.h"

#include <QScopedValueRollback>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// The list's order: newest first, ties broken by the id's number, exactly as the database sorts.
bool comesBefore(const Take& a, const Take& b)
{
    const qint64 ta = a.created.toMSecsSinceEpoch(), tb = b.created.toMSecsSinceEpoch();
    return ta != tb ? ta > tb : TakeId::toNumber(a.id) > TakeId::toNumber(b.id);
}

} // namespace

HistoryModel::HistoryModel(LibraryService* library, QObject* parent) : QAbstractListModel(parent), m_library(library)
{
    if (m_library) {
        connect(m_library, &LibraryService::takeAdded, this, &HistoryModel::onTakeAdded);
        connect(m_library, &LibraryService::takeChanged, this, &HistoryModel::onTakeChanged);
        connect(m_library, &LibraryService::changedOnDisk, this, &HistoryModel::onChangedOnDisk);
        connect(m_library, &LibraryService::reindexed, this, &HistoryModel::refresh);
        connect(m_library, &LibraryService::dragCopyReady, this, &HistoryModel::onDragCopyReady);
    }
    m_dragDelay.setSingleShot(true);
    m_dragDelay.setInterval(DragCopyDelayMs);
    connect(&m_dragDelay, &QTimer::timeout, this, &HistoryModel::requestDragCopy);
    setQuery(TakeQuery{});
}

void HistoryModel::setQuery(const TakeQuery& query)
{
    m_query = query;
    reload(m_pageSize);
}

TakeQuery HistoryModel::query() const
{
    return m_query;
}

void HistoryModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

int HistoryModel::pageSize() const
{
    return m_pageSize;
}

void HistoryModel::refresh()
{
    reload(std::max(m_pageSize, int(m_takes.size())));
}

void HistoryModel::reload(int rows)
{
    const QScopedValueRollback changing(m_changing, true);
    QString error;
    beginResetModel();
    m_takes = readPage(nullptr, rows, &error);
    m_hasMore = m_takes.size() == rows;
    endResetModel();
    setReadError(error);
}

QString HistoryModel::errorText() const
{
    return m_errorText;
}

void HistoryModel::setReadError(const QString& libraryError)
{
    const QString text =
        libraryError.isEmpty() ? QString() : tr("The history could not be read: %1.").arg(libraryError);
    if (text == m_errorText)
        return;
    m_errorText = text;
    emit errorChanged(m_errorText);
}

void HistoryModel::onChangedOnDisk()
{
    // Only a take this list has not seen needs a re-read; the service's own writes arrive by signal.
    TakeQuery newest = m_query;
    newest.limit = 1;
    newest.offset = 0;
    newest.olderThan = {};
    newest.olderThanId.clear();
    QString error;
    const QList<Take> latest = m_library ? m_library->takes(newest, &error) : QList<Take>();
    // A read that fails, or works again after failing, reaches errorText() through a full re-read.
    if (!error.isEmpty() || !m_errorText.isEmpty() || (!latest.isEmpty() && rowOf(latest.constFirst().id) < 0))
        refresh();
}

QList<Take> HistoryModel::readPage(const Take* after, int rows, QString* error) const
{
    error->clear();
    if (!m_library)
        return {};
    TakeQuery page = m_query;
    page.limit = rows;
    page.offset = 0;
    // Keyset paging: the next page starts after the last row shown, however many takes arrived meanwhile.
    page.olderThan = after ? after->created : QDateTime();
    page.olderThanId = after ? after->id : QString();
    return m_library->takes(page, error);
}

QString HistoryModel::details(const Take& take)
{
    QStringList lines{take.prompt,
                      tr("%1 s · seed %2 · %3").arg(take.requestedDuration).arg(take.seed).arg(take.provider)};
    if (take.provider == "segmind"_L1) {
        const QString cost = QLocale::system().toCurrencyString(take.cost(), u"$"_s, 3);
        lines << (take.serverCost ? tr("%1, as Segmind said").arg(cost) : tr("about %1, estimated").arg(cost));
    }
    if (!take.requestId.isEmpty())
        lines << tr("request %1").arg(take.requestId);
    // What the chips show, in words, where a screen reader and a narrow row can reach it too.
    if (take.analysisVersion > 0)
        lines << take.analysis().inWords(take.bpmByUser);
    return lines.join(u'\n');
}

Take HistoryModel::takeAt(int row) const
{
    return row >= 0 && row < m_takes.size() ? m_takes.at(row) : Take{};
}

int HistoryModel::rowOf(const QString& id) const
{
    for (int row = 0; row < m_takes.size(); ++row) {
        if (m_takes.at(row).id == id)
            return row;
    }
    return -1;
}

int HistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_takes.size());
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Take& take = m_takes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case PromptRole: return take.prompt;
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole: return details(take);
    case IdRole: return take.id;
    case DurationRole: return take.requestedDuration;
    case SeedRole: return take.seed;
    case ProviderRole: return take.provider;
    case CreatedRole: return take.created;
    case FavouriteRole: return take.favourite;
    case RatingRole: return take.rating;
    case TagsRole: return take.tags;
    case AudioMissingRole: return take.audioMissing;
    case TakeRole: return QVariant::fromValue(take);
    case ActualDurationRole: return take.actualDuration;
    case TrashedRole: return take.trashed;
    case NoteRole: return take.note;
    case ParentIdRole: return take.parentId;
    default: return {};
    }
}

QHash<int, QByteArray> HistoryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {PromptRole, "prompt"},
                  {DurationRole, "duration"},
                  {SeedRole, "seed"},
                  {ProviderRole, "provider"},
                  {CreatedRole, "created"},
                  {FavouriteRole, "favourite"},
                  {RatingRole, "rating"},
                  {TagsRole, "tags"},
                  {AudioMissingRole, "audioMissing"},
                  {TakeRole, "take"},
                  {ActualDurationRole, "actualDuration"},
                  {TrashedRole, "trashed"},
                  {NoteRole, "note"},
                  {ParentIdRole, "parentId"}});
    return names;
}

bool HistoryModel::canFetchMore(const QModelIndex& parent) const
{
    // A listener reacting to our own change signal (QAbstractItemModelTester does) must not start another change.
    return !parent.isValid() && m_hasMore && !m_changing;
}

void HistoryModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const QScopedValueRollback changing(m_changing, true);
    QString error;
    const QList<Take> page = readPage(m_takes.isEmpty() ? nullptr : &m_takes.constLast(), m_pageSize, &error);
    m_hasMore = page.size() == m_pageSize;
    if (!page.isEmpty()) {
        beginInsertRows({}, int(m_takes.size()), int(m_takes.size() + page.size() - 1));
        m_takes.append(page);
        endInsertRows();
    }
    setReadError(error);
}

int HistoryModel::insertionRow(const Take& take) const
{
    const auto at = std::partition_point(m_takes.cbegin(), m_takes.cend(),
                                         [&take](const Take& shown) { return comesBefore(shown, take); });
    return int(at - m_takes.cbegin());
}

void HistoryModel::insertTake(const Take& take)
{
    const QScopedValueRollback changing(m_changing, true);
    const int row = insertionRow(take);
    // Past the loaded rows it belongs to a page not read yet; fetchMore will bring it.
    if (row == m_takes.size() && m_hasMore)
        return;
    beginInsertRows({}, row, row);
    m_takes.insert(row, take);
    endInsertRows();
}

void HistoryModel::onTakeAdded(const Take& take)
{
    if (rowOf(take.id) < 0 && m_library && m_library->matches(take.id, m_query))
        insertTake(take);
}

void HistoryModel::onTakeChanged(const Take& take)
{
    const QScopedValueRollback changing(m_changing, true);
    const int row = rowOf(take.id);
    const bool matches = m_library && m_library->matches(take.id, m_query);
    if (row >= 0 && matches) {
        m_takes[row] = take;
        emit dataChanged(index(row), index(row));
    } else if (row >= 0) {
        beginRemoveRows({}, row, row);
        m_takes.removeAt(row);
        endRemoveRows();
    } else if (matches) {
        insertTake(take);
    }
    if (take.id == m_dragTakeId)
        prepareDrag(index(rowOf(take.id)));
}

void HistoryModel::prepareDrag(const QModelIndex& current)
{
    m_dragTakeId = current.data(IdRole).toString();
    // Once the selection rests: arrowing through the list would otherwise queue a tagged copy of every take
    // passed, ahead of the writes the musician waits for.
    m_dragDelay.start();
}

void HistoryModel::requestDragCopy()
{
    const int row = rowOf(m_dragTakeId);
    if (row < 0 || !m_library)
        return;
    const Take take = index(row).data(TakeRole).value<Take>();
    if (!take.audioMissing && dragCopyOf(take).isEmpty())
        m_library->prepareDragCopy(take.id);
}

void HistoryModel::onDragCopyReady(const Take& take, const QString& path)
{
    // The drag folder keeps only the newest copies; those it let go of are forgotten here too.
    m_dragCopies.removeIf([](decltype(m_dragCopies)::iterator copy) { return !QFileInfo::exists(copy->path); });
    m_dragCopies.insert(take.id, DragCopy{path, Favourites::tagsFor(take)});
}

QString HistoryModel::dragCopyOf(const Take& take) const
{
    const auto copy = m_dragCopies.constFind(take.id);
    return copy != m_dragCopies.cend() && copy->tags == Favourites::tagsFor(take) ? copy->path : QString();
}

Qt::ItemFlags HistoryModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags result = QAbstractListModel::flags(index);
    if (index.isValid() && !index.data(AudioMissingRole).toBool())
        result |= Qt::ItemIsDragEnabled;
    return result;
}

QStringList HistoryModel::mimeTypes() const
{
    return {u"text/uri-list"_s};
}

QMimeData* HistoryModel::mimeData(const QModelIndexList& indexes) const
{
    QList<QUrl> urls;
    for (const QModelIndex& index : indexes) {
        const Take take = index.data(TakeRole).value<Take>();
        const QString copy = dragCopyOf(take);
        const bool handsOverCopy = !copy.isEmpty() && QFileInfo::exists(copy);
        const QString path = handsOverCopy ? copy : m_library->audioPath(take);
        if (!QFileInfo::exists(path))
            continue;
        urls.append(QUrl::fromLocalFile(path));
        // Where it is dropped, it may be referred to in place: the drag folder must not let it go.
        if (handsOverCopy)
            m_library->keepDragCopy(copy);
    }
    if (urls.isEmpty())
        return nullptr;
    auto* data = new QMimeData;
    data->setUrls(urls);
    return data;
}
