#pragma once

#include "model/GenerationRequest.h"
#include "model/GenerationResult.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

/// A take Segmind's queue has accepted and the app has not fetched yet: what it takes to follow it to its end.
struct PendingTake
{
    QString requestId;
    GenerationRequest request; ///< the seed as sent
    QUrl apiBase;              ///< where it was submitted; its status and result are asked there
    QDateTime submitted;       ///< UTC
    QString parentId;          ///< the take it was made from, else empty
    QUrl outputUrl;            ///< where Segmind put the audio, once it said: fetchable after the record expires

    friend bool operator==(const PendingTake&, const PendingTake&) = default;
};

/// Takes accepted by Segmind's queue and not yet fetched, kept on disk the moment the queue accepts them, so that a
/// take survives the app or the command line being closed or killed: `musicgen-cli resume`, and the window at
/// start, follow each one to its end without submitting it again (every submit is billed).
///
/// One small JSON file each under <library root>/pending-takes/, written through AtomicFile. A process working on
/// one holds a lock on a ".lock" file beside it (claim(); the record itself is replaced when it learns more), so
/// two processes never fetch the same take; a killed process's lock goes with it.
class PendingTakes final
{
public:
    /// A record locked by this process until the object goes.
    class Claim
    {
    public:
        explicit Claim(int fd) : m_fd(fd) {}
        ~Claim();
        Claim(const Claim&) = delete;
        Claim& operator=(const Claim&) = delete;

    private:
        int m_fd;
    };

    /// `libraryRoot` is the library's folder (AppPaths::dataDir() for the app and the CLI).
    explicit PendingTakes(const QString& libraryRoot);

    /// Keeps `take` durably (its file written and synced); false with `error` set when it cannot be.
    bool add(const PendingTake& take, QString* error = nullptr) const;
    /// The noted take of `requestId`; nothing when there is none (or its file cannot be read).
    std::optional<PendingTake> find(const QString& requestId) const;
    /// Notes where Segmind put the audio of `requestId`, which stays fetchable after the request's record expires.
    bool noteOutput(const QString& requestId, const QUrl& outputUrl, QString* error = nullptr) const;
    /// Forgets the take of `requestId`: it was kept in the library, or it ended for good on Segmind's side.
    void remove(const QString& requestId) const;
    /// Every take waiting, oldest first. Files that cannot be read are skipped with a warning and left in place.
    QList<PendingTake> all() const;
    /// Whether a take that ended with `error` is over on Segmind's side too (it failed, its record or its audio
    /// expired, its audio is not usable), so that its record can go. Otherwise (a timeout, a cancel, a network
    /// failure) Segmind may still deliver it, and resume can fetch it.
    static bool isOver(const GenerationError& error);
    /// Locks the record of `requestId` for this process; nothing when another live process holds it (or there is no
    /// such record).
    std::unique_ptr<Claim> claim(const QString& requestId) const;

private:
    /// The record's file: a hash of the request id, which comes from a server, is always a safe name.
    QString pathFor(const QString& requestId, QLatin1StringView suffix = QLatin1StringView(".json")) const;

    QString m_dir;
};
