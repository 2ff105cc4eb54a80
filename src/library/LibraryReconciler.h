#pragma once

class ClipsFolder;
class LibraryDatabase;
class QString;

/// Keeps the index in line with the clips folder, by the library's one rule: the clips folder is the truth and
/// neither copy may silently erase the other. A row whose audio is gone is flagged missing, never dropped (and
/// unflagged when the audio comes back); a row whose audio the user moved to another clips folder follows it; a clip
/// without a row is indexed again from its sidecar, or from its audio alone.
class LibraryReconciler final
{
public:
    /// What reconcile() changed.
    struct Result
    {
        int reattached = 0; ///< clips found without a row and indexed again
        int nowMissing = 0; ///< rows whose audio went missing since the last look
    };

    LibraryReconciler(LibraryDatabase& db, const ClipsFolder& clips);

    /// Looks only at the folders that changed since the last reconcile (their modification times are kept in the
    /// index), so that opening a large library costs a few stat() calls. When the index cannot be written the
    /// reason is logged and nothing changes: the next open tries again.
    Result reconcile();
    /// Empties the index and indexes every take in the clips folder again, in one transaction. Returns how many,
    /// or -1 with `error` set (the index is then as it was).
    int rebuild(QString* error);

private:
    LibraryDatabase& m_db;
    const ClipsFolder& m_clips;
};
