#pragma once

#include "net/SegmindProvider.h"
#include "platform/Settings.h"

#include <QObject>
#include <QPointer>

class NetworkGateway;
class OfflineProvider;
class Provider;

/// Chooses the provider takes come from, from the settings and the API key: Segmind, the offline engine, or a
/// custom Segmind-compatible endpoint. "Automatic" means Segmind with a key and the offline engine without.
class Providers final : public QObject
{
    Q_OBJECT

public:
    explicit Providers(NetworkGateway* gateway, QObject* parent = nullptr);
    ~Providers() override;

    /// How the hosted provider talks to Segmind (or a custom endpoint) with these settings and this key.
    static SegmindConfig segmindConfig(const Settings& settings, const QByteArray& apiKey);
    /// The transport the settings' "api" choice names.
    static SegmindTransport transportFor(Settings::ApiTransport transport);
    /// Applies `settings` and `apiKey` to later takes; running takes finish where they started.
    void configure(const Settings& settings, const QByteArray& apiKey);

    Provider* current() const;
    /// The hosted provider (also for a custom endpoint), for credits; null while the offline engine is chosen.
    SegmindProvider* hosted() const;
    /// The hosted provider whichever is chosen: takes it accepted earlier are followed with it.
    SegmindProvider* segmind() const { return m_segmind; }
    bool isOffline() const;
    /// Why the offline engine is in use when the musician did not choose it, else empty.
    QString offlineReason() const { return m_offlineReason; }

signals:
    void changed();

private:
    NetworkGateway* m_gateway;
    OfflineProvider* m_offline;
    SegmindProvider* m_segmind;
    Provider* m_current = nullptr;
    QString m_offlineReason;
};
