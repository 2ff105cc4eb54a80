#pragma once

#include "gui/MainWindow.h"
#include "playback/ComparePlayer.h"

#include <QObject>
#include <QString>

#include <memory>

class AnalysisBackfill;
class KeyStore;
class LibraryService;
class NetworkGateway;
class Player;
class PlayerBackend;
class Session;
class Settings;

/// The app's parts, built and wired once, in dependency order: settings, the network gateway, the library service,
/// the keychain, the session, the player and the compare player, and the analysis of takes kept before the app measured
/// tempo and key (started at once, in the background). It owns them; the window is handed the parts it uses, never
/// this. The app builds it from the standard locations; tests build it in a temporary folder with fake player backends.
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

    /// `compareOutput` makes the output comparisons are heard through; none: the sound device (SinkMixOutput).
    Studio(const Paths& paths, std::unique_ptr<PlayerBackend> playerBackend,
           ComparePlayer::OutputFactory compareOutput = {}, QObject* parent = nullptr);
    ~Studio() override;

    Settings& settings() const { return *m_settings; }
    LibraryService& library() const { return *m_library; }
    Session& session() const { return *m_session; }
    Player& player() const { return *m_player; }
    AnalysisBackfill& analysis() const { return *m_analysis; }
    ComparePlayer& compare() const { return *m_compare; }
    /// What the window is handed.
    WindowParts windowParts() const { return {m_settings, m_session, m_library, m_player, m_compare, m_analysis}; }

private:
    Settings* m_settings;
    NetworkGateway* m_gateway;
    LibraryService* m_library;
    KeyStore* m_keyStore;
    Player* m_player;
    ComparePlayer* m_compare;
    Session* m_session;
    AnalysisBackfill* m_analysis;
};
