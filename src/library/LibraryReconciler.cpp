#include "library/LibraryReconciler.h"

#include "library/ClipsFolder.h"
#include "library/LibraryDatabase.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

LibraryReconciler::LibraryReconciler(LibraryDatabase& db, const ClipsFolder& clips) : m_db(db), m_clips(clips) {}

LibraryReconciler::Result LibraryReconciler::reconcile()
{
    const QHash<QString, qint64> recorded = m_db.scannedDirs();
    ClipsFolder::Scan scan = m_clips.scan(recorded);
    if (scan.listedDirs.isEmpty() && scan.goneDirs.isEmpty())
        return {};
    const QStringList checkDirs = scan.listedDirs + scan.goneDirs;
    const QSet<QString> checkSet(checkDirs.cbegin(), checkDirs.cend());
    // Rows are read after listing: a take another process adds meanwhile either has its files listed (so it is not
    // missing) or is not seen at all. Candidates for "missing" are checked once more below.
    const QHash<QString, LibraryDatabase::IndexedAudio> rows =
        recorded.isEmpty() || checkDirs.size() > 8 ? m_db.indexedAudio() : m_db.indexedAudio(checkDirs);
    QStringList nowMissing, foundAgain, orphanIds;
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
                moved.append({*take, entry->audioDir + u'/' + it.key() + u'.' + audioFormatExtension(entry->audio)});
            else if (!it->missing)
                nowMissing << it.key();
        }
    }
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        if (!rows.contains(it.key()))
            orphanIds << it.key();
    }
    QString error;
    if (!m_db.beginWrite(&error)) {
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        return {};
    }
    bool ok = m_db.setAudioMissing(nowMissing, true, &error) && m_db.setAudioMissing(foundAgain, false, &error);
    for (const auto& [take, path] : std::as_const(moved)) {
        Take there = take;
        there.audioRelativePath = path;
        if (QFileInfo::exists(m_clips.sidecarPath(take)) && !QFileInfo::exists(m_clips.sidecarPath(there)))
            QFile::rename(m_clips.sidecarPath(take), m_clips.sidecarPath(there));
        ok = ok && m_db.setAudioPath(take.id, path, &error);
    }
    int reattached = 0;
    for (const QString& id : std::as_const(orphanIds)) {
        const ClipsFolder::Entry& entry = scan.entries[id];
        if (m_db.take(id))
            continue; // indexed meanwhile by another process, or with its audio elsewhere (handled above)
        bool inFlight = false;
        if (const auto take = m_clips.readTake(id, entry, true, &inFlight)) {
            ok = ok && m_db.insert(*take, &error);
            ++reattached;
        } else if (inFlight) {
            scan.dirTimes[entry.audioDir] = 0; // never a real time: the folder is listed again next time
        }
    }
    ok = ok && m_db.saveScannedDirs(scan.dirTimes, &error);
    if (!ok || !m_db.commit(&error)) {
        m_db.rollback();
        qWarning("Library: could not update the index: %s", qUtf8Printable(error));
        return {};
    }
    return Result{reattached, int(nowMissing.size())};
}

int LibraryReconciler::rebuild(QString* error)
{
    ClipsFolder::Scan scan = m_clips.scan();
    if (!m_db.beginWrite(error))
        return -1;
    if (!m_db.clear(error)) {
        m_db.rollback();
        return -1;
    }
    int indexed = 0;
    for (auto it = scan.entries.cbegin(); it != scan.entries.cend(); ++it) {
        bool inFlight = false;
        const auto take = m_clips.readTake(it.key(), it.value(), true, &inFlight);
        if (inFlight)
            scan.dirTimes[it->audioDir] = 0;
        if (!take)
            continue;
        if (!m_db.insert(*take, error)) {
            m_db.rollback();
            return -1;
        }
        ++indexed;
    }
    if (!m_db.saveScannedDirs(scan.dirTimes, error)) {
        m_db.rollback();
        return -1;
    }
    return m_db.commit(error) ? indexed : -1;
}
