#include "gui/Studio.h"

#include "generation/AnalysisBackfill.h"
#include "generation/Session.h"
#include "library/LibraryService.h"
#include "net/NetworkGateway.h"
#include "platform/AppPaths.h"
#include "platform/KeyStore.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

std::unique_ptr<Studio> Studio::createDefault()
{
    return std::make_unique<Studio>(Paths{AppPaths::dataDir(), {}}, std::make_unique<MediaPlayerBackend>());
}

Studio::Studio(const Paths& paths, std::unique_ptr<PlayerBackend> playerBackend,
               ComparePlayer::OutputFactory compareOutput, QObject* parent)
    : QObject(parent),
      m_settings(paths.settingsFile.isEmpty() ? new Settings(this) : new Settings(paths.settingsFile, this)),
      m_gateway(new NetworkGateway(this)),
      m_library(new LibraryService(paths.dataDir, libraryOptionsFrom(*m_settings), this)),
      m_keyStore(new KeyStore(this)), m_player(new Player(playerBackend.release(), this)),
      m_compare(new ComparePlayer(std::move(compareOutput), this))
{
    m_library->open(); // before anyone reads it; the window shows what it found
    m_session = new Session(m_settings, m_library, m_gateway, m_keyStore, this);
    m_player->setOutputDevice(m_settings->outputDeviceId());
    m_analysis = new AnalysisBackfill(m_library, this);
    m_analysis->start();
}

// The session goes first: it cancels its takes while the gateway and the library are still there; then the analysis,
// which waits for the take it is measuring and still has the library to keep its result.
Studio::~Studio()
{
    delete m_session;
    delete m_analysis;
}
