#pragma once

#include "library/ClipsFolder.h"
#include "library/LibraryDatabase.h"
#include "library/LibraryTypes.h"
#include "model/GenerationResult.h"
#include "model/Take.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

/// Every take the musician made, kept durably: the audio exactly as the provider returned it under
/// <root>/clips/YYYY/MM/<id>.<ext>, a JSON sidecar with the recipe beside it, and an SQLite index
/// (<root>/library.sqlite3) for listing and search.
///
/// Every take has two copies of its record, the row in the index and the sidecar beside its audio, and open()
/// keeps them in line (LibraryReconciler has the rules): a change interrupted between the two is completed from
/// whichever copy has the higher revision, a damaged database is moved aside and rebuilt from the sidecars, a damaged
/// or missing sidecar is written again from the index, rows whose audio went missing are flagged (never dropped) and
/// clips without a row are added back, with what their audio tells when no recipe is left.
///
/// Several instances may use one root at once (the window and the CLI): writes wait for each other through
/// SQLite's busy timeout, and changes read and write a take inside one transaction.
///
/// All methods that change something fail with a clear `error` while the library is read-only (its database was
/// written by a newer version of the app, or its folder or disk cannot be written) or not open. An instance belongs
/// to the thread that opened it (its SQL connection does); other threads make their own instance on the same root.
class Library final : public QObject
{
    Q_OBJECT

public:
    explicit Library(const QString& rootDir, const LibraryOptions& options = {}, QObject* parent = nullptr);
    ~Library() override;

    enum class Opening
    {
        /// The first opening in a process: check the index (in full when due, see LibrarySchema::FullCheckMaxBytes),
        /// reconcile it with the clips folder.
        CheckAndReconcile,
        /// The same with only the quick check: when the library can be written, a full check that is due is left
        /// owed (OpenReport::fullCheckOwed) for checkInFull(), which the opener runs right after on another thread.
        QuickCheckAndReconcile,
        /// Another Library of this process has just checked and reconciled: only connect.
        Attach,
        /// checkInFull() found the index damaged: check it in full again and, damaged, move it aside and rebuild it
        /// from the sidecars, as the first opening does. Other Library instances on the root go on reading the
        /// damaged file where it was moved until they open again (attaching) to the new index.
        Repair,
    };
    /// Creates the root, opens (or creates) and migrates the database, checks it, and reconciles it with the
    /// clips folder (not when attaching). Safe to call again to reopen.
    OpenReport open(Opening opening = Opening::CheckAndReconcile);
    /// Runs the full integrity check open(Opening::QuickCheckAndReconcile) left owed, on this instance's connection.
    /// It takes as long as at open (half a second at 100,000 takes), so run it off the UI thread. One that passes is
    /// recorded as at open, so that a large library is checked in full once a day; one that does not finish leaves
    /// it owed by the next open. Returns Ok; Corrupt when the index is damaged (`error` says how): reopen with
    /// Opening::Repair; or Failed when the check could not run (`error` says why).
    LibraryDatabase::Status checkInFull(QString* error = nullptr);
    bool isOpen() const;
    bool isReadOnly() const;
    QString rootDir() const;
    QString databasePath() const;
    /// Whether search uses SQLite FTS5 (otherwise LIKE, case-insensitive for ASCII only).
    bool hasFullTextSearch() const;
    const LibraryOptions& options() const;
    void setOptions(const LibraryOptions& options);

    /// Stores a successful result: audio bytes exactly as returned -> clips/YYYY/MM/<id>.<ext> (AtomicFile), then
    /// the sidecar <id>.json beside it, then the row. Returns the take, or nothing with `error` set; nothing
    /// half-written stays behind as a row. If only the row cannot be written, the files stay and the take comes
    /// back at the next open (the error says so). `parentId` must name an existing take when given. A result whose
    /// server request id a take already has is that take: it is returned, not kept twice.
    std::optional<Take> add(const GenerationResult& result, const QString& parentId = {}, QString* error = nullptr);
    /// Keeps a take made here from one of the library's takes (a loop of its bars: TakeLoops::make) and writes a copy
    /// of it to `path`. `made` is its recipe (prompt, durations, seed, provider, model, analysis, parentId, loop
    /// bars), `audio` its sound, kept exactly as given; its id, date and file facts are filled in here. The copy comes
    /// first, written as exportTake() writes one (as `format`, Unknown: from the extension; tagged; never replacing a
    /// file unless `overwrite`), so that nothing is kept when it cannot be written; then the take is kept as add()
    /// keeps one. Returns the take, or nothing with `error` set (saying so when the copy was written nonetheless).
    std::optional<Take> addDerived(const Take& made, const QByteArray& audio, const QString& path, AudioFormat format,
                                   bool overwrite, QString* error = nullptr);

    /// Whether a new take of `durationSeconds` can be kept now: the library is open for writing and its disk has
    /// room for the largest audio such a take may bring. Asked before a take is paid for; `why` says what stands in
    /// the way and what to do.
    bool canKeep(int durationSeconds, QString* why = nullptr) const;

    /// Exact id or a unique prefix (>= 4 characters, case-insensitive); trashed takes included. `error` says
    /// "no take X" or "X matches 3 takes: be more specific", or that the index could not be read and what to do.
    std::optional<Take> find(const QString& idOrPrefix, QString* error = nullptr) const;
    /// Newest first. When the index cannot be read the list is empty and `error` says why and what to do (an empty
    /// list alone would read as "no takes match").
    QList<Take> takes(const TakeQuery& query, QString* error = nullptr) const;
    /// Same filters, ignoring limit, offset and paging. -1 with `error` set when the index cannot be read.
    int count(const TakeQuery& query, QString* error = nullptr) const;
    /// Whether take `id` passes the query's filters (limit, offset and paging ignored).
    bool matches(const QString& id, const TakeQuery& query) const;
    /// A number that changes whenever another Library (another process, or another instance here) has committed a
    /// change since; this instance's own writes do not change it. Cheap enough to poll (a window uses it to notice
    /// takes the CLI added). -1 when the library is not open.
    qint64 dataVersion() const;
    /// Absolute path of the take's audio.
    QString audioPath(const Take& take) const;
    /// Absolute path of the take's sidecar.
    QString sidecarPath(const Take& take) const;
    QByteArray readAudio(const Take& take, QString* error = nullptr) const;

