#pragma once

#include "model/GenerationResult.h"
#include "model/Take.h"

#include "generation/PendingTakes.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <map>
#include <memory>
#include <optional>

class CreditsQuery;
class GenerationService;
class KeyStore;
class LibraryService;
class NetworkGateway;
class Providers;
class Settings;

/// What the musician is doing this session, without any widget: turns the form into takes (distinct seeds for
/// several takes per click), keeps every finished take in the library with its parent, remembers failed takes so
/// Retry makes the same take again, adds up the spend, estimates how long a take will take, follows the credits and
/// the API key. A take Segmind's queue has accepted is noted on disk (PendingTakes) until it is kept, so closing the
/// window mid-take loses nothing: the next session resumes it (once the key is known) and shows it in progress.
/// The window shows what it says and asks it to act.
class Session final : public QObject
{
    Q_OBJECT

public:
    /// How many recent takes the time estimate is the median of.
    static constexpr int RecentTakesForEstimate = 9;
    /// Segmind's published average for a take, used until this library has timed one.
    static constexpr qint64 HostedEstimateMs = 22000;

    /// Everything is used, not owned, and must outlive the session. `keyStore` may be null (no keychain).
    Session(Settings* settings, LibraryService* library, NetworkGateway* gateway, KeyStore* keyStore,
            QObject* parent = nullptr);
    ~Session() override; ///< cancels takes still running

    struct Click
    {
        QList<quint64> jobIds; ///< one per take sent
        QList<int> seeds;      ///< the seed of each take, in the same order
        QString error;         ///< why nothing was sent
    };
    /// Sends `takes` takes of `request` at once, each with its own seed: the request's seed first (unless
    /// `freshSeeds`, or it is -1), then seeds drawn so that no two are the same. Nothing is sent when the request is
    /// invalid.
    Click generate(const GenerationRequest& request, int takes, bool freshSeeds);
    /// The take's recipe again, as a child of the take (`newSeed`: with a freshly drawn seed).
    quint64 makeAgain(const Take& take, bool newSeed);
    /// Makes a failed take again, as the same request with the same parent. One Segmind's queue had accepted (its
    /// deadline passed, the network went away) is followed again instead of being sent again.
    quint64 retry(quint64 jobId);
    void cancel(quint64 jobId);
    /// Forgets a failed take that will not be retried.
    void dismiss(quint64 jobId);

    /// The request job `jobId` sends, or nothing when no such job is known.
    std::optional<GenerationRequest> requestOf(quint64 jobId) const;
    /// How long a take is likely to take: the median of recent takes from the current provider.
    qint64 estimateMs() const;
    /// Estimated dollars spent on hosted takes since the session started.
    double spend() const { return m_spend; }
    /// The account's remaining credits, when a response or the credits endpoint said.
    std::optional<double> credits() const { return m_credits; }
    QString providerName() const;
    bool isOffline() const;
    /// Why the offline engine is in use when the musician did not choose it, else empty.
    QString offlineReason() const;

    /// The Segmind key: SEGMIND_API_KEY when set, otherwise the one in the system keychain (read at start,
    /// asynchronously), or what the musician typed this session.
    QByteArray apiKey() const { return m_apiKey; }
    /// Uses `key` from now on and stores it in the keychain (an empty key removes it).
    void saveApiKey(const QByteArray& key);
    /// Empty while the keychain works; otherwise what happens to the key instead.
    QString keychainMessage() const { return m_keychainMessage; }
    /// Asks the credits endpoint whether `key` works, without changing anything.
    CreditsQuery* testKey(const QByteArray& key);
    /// Re-reads the settings into the providers and the library.
    void applySettings();
    /// Asks the credits endpoint for the balance (hosted provider with a key only); creditsChanged follows.
    void refreshCredits();

signals:
    /// A take was sent; `estimateMs` as estimateMs() said then.
    void jobStarted(quint64 jobId, const GenerationRequest& request, qint64 estimateMs);
    void jobStatusChanged(quint64 jobId, const JobStatus& status);
    /// Success or failure; a successful take is on its way into the library.
    void jobFinished(quint64 jobId, const GenerationResult& result);
    void spendChanged(double dollars);
    void creditsChanged(double credits);
    void providerChanged();
    void apiKeyChanged();
    void keychainUnavailable(const QString& message);
    /// Something the musician should read (a request that could not be sent).
    void notice(const QString& message);

private:
    struct Job
    {
        GenerationRequest request;
        QString parentId;
        QString requestId;        ///< once Segmind's queue accepted it
        bool outputNoted = false; ///< where its audio is, noted too
    };
    quint64 submit(const GenerationRequest& request, const QString& parentId);
    void onJobStatus(quint64 jobId, const JobStatus& status);
    void onJobFinished(quint64 jobId, const GenerationResult& result);
    /// Follows every noted take no other process is following, once per session, when the key is known.
    void resumePending();
    /// Follows the noted `take` (claimed for this session) to its end, shown like any running take.
    quint64 follow(const PendingTake& take, std::unique_ptr<PendingTakes::Claim> claim);
    void useApiKey(const QByteArray& key);
    void loadRecentTimes();

    Settings* m_settings;
    LibraryService* m_library;
    NetworkGateway* m_gateway;
    KeyStore* m_keyStore;
    Providers* m_providers;
    GenerationService* m_service;
    QHash<quint64, Job> m_jobs; ///< running, and failed ones kept for Retry
    PendingTakes m_pending;
    std::map<quint64, std::unique_ptr<PendingTakes::Claim>> m_claims; ///< the notes of the takes this session follows
    bool m_resumed = false;
    QList<qint64> m_recentMs; ///< newest first
    double m_spend = 0;
    std::optional<double> m_credits;
    QByteArray m_apiKey;
    QString m_keychainMessage;
};
