#include "gui/Studio.h"

#include "generation/GenerationService.h"
#include "generation/Providers.h"
#include "library/Library.h"
#include "library/LibraryWorker.h"
#include "net/NetworkGateway.h"
#include "net/SegmindProvider.h"
#include "platform/AppPaths.h"
#include "platform/KeyStore.h"
#include "platform/Settings.h"
#include "playback/MediaPlayerBackend.h"
#include "playback/Player.h"

std::unique_ptr<Studio> Studio::createDefault()
{
    return std::make_unique<Studio>(Paths{AppPaths::dataDir(), {}}, std::make_unique<MediaPlayerBackend>());
}

Studio::Studio(const Paths& paths, std::unique_ptr<PlayerBackend> playerBackend, QObject* parent)
    : QObject(parent),
      m_settings(paths.settingsFile.isEmpty() ? new Settings(this) : new Settings(paths.settingsFile, this)),
      m_gateway(new NetworkGateway(this)), m_apiKey(qgetenv("SEGMIND_API_KEY").trimmed())
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

    m_keyStore = new KeyStore(this);
    connect(m_keyStore, &KeyStore::unavailable, this, [this](const QString& message) {
        m_keychainMessage = message;
        emit keychainUnavailable(message);
    });
    // The environment overrides the keychain; without it, the stored key arrives a moment after start.
    if (m_apiKey.isEmpty()) {
        connect(m_keyStore, &KeyStore::loaded, this, [this](const QByteArray& key) {
            if (!key.isEmpty() && m_apiKey.isEmpty())
                useApiKey(key);
        });
        m_keyStore->load();
    }
}

Studio::~Studio()
{
    m_service->cancelAll();
}

void Studio::useApiKey(const QByteArray& key)
{
    m_apiKey = key.trimmed();
    applySettings();
    emit apiKeyChanged();
}

void Studio::saveApiKey(const QByteArray& key)
{
    useApiKey(key);
    m_keyStore->save(m_apiKey);
}

CreditsQuery* Studio::testKey(const QByteArray& key)
{
    SegmindConfig config;
    config.apiKey = key.trimmed();
    if (const QByteArray base = qgetenv("MUSICGEN_API_BASE"); !base.isEmpty())
        config.apiBase = QUrl(QString::fromUtf8(base));
    if (m_settings->provider() == Settings::ProviderChoice::CustomEndpoint)
        config.apiBase = m_settings->customApiBase();
    config.idleTimeoutMs = 15'000;
    auto* provider = new SegmindProvider(m_gateway, config, this);
    CreditsQuery* query = provider->queryCredits();
    connect(query, &QObject::destroyed, provider, &QObject::deleteLater);
    return query;
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
