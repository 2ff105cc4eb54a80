#include "library/LibraryReconciler.h"

#include "library/LibraryDatabase.h"
#include "library/TakeFields.h"
#include "library/TakeSidecar.h"
#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

int removeAbandoned(const QStringList& temporaries)
{
    int removed = 0;
    for (const QString& path : temporaries)
        removed += AtomicFile::removeIfAbandoned(path) ? 1 : 0;
    return removed;
}

QString audioPathIn(const QString& id, const ClipsFolder::Entry& entry)
{
    return entry.audioDir + u'/' + id + u'.' + audioFormatExtension(entry.audio);
}

} // namespace

LibraryReconciler::LibraryReconciler(LibraryDatabase& db, const ClipsFolder& clips) : m_db(db), m_clips(clips) {}

std::optional<Take> LibraryReconciler::settle(const QString& id, const ClipsFolder::Entry& entry,
                                              const std::optional<Take>& row, Repairs& repairs, bool* inFlight)
{
    std::optional<Take> sidecar;
    ClipsFolder::Entry files = entry;
    if (entry.sidecar) {
        const QString path = m_clips.sidecarPath(id, entry);
        QString why;
        sidecar = TakeSidecar::read(path, &why);
        if (!sidecar || sidecar->id != id) {
            qWarning("Library: the sidecar %s cannot be read (%s); keeping it aside", qUtf8Printable(path),
                     qUtf8Printable(sidecar ? u"it names another take"_s : why));
            sidecar.reset();
            const QString kept = ClipsFolder::setAside(path, &why);
            if (kept.isEmpty()) {
                repairs.unrepaired << why;
                return row; // the damaged file stays where it is; the next look tries again
            }
            repairs.damagedKept << kept;
            files.sidecar = false;
        }
    }
    if (!row) {
        std::optional<Take> found = m_clips.readTake(id, files, true, inFlight);
        if (found && !sidecar)
            repairs.recipesLost << id;
        return found;
    }
    if (sidecar && sidecar->revision >= row->revision) {
        const Take merged = TakeFields::withSidecarChanges(*row, *sidecar);
        if (merged != *row)
            ++repairs.indexUpdated;
        return merged;
    }
    // The index holds the newer or the only readable copy. Nothing is written for a take whose files are all gone.
    if (row->audioMissing && !files.sidecar && !sidecar)
        return row;
    QString why;
    if (TakeSidecar::write(m_clips.sidecarPath(*row), *row, &why))
        ++repairs.sidecarsRestored;
    else
        repairs.unrepaired << why;
    return row;
}

Repairs LibraryReconciler::reconcile()
{
    Repairs repairs;
    const QHash<QString, qint64> recorded = m_db.scannedDirs();
    ClipsFolder::Scan scan = m_clips.scan(recorded);
    repairs.temporariesRemoved = removeAbandoned(scan.temporaries);
    const QStringList pending = m_clips.pendingIds();
    if (scan.listedDirs.isEmpty() && scan.goneDirs.isEmpty() && pending.isEmpty())
        return repairs;
    const QStringList checkDirs = scan.listedDirs + scan.goneDirs;
    const QSet<QString> checkSet(checkDirs.cbegin(), checkDirs.cend());
    // Rows are read after listing: a take another process adds meanwhile either has its files listed (so it is not
    // missing) or is not seen at all. Candidates for "missing" are checked once more below.
    const QHash<QString, LibraryDatabase::IndexedAudio> rows =
        recorded.isEmpty() || checkDirs.size() > 8 ? m_db.indexedAudio() : m_db.indexedAudio(checkDirs);
    QStringList nowMissing, foundAgain, orphanIds, toSettle;
    QList<std::pair<Take, QString>> moved; // the user moved the audio to another folder: follow it
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        const auto entry = scan.entries.constFind(it.key());
        const bool listed = entry != scan.entries.cend() && entry->audio != AudioFormat::Unknown;
        const bool hasAudio = listed && entry->audioDir == it->dir;
        if (hasAudio && it->missing) {
            foundAgain << it.key();
        } else if (!hasAudio && (checkSet.contains(it->dir) || listed)) {
            const auto take = m_db.take(it.key());
            if (!take || QFileInfo::exists(m_clips.audioPath(*take)))
                continue;
            if (listed)
                moved.append({*take, audioPathIn(it.key(), *entry)});
            else if (!it->missing)
                nowMissing << it.key();
        }
        if (hasAudio && !entry->sidecar)
            toSettle << it.key(); // the sidecar was deleted: written again from the index
    }
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        if (!rows.contains(it.key()))
            orphanIds << it.key();
    }
    QString error;
    if (!m_db.beginWrite(&error)) {
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        return repairs;
    }
    bool ok = m_db.setAudioMissing(nowMissing, true, &error) && m_db.setAudioMissing(foundAgain, false, &error);
    for (const auto& [take, path] : std::as_const(moved)) {
        Take there = take;
        there.audioRelativePath = path;
        if (QFileInfo::exists(m_clips.sidecarPath(take)) && !QFileInfo::exists(m_clips.sidecarPath(there)))
            QFile::rename(m_clips.sidecarPath(take), m_clips.sidecarPath(there));
        ok = ok && m_db.setAudioPath(take.id, path, &error);
    }
    // Read again under the write lock: another process's change is either all done or not begun.
    for (const QString& id : std::as_const(toSettle) + pending) {
        const std::optional<Take> row = m_db.take(id);
        if (!row)
            continue;
        // Where its files are now (the row may just have followed moved audio).
        ClipsFolder::Entry entry;
        entry.sidecar = QFileInfo::exists(m_clips.sidecarPath(*row));
        entry.sidecarDir = QFileInfo(row->audioRelativePath).path();
        const std::optional<Take> settled = settle(id, entry, row, repairs);
        if (ok && settled && *settled != *row)
            ok = m_db.update(*settled, &error);
    }
    for (const QString& id : std::as_const(orphanIds)) {
        const ClipsFolder::Entry& entry = scan.entries[id];
        if (m_db.take(id))
            continue; // indexed meanwhile by another process, or with its audio elsewhere (handled above)
        bool inFlight = false;
        if (const auto take = settle(id, entry, std::nullopt, repairs, &inFlight)) {
            ok = ok && m_db.insert(*take, &error);
            ++repairs.reattached;
        } else if (inFlight) {
            scan.dirTimes[entry.audioDir] = 0; // never a real time: the folder is listed again next time
        }
    }
    ok = ok && m_db.saveScannedDirs(scan.dirTimes, &error);
    // Cleared while the write lock is held, so that no new change of these takes has noted itself yet.
    for (const QString& id : pending)
        m_clips.clearPending(id);
    if (!ok || !m_db.commit(&error)) {
        for (const QString& id : pending)
            m_clips.markPending(id, nullptr); // not settled after all: the next open tries again
        m_db.rollback();
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        Repairs failed;
        failed.temporariesRemoved = repairs.temporariesRemoved;
        failed.unrepaired << error;
        return failed;
    }
    repairs.nowMissing = int(nowMissing.size());
    return repairs;
}

