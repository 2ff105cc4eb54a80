#pragma once

#include "model/AudioFormat.h"
#include "model/Take.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

/// The clips folder of a library root, the truth the index is kept in line with: where a take's files live
/// (clips/YYYY/MM/<id>.<ext> and the sidecar <id>.json beside it), what a walk of the folder finds, and the take a
/// clip on disk describes.
class ClipsFolder final
{
public:
    /// Audio without a sidecar younger than this is left alone: its writer is probably still at work.
    static constexpr int InFlightSecs = 10;

    /// What the folder holds for one id: the folder its audio is in and its format (Unknown: no audio), and whether
    /// there is a sidecar and where.
    struct Entry
    {
        QString audioDir;   ///< relative to the root, e.g. "clips/2024/05"; empty: no audio
        QString sidecarDir; ///< empty: no sidecar
        AudioFormat audio = AudioFormat::Unknown;
        bool sidecar = false;
    };

    /// What a walk of the folder found.
    struct Scan
    {
        QHash<QString, Entry> entries;   ///< by id, from the folders that were listed
        QStringList listedDirs;          ///< folders listed because they are new or changed
        QStringList goneDirs;            ///< folders recorded by the last scan that are gone
        QHash<QString, qint64> dirTimes; ///< every folder seen, with its modification time (ns) before listing
        QStringList temporaries;         ///< AtomicFile temporaries found in the listed folders (absolute paths)
    };

    /// `root` is the library's root folder (absolute, clean); the clips are in its "clips" folder.
    explicit ClipsFolder(const QString& root);

    /// The folder, relative to the root, a take made at `created` goes into: "clips/YYYY/MM" (UTC).
    static QString dirFor(const QDateTime& created);
    /// The checksum a take records for its audio: SHA-256 as lower-case hex.
    static QString checksum(const QByteArray& audio);

    /// Absolute path of the take's audio.
    QString audioPath(const Take& take) const;
    /// Absolute path of the take's sidecar: beside its audio (or where its audio would go when it has no path yet).
    QString sidecarPath(const Take& take) const;

    /// Absolute path of the sidecar `entry` found for `id`; empty when it found none.
    QString sidecarPath(const QString& id, const Entry& entry) const;
    /// Keeps a sidecar that cannot be read beside the new one about to be written, as "<id>.json.damaged" (an
    /// earlier one of that name is replaced), so that nothing a musician might want is deleted. Returns the new
    /// path, or empty with `error` set.
    static QString setAside(const QString& sidecarPath, QString* error);

    /// A change of a take in progress is noted as an empty file <root>/pending/<id> from before its sidecar is
    /// written until after its row is committed (Library::change). One left behind names a take whose change was
    /// stopped in between: the next open settles its two copies (LibraryReconciler).
    bool markPending(const QString& id, QString* error) const;
    void clearPending(const QString& id) const;
    /// The ids noted by markPending() and not cleared: usually none.
    QStringList pendingIds() const;

    /// Walks the folder, listing only the folders whose modification time differs from the one `recorded` (from
    /// the last scan) has for them; all of them when `recorded` is empty. A file added, removed or renamed in a
    /// folder changes its time, so a walk of an unchanged library costs a stat() per folder.
    Scan scan(const QHash<QString, qint64>& recorded = {}) const;

    /// The take that `entry` describes: its sidecar, with the audio's place and presence from the folder. Audio
    /// without a usable sidecar becomes a take with what its bytes tell (format, length, checksum; provider
    /// "unknown"), and gets a sidecar when `writeMissingSidecar`; unless it is younger than InFlightSecs, when
    /// nothing comes back and `inFlight` is set. Nothing also when neither file is usable (the reason is logged).
    std::optional<Take> readTake(const QString& id, const Entry& entry, bool writeMissingSidecar,
                                 bool* inFlight = nullptr) const;

private:
    QString pendingDir() const;

    QString m_root;
};