    /// Favourite on: saves a copy to options().favouritesDir named by options().fileNameTemplate, never
    /// overwriting, with the recipe embedded as tags (see Favourites); a copy saved before that still exists
    /// is reused. The copy is written before the short transaction that records it, so other writers do not wait
    /// for it; should recording fail, the copy stays and `error` says where. Favourite off: the copy stays (the app
    /// never deletes what it saved into the user's folders). `savedPath` gets the copy's path.
    bool setFavourite(const QString& id, bool favourite, QString* savedPath = nullptr, QString* error = nullptr);
    bool setRating(const QString& id, int rating, QString* error = nullptr);
    /// Tags are trimmed; empty ones and repeats (ignoring case) are dropped.
    bool setTags(const QString& id, const QStringList& tags, QString* error = nullptr);
    bool setNote(const QString& id, const QString& note, QString* error = nullptr);
    /// Keeps what the analysis found (tempo, key, loudness); the musician's tempo correction stays as it is. Here and
    /// in setTempoByUser, a new tempo or key is written into the take's favourite copy too (Favourites::follow).
    bool setAnalysis(const QString& id, const MusicAnalysis& analysis, QString* error = nullptr);
    /// The musician's tempo for the take (a detected tempo doubled or halved, or typed), MusicAnalysis::MinBpm to
    /// MaxBpm; it wins over the detected one from then on. Nothing: back to the detected tempo.
    bool setTempoByUser(const QString& id, std::optional<double> bpm, QString* error = nullptr);
    bool moveToTrash(const QString& id, QString* error = nullptr);
    bool restore(const QString& id, QString* error = nullptr);
    /// Deletes audio, sidecar and row of every trashed take for good; returns how many, or -1 with `error`.
    int emptyTrash(QString* error = nullptr);
    /// Writes the take to `path` as `format` (Unknown: from the extension): WAV, FLAC, Ogg or MP3, converted with
    /// AudioCodec when needed, the stored samples otherwise, tagged like a favourite copy (Favourites::tagsFor).
    /// Atomic; never overwrites an existing file unless `overwrite`. Works on a read-only library too.
    bool exportTake(const QString& id, const QString& path, AudioFormat format, bool overwrite,
                    QString* error = nullptr);
    /// Looks at both copies of every take, index and sidecar, and settles each by the library's rule (see
    /// LibraryReconciler): the index is rebuilt from the newer copy, damaged or missing sidecars are written again
    /// from the index. `repairs` says what was mended and what could not be (musicgen-cli library rebuild). Returns
    /// the number of takes indexed, or -1 with `error`.
    int rebuildIndex(Repairs* repairs = nullptr, QString* error = nullptr);

signals:
    void takeAdded(const Take& take);
    void takeChanged(const Take& take);
    /// The trash was emptied: its takes are gone for good.
    void trashEmptied();
    /// The index was rebuilt from the clips folder: re-read everything.
    void reindexed();

private:
    /// A random id is taken already with odds of one in 10^10 even at 100,000 takes: this many draws in a row that
    /// are all taken mean something else is wrong.
    static constexpr int MaxIdAttempts = 16;
    /// Less free space than this on the library's disk counts as a full disk (SQLite needs a few pages).
    static constexpr qint64 MinFreeBytes = 64 * 1024;
    /// The most a second of a take may take on disk: uncompressed 48 kHz stereo 16-bit WAV, the largest a provider
    /// sends; and what its sidecar, its row and the index's journal need besides.
    static constexpr qint64 MaxBytesPerSecond = 48000 * 2 * 2;
    static constexpr qint64 BytesBesidesAudio = 1024 * 1024;

    /// Opens the database read-only because of `reason` (the folder or the disk cannot be written).
    OpenReport openReadOnly(const QString& reason, LibraryDatabase::IntegrityCheck check);
    /// Why the library's folder or database cannot be written (the system's words), or empty.
    QString whyNotWritable() const;
    bool checkWritable(QString* error) const;
    /// Keeps `take` (its recipe filled in) with `audio` (described by `info` when that is valid): gives it an id, a
    /// date and its file facts, calls `beforeKeeping` (when given; false stops here), then writes audio, sidecar and
    /// row.
    std::optional<Take> keep(Take take, const QByteArray& audio, AudioInfo info, QString* error,
                             const std::function<bool(const Take&, QString*)>& beforeKeeping = {});
    bool setTrashed(const QString& id, bool trashed, QString* error);
    /// change() for an edit that cannot fail.
    bool set(const QString& id, const std::function<void(Take&)>& assign, QString* error);
    bool change(const QString& id, const std::function<bool(Take&, QString*)>& edit, QString* error);
    QString moveAside(QString* error) const;
    /// An id no take has or had; nothing, with `error` set, when the index cannot be asked.
    std::optional<QString> newId(QString* error) const;
    /// What to tell when the index answers a read with `reason` (an SQL error): what failed and what to do.
    QString indexError(const QString& reason) const;

    QString m_root;
    ClipsFolder m_clips;
    LibraryOptions m_options;
    QString m_connectionName;
    std::unique_ptr<LibraryDatabase> m_db;
    QString m_readOnlyReason;
};
