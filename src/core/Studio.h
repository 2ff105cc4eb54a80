#pragma once

#include "Take.h"

#include <QObject>

#include <memory>

class GenerationService;
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

    /// The Segmind key for this session: SEGMIND_API_KEY at start, or what the musician typed. Never stored.
    QByteArray apiKey() const { return m_apiKey; }
    void setApiKey(const QByteArray& key);
    /// Re-reads the settings into the providers and the library.
    void applySettings();

private:
    LibraryOptions libraryOptions() const;

    Settings* m_settings;
    NetworkGateway* m_gateway;
    Library* m_library;
    LibraryWorker* m_worker;
    Providers* m_providers;
    GenerationService* m_service;
    Player* m_player;
    OpenReport m_openReport;
    QByteArray m_apiKey;
};
