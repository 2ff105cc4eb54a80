#include "Studio.h"

#include "AppPaths.h"
#include "GenerationService.h"
#include "Library.h"
#include "LibraryWorker.h"
#include "MediaPlayerBackend.h"
#include "NetworkGateway.h"
#include "Player.h"
#include "Providers.h"
#include "Settings.h"

std::unique_ptr<Studio> Studio::createDefault()
{
    return std::make_unique<Studio>(Paths{AppPaths::dataDir(), {}}, std::make_unique<MediaPlayerBackend>());
}

Studio::Studio(const Paths& paths, std::unique_ptr<PlayerBackend> playerBackend, QObject* parent)
    : QObject(parent)
    , m_settings(paths.settingsFile.isEmpty() ? new Settings(this) : new Settings(paths.settingsFile, this))
    , m_gateway(new NetworkGateway(this))
    , m_apiKey(qgetenv("SEGMIND_API_KEY").trimmed())
{
    m_library = new Library(paths.dataDir, libraryOptions(), this);
    m_openReport = m_library->open();
    // The worker opens its own connection after this one has checked, repaired or rebuilt the database.
    m_worker = new LibraryWorker(paths.dataDir, libraryOptions(), this);
    m_providers = new Providers(m_gateway, this);
    m_providers->configure(*m_settings, m_apiKey);
    m_service = new GenerationService(m_providers->current(), this);
    m_player = new Player(playerBackend.release(), this);
    m_player->setOutputDevice(m_settings->outputDeviceId());
}

Studio::~Studio()
{
    m_service->cancelAll();
}

void Studio::setApiKey(const QByteArray& key)
{
    m_apiKey = key.trimmed();
    applySettings();
}

LibraryOptions Studio::libraryOptions() const
{
    LibraryOptions options;
    options.favouritesDir = m_settings->favouritesDir();
    options.fileNameTemplate = m_settings->fileNameTemplate();
    options.costPerTake = m_settings->costPerTake();
    return options;
}

void Studio::applySettings()
{
    m_providers->configure(*m_settings, m_apiKey);
    m_service->setProvider(m_providers->current());
    m_library->setOptions(libraryOptions());
    m_worker->setOptions(libraryOptions());
}
