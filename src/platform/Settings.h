#pragma once

#include "model/AudioFormat.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <memory>
#include <optional>

class QSettings;

/// The app's settings: one table of keys, defaults and valid ranges (Settings.cpp), typed accessors over
/// QSettings. A stored value that is corrupt or out of range reads as the default and is reported in
/// warnings(), never a crash. The API key is deliberately not here: it lives in the system keychain.
class Settings final : public QObject
{
    Q_OBJECT

public:
    /// Where takes come from.
    enum class ProviderChoice
    {
        Automatic,
        Segmind,
        Offline,
        CustomEndpoint
    };
    Q_ENUM(ProviderChoice)

    /// How Segmind is asked for a take (see SegmindTransport): its v2 queue, falling back to v1 where there is none.
    enum class ApiTransport
    {
        Auto,
        V2,
        V1
    };
    Q_ENUM(ApiTransport)
    /// The names the settings file and `musicgen-cli generate --api` use: "auto", "v2", "v1".
    static QString apiTransportName(ApiTransport transport);
    /// The transport named `name`; nothing for any other word.
    static std::optional<ApiTransport> apiTransportNamed(const QString& name);

    /// The user's settings file: $XDG_CONFIG_HOME/musicgen-studio/settings.ini.
    explicit Settings(QObject* parent = nullptr);
    /// Settings kept in `iniPath` (tests use a temporary file).
    explicit Settings(const QString& iniPath, QObject* parent = nullptr);
    ~Settings() override;

    ProviderChoice provider() const;
    void setProvider(ProviderChoice provider);
    /// The Segmind-compatible endpoint base for CustomEndpoint.
    QUrl customApiBase() const;
    void setCustomApiBase(const QUrl& url);
    /// True for an endpoint base the app can send to: a valid http or https URL with a host. The one check for
    /// the custom endpoint, --api-base and MUSICGEN_API_BASE.
    static bool isUsableApiBase(const QUrl& url);
    ApiTransport apiTransport() const;
    void setApiTransport(ApiTransport transport);
    /// Generation requests the Segmind plan allows a minute (free: 5, Pro: 50); 0: no limit on this side.
    int requestsPerMinute() const;
    void setRequestsPerMinute(int requests);
    int timeoutSeconds() const;
    void setTimeoutSeconds(int seconds);
    int idleTimeoutSeconds() const;
    void setIdleTimeoutSeconds(int seconds);
    int retries() const;
    void setRetries(int retries);
    int parallelTakes() const;
    void setParallelTakes(int takes);
    bool autoPlay() const;
    void setAutoPlay(bool on);
    /// Whether moving through the history with the arrow keys plays each take, from where the one before was.
    bool auditionOnSelect() const;
    void setAuditionOnSelect(bool on);
    QByteArray outputDeviceId() const; ///< empty: the system default
    void setOutputDeviceId(const QByteArray& id);
    QString favouritesDir() const;
    void setFavouritesDir(const QString& dir);
    QString fileNameTemplate() const;
    void setFileNameTemplate(const QString& pattern);
    AudioFormat exportFormat() const;
    void setExportFormat(AudioFormat format);
    double costPerTake() const;
    void setCostPerTake(double dollars);

    // What the window remembers between runs.
    QString lastPrompt() const;
    void setLastPrompt(const QString& prompt);
    int lastDuration() const;
    void setLastDuration(int seconds);
    int lastSeed() const;
    void setLastSeed(int seed);
    bool newSeedEveryTake() const;
    void setNewSeedEveryTake(bool on);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray& state);

    /// One line per stored value that was unreadable and replaced by its default.
    QStringList warnings() const { return m_warnings; }
    /// Writes pending changes; false when the file cannot be written.
    bool sync();

signals:
    void changed();

private:
    QVariant read(const char* key) const;
    void write(const char* key, const QVariant& value);

    std::unique_ptr<QSettings> m_settings;
    mutable QStringList m_warnings;
};
