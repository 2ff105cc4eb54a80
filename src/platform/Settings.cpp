#include "platform/Settings.h"

#include "model/GenerationRequest.h"
#include "platform/AppPaths.h"
#include "platform/FileNames.h"

#include <QLoggingCategory>
#include <QSettings>
#include <QStandardPaths>

#include <functional>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSettings, "musicgen.settings")

namespace {

/// One row of the settings table: its key, its default and what makes a stored value acceptable.
struct Entry
{
    const char* key;
    std::function<QVariant()> defaultValue; // a function, because some defaults depend on the environment
    std::function<bool(const QVariant&)> isValid;
};

bool isIntIn(const QVariant& value, int min, int max)
{
    bool ok = false;
    const int number = value.toString().toInt(&ok);
    return ok && number >= min && number <= max;
}

bool isBool(const QVariant& value)
{
    const QString text = value.toString().toLower();
    return text == "true"_L1 || text == "false"_L1;
}

bool isNonEmptyString(const QVariant& value)
{
    return !value.toString().trimmed().isEmpty();
}

bool isAnything(const QVariant&)
{
    return true;
}

auto constant(QVariant value)
{
    return [value] { return value; };
}

const QList<Entry>& table()
{
    static const QList<Entry> entries = {
        {"provider", constant(u"automatic"_s),
         [](const QVariant& v) {
             return QStringList{u"automatic"_s, u"segmind"_s, u"offline"_s, u"custom"_s}.contains(v.toString());
         }},
        {"customApiBase", constant(u"http://127.0.0.1:8765/v1"_s),
         [](const QVariant& v) { return Settings::isUsableApiBase(QUrl(v.toString(), QUrl::StrictMode)); }},
        {"api", constant(u"auto"_s),
         [](const QVariant& v) { return Settings::apiTransportNamed(v.toString()).has_value(); }},
        {"requestsPerMinute", constant(5), [](const QVariant& v) { return isIntIn(v, 0, 1000); }},
        {"timeoutSeconds", constant(300), [](const QVariant& v) { return isIntIn(v, 10, 3600); }},
        {"idleTimeoutSeconds", constant(60), [](const QVariant& v) { return isIntIn(v, 5, 3600); }},
        {"retries", constant(2), [](const QVariant& v) { return isIntIn(v, 0, 10); }},
        {"parallelTakes", constant(1), [](const QVariant& v) { return isIntIn(v, 1, 4); }},
        {"autoPlay", constant(true), isBool},
        {"auditionOnSelect", constant(true), isBool},
        {"outputDevice", constant(QByteArray()), isAnything},
        {"favouritesDir", [] { return QVariant(AppPaths::defaultFavouritesDir()); }, isNonEmptyString},
        {"fileNameTemplate", constant(QString(FileNames::DefaultTemplate)), isNonEmptyString},
        {"exportFormat", constant(u"wav"_s),
         [](const QVariant& v) { return audioFormatFromName(v.toString()) != AudioFormat::Unknown; }},
        {"costPerTake", constant(0.037),
         [](const QVariant& v) {
             bool ok = false;
             const double cost = v.toString().toDouble(&ok);
             return ok && cost >= 0 && cost <= 100;
         }},
        {"window/lastPrompt", constant(QString()), isAnything},
        {"window/lastDuration", constant(GenerationRequest::DefaultDuration),
         [](const QVariant& v) { return isIntIn(v, GenerationRequest::MinDuration, GenerationRequest::MaxDuration); }},
        {"window/lastSeed", constant(GenerationRequest::DefaultSeed),
         [](const QVariant& v) { return isIntIn(v, GenerationRequest::MinSeed, GenerationRequest::MaxSeed); }},
        {"window/newSeedEveryTake", constant(false), isBool},
        {"window/geometry", constant(QByteArray()), isAnything},
        {"window/state", constant(QByteArray()), isAnything},
        {"window/splitter", constant(QByteArray()), isAnything},
    };
    return entries;
}

const Entry& entry(const char* key)
{
    for (const Entry& e : table()) {
        if (qstrcmp(e.key, key) == 0)
            return e;
    }
    qFatal("unknown settings key %s", key); // a programming error: every key belongs in the table
}

const char* providerName(Settings::ProviderChoice provider)
{
    switch (provider) {
    case Settings::ProviderChoice::Automatic: return "automatic";
    case Settings::ProviderChoice::Segmind: return "segmind";
    case Settings::ProviderChoice::Offline: return "offline";
    case Settings::ProviderChoice::CustomEndpoint: return "custom";
    }
    return "automatic";
}

} // namespace

Settings::Settings(QObject* parent)
    : Settings(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                   u"/musicgen-studio/settings.ini"_s,
               parent)
{
}