int LibraryReconciler::rebuild(Repairs* repairs, QString* error)
{
    ClipsFolder::Scan scan = m_clips.scan();
    repairs->temporariesRemoved = removeAbandoned(scan.temporaries);
    if (!m_db.beginWrite(error))
        return -1;
    auto fail = [this] {
        m_db.rollback();
        return -1;
    };
    const QHash<QString, LibraryDatabase::IndexedAudio> rows = m_db.indexedAudio();
    int indexed = 0;
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        const QString& id = it.key();
        std::optional<Take> indexedRow, row;
        if (rows.contains(id)) {
            QString why;
            indexedRow = m_db.take(id, &why);
            if (!indexedRow) {
                setError(error, why);
                return fail();
            }
            // Where the audio is now, before the row is compared or written out as a sidecar.
            row = indexedRow;
            if (it->audio != AudioFormat::Unknown)
                row->audioRelativePath = audioPathIn(id, *it);
            row->audioMissing = it->audio == AudioFormat::Unknown;
        }
        bool inFlight = false;
        const std::optional<Take> take = settle(id, *it, row, *repairs, &inFlight);
        if (inFlight)
            scan.dirTimes[it->audioDir] = 0;
        if (!take)
            continue;
        if (!row)
            ++repairs->reattached;
        if (take != indexedRow && (!m_db.remove({id}, error) || !m_db.insert(*take, error)))
            return fail();
        ++indexed;
    }
    // Takes with neither audio nor sidecar: kept, flagged missing, so that their recipe is not lost with the files.
    QStringList gone;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        if (!scan.entries.contains(it.key())) {
            ++indexed;
            if (!it->missing)
                gone << it.key();
        }
    }
    if (!m_db.setAudioMissing(gone, true, error) || !m_db.saveScannedDirs(scan.dirTimes, error))
        return fail();
    repairs->nowMissing = int(gone.size());
    // Every take was settled: notes of interrupted changes are done with (the write lock keeps new ones away).
    const QStringList pending = m_clips.pendingIds();
    for (const QString& id : pending)
        m_clips.clearPending(id);
    if (m_db.commit(error))
        return indexed;
    for (const QString& id : pending)
        m_clips.markPending(id, nullptr);
    return -1;
}

QString LibraryReconciler::describe(const Repairs& repairs)
{
    QStringList parts;
    if (repairs.reattached > 0)
        parts << QCoreApplication::translate(
                     "Library", "%1 found in the clips folder without an entry in the library: added back.")
                     .arg(takesText(repairs.reattached));
    if (repairs.indexUpdated > 0)
        parts << QCoreApplication::translate(
                     "Library",
                     "%1 had a change that was interrupted before it was recorded: completed from the take's "
                     "sidecar.")
                     .arg(takesText(repairs.indexUpdated));
    if (repairs.sidecarsRestored > 0)
        parts << QCoreApplication::translate(
                     "Library",
                     "The sidecar of %1 was missing, damaged or out of date: written again from the library.")
                     .arg(takesText(repairs.sidecarsRestored));
    if (!repairs.damagedKept.isEmpty())
        parts << QCoreApplication::translate("Library", "Damaged sidecars were kept aside as %1.")
                     .arg(repairs.damagedKept.join(u", "_s));
    if (!repairs.recipesLost.isEmpty())
        parts << QCoreApplication::translate("Library",
                                             "No readable recipe was left for %1 (%2): kept with what the audio tells.")
                     .arg(takesText(int(repairs.recipesLost.size())), repairs.recipesLost.join(u", "_s));
    if (repairs.nowMissing > 0)
        parts << QCoreApplication::translate("Library",
                                             "The audio of %1 is missing; kept in the history and marked as missing.")
                     .arg(takesText(repairs.nowMissing));
    if (!repairs.unrepaired.isEmpty())
        parts << QCoreApplication::translate("Library", "Could not repair: %1.").arg(repairs.unrepaired.join(u"; "_s));
    return parts.join(u' ');
}
