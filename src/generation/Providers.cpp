#include "generation/Providers.h"

#include "generation/OfflineProvider.h"
#include "net/SegmindProvider.h"

Providers::Providers(NetworkGateway* gateway, QObject* parent)
    : QObject(parent), m_gateway(gateway), m_offline(new OfflineProvider(this)),
      m_segmind(new SegmindProvider(gateway, SegmindConfig{}, this)), m_current(m_offline)
{
}

Providers::~Providers() = default;

SegmindTransport Providers::transportFor(Settings::ApiTransport transport)
{
    switch (transport) {
    case Settings::ApiTransport::Auto: return SegmindTransport::Auto;
    case Settings::ApiTransport::V2: return SegmindTransport::V2;
    case Settings::ApiTransport::V1: return SegmindTransport::V1;
    }
    return SegmindTransport::Auto;
}

SegmindConfig Providers::segmindConfig(const Settings& settings, const QByteArray& apiKey)
{
    SegmindConfig config;
    config.apiKey = apiKey;
    config.totalTimeoutMs = settings.timeoutSeconds() * 1000;
    config.idleTimeoutMs = settings.idleTimeoutSeconds() * 1000;
    config.maxAttempts = settings.retries() + 1;
    config.apiBase = SegmindApi::defaultApiBase();
    config.transport = transportFor(settings.apiTransport());
    config.requestsPerWindow = settings.requestsPerMinute();

    if (settings.provider() == Settings::ProviderChoice::CustomEndpoint) {
        config.apiBase = settings.customApiBase();
        // A local Segmind-compatible server may not check keys; send a placeholder so it can tell us apart.
        if (config.apiKey.isEmpty())
            config.apiKey = QByteArrayLiteral("local");
    }
    return config;
}

void Providers::configure(const Settings& settings, const QByteArray& apiKey)
{
    const SegmindConfig config = segmindConfig(settings, apiKey);
    // Configured even while the offline engine is chosen: takes Segmind accepted earlier are still followed with it.
    m_segmind->setConfig(config);
    m_offlineReason.clear();
    switch (settings.provider()) {
    case Settings::ProviderChoice::Offline: m_current = m_offline; break;
    case Settings::ProviderChoice::CustomEndpoint: m_current = m_segmind; break;
    case Settings::ProviderChoice::Segmind:
        m_current = m_segmind; // without a key the take fails with "authentication", whose action opens settings
        break;
    case Settings::ProviderChoice::Automatic:
        m_current = apiKey.isEmpty() ? static_cast<Provider*>(m_offline) : m_segmind;
        if (apiKey.isEmpty())
            m_offlineReason = tr("No Segmind API key is set, so the offline sketch engine makes the takes.");
        break;
    }
    emit changed();
}

Provider* Providers::current() const
{
    return m_current;
}

SegmindProvider* Providers::hosted() const
{
    return m_current == m_segmind ? m_segmind : nullptr;
}

bool Providers::isOffline() const
{
    return m_current == m_offline;
}
