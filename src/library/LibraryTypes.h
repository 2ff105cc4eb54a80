#pragma once

#include "platform/AppPaths.h"
#include "platform/FileNames.h"
#include "platform/Settings.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

/// Settings the library takes from the app's settings.
struct LibraryOptions
{
    QString favouritesDir = AppPaths::defaultFavouritesDir();
    /// Fields: {prompt} {seed} {duration} {id} {date} {provider}; the result is made safe for every filesystem.
    QString fileNameTemplate = FileNames::DefaultTemplate;
    double costPerTake = 0.037; ///< dollars per Segmind take; offline takes cost nothing
    /// Use SQLite FTS5 for search when the SQLite build has it. Off forces the LIKE fallback (tests use this).
    bool useFullTextSearch = true;
    /// Run PRAGMA integrity_check on every open, before the library is used. Off: the full check runs when it is due,
    /// on every open up to 16 MB (~30,000 takes) and once a day beyond, with the much cheaper PRAGMA quick_check on
    /// the other opens (see LibrarySchema::FullCheckMaxBytes); LibraryService opens with quick_check only and runs a
    /// full check that is due right after, on its writer thread (Library::Opening::QuickCheckAndReconcile).
    bool alwaysFullIntegrityCheck = false;
};

/// Which takes to list. Results are always newest first.
struct TakeQuery
{
    /// What the search box holds (TakeSearch): words, each matched as a prefix against prompt and tags, and the
    /// `bpm:`, `key:` and `compatible:` filters; all must match.
    QString search;
    bool favouritesOnly = false;
    QString provider;     ///< empty: any
    int minDuration = 0;  ///< requested seconds; 0: no bound
    int maxDuration = 0;  ///< requested seconds; 0: no bound
    bool trashed = false; ///< false: only takes not in the trash; true: only the trash
    /// Above 0: only takes with their audio whose analysis is older than this version (what is left to analyse).
    int analysedBefore = 0;
    int limit = 100; ///< <= 0: no limit
    int offset = 0;
    /// Keyset paging: when `olderThanId` is set, only the takes that come after the take (olderThan, olderThanId)
    /// in newest-first order (ties in `created` are ordered by TakeId::toNumber). Stable while takes are added,
    /// unlike `offset`.
    QDateTime olderThan;
    QString olderThanId;
};

/// What the library mended while keeping its two copies of every take, the index and the sidecars, in line
/// (LibraryReconciler; LibraryReconciler::describe() puts it in words).
struct Repairs
{
    int reattached = 0;         ///< clips found without an entry in the index and indexed again
    int indexUpdated = 0;       ///< takes whose sidecar was ahead of the index (a change stopped before its commit)
    int sidecarsRestored = 0;   ///< damaged, missing or older sidecars written again from the index
    int nowMissing = 0;         ///< takes whose audio went missing (kept in the history, marked missing)
    int temporariesRemoved = 0; ///< leftovers of writes that were killed
    QStringList recipesLost;    ///< takes indexed from their audio alone: neither copy of the recipe was readable
    QStringList damagedKept;    ///< damaged sidecars, kept as "<id>.json.damaged" beside the new one
    QStringList unrepaired;     ///< what could not be mended, and why
};

/// What Library::open() found and did.
struct OpenReport
{
    bool ok = false;
    /// Open for reading only: the database is from a newer app version, or the library's folder cannot be
    /// written (permissions, a read-only or full disk). `message` says which and what to do.
    bool readOnly = false;
    QString message;                 ///< for people: what happened and what to do; empty when there is nothing to say
    QString movedAsidePath;          ///< where a corrupt database was moved
    int rebuiltTakes = 0;            ///< takes indexed again after the database was found damaged
    int missingAudio = 0;            ///< takes (all of them, not just new ones) whose audio file is missing
    Repairs repairs;                 ///< what the reconcile (or the rebuild of a damaged database) mended
    bool fullIntegrityCheck = false; ///< PRAGMA integrity_check ran (otherwise quick_check)
    /// The full check is due and was left to Library::checkInFull() (Library::Opening::QuickCheckAndReconcile).
    bool fullCheckOwed = false;
};

/// The library's options as the musician set them.
inline LibraryOptions libraryOptionsFrom(const Settings& settings)
{
    LibraryOptions options;
    options.favouritesDir = settings.favouritesDir();
    options.fileNameTemplate = settings.fileNameTemplate();
    options.costPerTake = settings.costPerTake();
    return options;
}
