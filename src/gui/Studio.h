#pragma once

#include "library/LibraryTypes.h"
#include "model/Take.h"

#include <QObject>

#include <memory>

class CreditsQuery;
class GenerationService;
class KeyStore;
class Library;
class LibraryWorker;
class NetworkGateway;
class Player;
class PlayerBackend;
class Providers;
class Settings;

/// Everything the studio window works with, wired once: settings, the library (read here, written by the
/// worker thread), the network gateway, the providers, the generation service and the player. The app builds
/// it from the standard locations; tests build it in a temporary folder with a fake player backend.
class Studio final : public QObject
{
    Q_OBJECT

public:
    struct Paths
    {
        QString dataDir;      ///< the library's root
        QString settingsFile; ///< empty: the user's settings file
    };

    /// Uses the standard locations (XDG folders) and the real audio player.
    static std::unique_ptr<Studio> createDefault();

    Studio(const Paths& paths, std::unique_ptr<PlayerBackend> playerBackend, QObject* parent = nullptr);
    ~Studio() override;

    Settings& settings() const { return *m_settings; }
    Library& library() const { return *m_library; }
    LibraryWorker& worker() const { return *m_worker; }
    Providers& providers() const { return *m_providers; }
    GenerationService& service() const { return *m_service; }
    Player& player() const { return *m_player; }
    const OpenReport& openReport() const { return m_openReport; }

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

signals:
    void apiKeyChanged();
    void keychainUnavailable(const QString& message);

private:
    LibraryOptions libraryOptions() const;
    void useApiKey(const QByteArray& key);

    Settings* m_settings;
    NetworkGateway* m_gateway;
    Library* m_library;
    LibraryWorker* m_worker;
    Providers* m_providers;
    GenerationService* m_service;
    Player* m_player;
    KeyStore* m_keyStore;
    QString m_keychainMessage;
    OpenReport m_openReport;
    QByteArray m_apiKey;
};