Settings::Settings(const QString& iniPath, QObject* parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QVariant Settings::read(const char* key) const
{
    const Entry& e = entry(key);
    const QString name = QString::fromLatin1(key);
    if (!m_settings->contains(name))
        return e.defaultValue();
    const QVariant stored = m_settings->value(name);
    if (e.isValid(stored))
        return stored;
    const QString warning = u"Setting %1 had an unusable value; using the default"_s.arg(name);
    if (!m_warnings.contains(warning)) {
        m_warnings.append(warning);
        qCWarning(lcSettings).noquote() << warning;
    }
    return e.defaultValue();
}

void Settings::write(const char* key, const QVariant& value)
{
    const Entry& e = entry(key);
    if (!e.isValid(value)) {
        qCWarning(lcSettings) << "refusing to store an invalid value for" << key;
        return;
    }
    m_settings->setValue(QString::fromLatin1(key), value);
    emit changed();
}

bool Settings::sync()
{
    m_settings->sync();
    return m_settings->status() == QSettings::NoError;
}

Settings::ProviderChoice Settings::provider() const
{
    const QString name = read("provider").toString();
    for (auto choice : {ProviderChoice::Segmind, ProviderChoice::Offline, ProviderChoice::CustomEndpoint}) {
        if (name == QLatin1StringView(providerName(choice)))
            return choice;
    }
    return ProviderChoice::Automatic;
}

void Settings::setProvider(ProviderChoice provider)
{
    write("provider", QString::fromLatin1(providerName(provider)));
}

QUrl Settings::customApiBase() const
{
    return QUrl(read("customApiBase").toString());
}
void Settings::setCustomApiBase(const QUrl& url)
{
    write("customApiBase", url.toString());
}
bool Settings::isUsableApiBase(const QUrl& url)
{
    return url.isValid() && (url.scheme() == "http"_L1 || url.scheme() == "https"_L1) && !url.host().isEmpty();
}
QString Settings::apiTransportName(ApiTransport transport)
{
    switch (transport) {
    case ApiTransport::Auto: return u"auto"_s;
    case ApiTransport::V2: return u"v2"_s;
    case ApiTransport::V1: return u"v1"_s;
    }
    return u"auto"_s;
}

std::optional<Settings::ApiTransport> Settings::apiTransportNamed(const QString& name)
{
    for (const ApiTransport transport : {ApiTransport::Auto, ApiTransport::V2, ApiTransport::V1}) {
        if (name == apiTransportName(transport))
            return transport;
    }
    return std::nullopt;
}

Settings::ApiTransport Settings::apiTransport() const
{
    return apiTransportNamed(read("api").toString()).value_or(ApiTransport::Auto);
}

void Settings::setApiTransport(ApiTransport transport)
{
    write("api", apiTransportName(transport));
}

int Settings::requestsPerMinute() const
{
    return read("requestsPerMinute").toInt();
}

void Settings::setRequestsPerMinute(int requests)
{
    write("requestsPerMinute", requests);
}

int Settings::timeoutSeconds() const
{
    return read("timeoutSeconds").toInt();
}
void Settings::setTimeoutSeconds(int seconds)
{
    write("timeoutSeconds", seconds);
}
int Settings::idleTimeoutSeconds() const
{
    return read("idleTimeoutSeconds").toInt();
}
void Settings::setIdleTimeoutSeconds(int seconds)
{
    write("idleTimeoutSeconds", seconds);
}
int Settings::retries() const
{
    return read("retries").toInt();
}
void Settings::setRetries(int retries)
{
    write("retries", retries);
}
int Settings::parallelTakes() const
{
    return read("parallelTakes").toInt();
}
void Settings::setParallelTakes(int takes)
{
    write("parallelTakes", takes);
}
bool Settings::autoPlay() const
{
    return read("autoPlay").toBool();
}
void Settings::setAutoPlay(bool on)
{
    write("autoPlay", on);
}
bool Settings::auditionOnSelect() const
{
    return read("auditionOnSelect").toBool();
}
void Settings::setAuditionOnSelect(bool on)
{
    write("auditionOnSelect", on);
}
QByteArray Settings::outputDeviceId() const
{
    return read("outputDevice").toByteArray();
}
void Settings::setOutputDeviceId(const QByteArray& id)
{
    write("outputDevice", id);
}
QString Settings::favouritesDir() const
{
    return read("favouritesDir").toString();
}
void Settings::setFavouritesDir(const QString& dir)
{
    write("favouritesDir", dir);
}
QString Settings::fileNameTemplate() const
{
    return read("fileNameTemplate").toString();
}
void Settings::setFileNameTemplate(const QString& pattern)
{
    write("fileNameTemplate", pattern);
}
AudioFormat Settings::exportFormat() const
{
    return audioFormatFromName(read("exportFormat").toString());
}
void Settings::setExportFormat(AudioFormat format)
{
    write("exportFormat", audioFormatExtension(format));
}
double Settings::costPerTake() const
{
    return read("costPerTake").toDouble();
}
void Settings::setCostPerTake(double dollars)
{
    write("costPerTake", dollars);
}
QString Settings::lastPrompt() const
{
    return read("window/lastPrompt").toString();
}
void Settings::setLastPrompt(const QString& prompt)
{
    write("window/lastPrompt", prompt);
}
int Settings::lastDuration() const
{
    return read("window/lastDuration").toInt();
}
void Settings::setLastDuration(int seconds)
{
    write("window/lastDuration", seconds);
}
int Settings::lastSeed() const
{
    return read("window/lastSeed").toInt();
}
void Settings::setLastSeed(int seed)
{
    write("window/lastSeed", seed);
}
bool Settings::newSeedEveryTake() const
{
    return read("window/newSeedEveryTake").toBool();
}
void Settings::setNewSeedEveryTake(bool on)
{
    write("window/newSeedEveryTake", on);
}
QByteArray Settings::windowGeometry() const
{
    return read("window/geometry").toByteArray();
}
void Settings::setWindowGeometry(const QByteArray& geometry)
{
    write("window/geometry", geometry);
}
QByteArray Settings::windowState() const
{
    return read("window/state").toByteArray();
}
void Settings::setWindowState(const QByteArray& state)
{
    write("window/state", state);
}
QByteArray Settings::splitterState() const
{
    return read("window/splitter").toByteArray();
}
void Settings::setSplitterState(const QByteArray& state)
{
    write("window/splitter", state);
}
