#pragma once

#include "library/ClipsFolder.h"
#include "library/LibraryTypes.h"

#include <optional>

class LibraryDatabase;
class QString;

/// Keeps the index in line with the clips folder. Every take has two copies of its record, the row in the index and
/// the sidecar beside its audio, and neither may silently erase the other:
///
/// - **The higher revision wins.** Every change raises Take::revision and writes the sidecar before committing
///   the row, noted as pending meanwhile (ClipsFolder::markPending), so a change stopped in between (a kill, a
///   crash) leaves the sidecar ahead and the note behind: the index takes its changes. On a tie the sidecar wins too
///   (it is the file a musician may have edited). A sidecar that is behind, damaged or gone is written again from the
///   index; a damaged one is kept aside first.
/// - A row whose audio is gone is flagged missing, never dropped (and unflagged when the audio comes back); a row
///   whose audio the user moved to another clips folder follows it; a clip without a row is indexed again from its
///   sidecar, or from its audio alone when no copy of its recipe can be read.
/// - Temporary files left by killed writes are removed.
class LibraryReconciler final
{
public:
    LibraryReconciler(LibraryDatabase& db, const ClipsFolder& clips);

    /// Looks only at the folders that changed since the last reconcile (their modification times are kept in the
    /// index) and at the takes whose change was noted as pending, so that opening a large library costs a few
    /// stat() calls. Sidecars that went missing are written again; damaged ones are found by rebuild(). Runs under the
    /// index's write lock, so it never sees a change of another process half-made. When the index cannot be written the
    /// reason is logged and nothing changes: the next open tries again.
    Repairs reconcile();
    /// Looks at every take: both copies of each are read and settled by the rules above, in one transaction. This
    /// is what finds a sidecar damaged in place, or one ahead of an index that lost its last commits to a system
    /// crash.
    /// Takes whose files are both gone stay, flagged missing. Returns how many takes the index holds afterwards,
    /// or -1 with `error` set (the index is then as it was; sidecars already mended stay mended).
    int rebuild(Repairs* repairs, QString* error);
    /// What `repairs` mended, in words; empty when nothing was.
    static QString describe(const Repairs& repairs);

private:
    /// Settles take `id`'s two copies: the sidecar `entry` found and the index's `row` (nothing: no row). Writes
    /// the sidecar again when the index wins and returns what the index should hold; nothing when there is no
    /// usable copy, or, with `inFlight` set, when the audio is too new to judge (ClipsFolder::readTake).
    std::optional<Take> settle(const QString& id, const ClipsFolder::Entry& entry, const std::optional<Take>& row,
                               Repairs& repairs, bool* inFlight = nullptr);

    LibraryDatabase& m_db;
    const ClipsFolder& m_clips;
};
