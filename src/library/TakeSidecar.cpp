#include "library/TakeSidecar.h"

#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace TakeSidecar {

namespace {

QJsonObject toObject(const Take& take)
{
    QJsonObject o;
    o.insert(u"schema"_s, Schema);
    o.insert(u"app"_s, u"MusicGen Studio"_s);
    o.insert(u"appVersion"_s, QString::fromUtf8(MUSICGEN_VERSION));
    o.insert(u"id"_s, take.id);
    o.insert(u"created"_s, take.created.toUTC().toString(Qt::ISODateWithMs));
    o.insert(u"prompt"_s, take.prompt);
    o.insert(u"requestedDuration"_s, take.requestedDuration);
    o.insert(u"actualDuration"_s, take.actualDuration);
    o.insert(u"seed"_s, take.seed);
    o.insert(u"provider"_s, take.provider);
    o.insert(u"endpoint"_s, take.endpoint);
    o.insert(u"model"_s, take.model);
    o.insert(u"format"_s, audioFormatExtension(take.format));
    o.insert(u"sampleRate"_s, take.sampleRate);
    o.insert(u"channels"_s, take.channels);
    o.insert(u"byteSize"_s, take.byteSize);
    o.insert(u"sha256"_s, take.sha256);
    o.insert(u"generationMs"_s, take.generationMs);
    o.insert(u"attempts"_s, take.attempts);
    o.insert(u"estimatedCost"_s, take.estimatedCost);
    o.insert(u"remainingCredits"_s, take.remainingCredits ? QJsonValue(*take.remainingCredits) : QJsonValue());
    o.insert(u"favourite"_s, take.favourite);
    o.insert(u"rating"_s, take.rating);
    o.insert(u"tags"_s, QJsonArray::fromStringList(take.tags));
    o.insert(u"note"_s, take.note);
    o.insert(u"trashed"_s, take.trashed);
    o.insert(u"parentId"_s, take.parentId);
    o.insert(u"audio"_s, take.audioRelativePath);
    return o;
}

} // namespace

QByteArray toJson(const Take& take, bool indented)
{
    return QJsonDocument(toObject(take)).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
}

QByteArray toShortJson(const Take& take, int maxBytes)
{
    QByteArray json = toJson(take, false);
    Take shortened = take;
    while (json.size() > maxBytes && !shortened.prompt.isEmpty()) {
        const int excess = int(json.size()) - maxBytes + 32; // room for the "promptTruncated" marker
        shortened.prompt = truncateUtf8(shortened.prompt, std::max(0, int(shortened.prompt.toUtf8().size()) - excess));
        QJsonObject recipe = toObject(shortened);
        recipe.insert(u"promptTruncated"_s, true);
        json = QJsonDocument(recipe).toJson(QJsonDocument::Compact);
    }
    return json;
}

std::optional<Take> fromJson(const QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        setError(error,
                 QCoreApplication::translate("TakeSidecar", "not a take sidecar: %1").arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Take take;
    take.id = o.value("id"_L1).toString();
    if (!TakeId::isValid(take.id)) {
        setError(error, QCoreApplication::translate("TakeSidecar", "the sidecar has no valid take id"));
        return std::nullopt;
    }
    take.created = QDateTime::fromString(o.value("created"_L1).toString(), Qt::ISODateWithMs).toUTC();
    take.prompt = o.value("prompt"_L1).toString();
    take.requestedDuration = o.value("requestedDuration"_L1).toInt();
    take.actualDuration = o.value("actualDuration"_L1).toDouble();
    take.seed = o.value("seed"_L1).toInt();
    take.provider = o.value("provider"_L1).toString();
    take.endpoint = o.value("endpoint"_L1).toString();
    take.model = o.value("model"_L1).toString();
    take.format = audioFormatFromName(o.value("format"_L1).toString());
    take.sampleRate = o.value("sampleRate"_L1).toInt();
    take.channels = o.value("channels"_L1).toInt();
    take.byteSize = o.value("byteSize"_L1).toInteger();
    take.sha256 = o.value("sha256"_L1).toString();
    take.generationMs = o.value("generationMs"_L1).toInteger();
    take.attempts = o.value("attempts"_L1).toInt();
    take.estimatedCost = o.value("estimatedCost"_L1).toDouble();
    if (o.value("remainingCredits"_L1).isDouble())
        take.remainingCredits = o.value("remainingCredits"_L1).toDouble();
    take.favourite = o.value("favourite"_L1).toBool();
    take.rating = std::clamp(o.value("rating"_L1).toInt(), 0, 5);
    const QJsonArray tags = o.value("tags"_L1).toArray();
    for (const QJsonValue& tag : tags)
        take.tags << tag.toString();
    take.note = o.value("note"_L1).toString();
    take.trashed = o.value("trashed"_L1).toBool();
    take.parentId = o.value("parentId"_L1).toString();
    take.audioRelativePath = o.value("audio"_L1).toString();
    return take;
}

bool write(const QString& path, const Take& take, QString* error)
{
    const AtomicFile::WriteResult written = AtomicFile::write(path, toJson(take), AtomicFile::Mode::Replace);
    if (!written.ok())
        setError(error, written.error);
    return written.ok();
}

std::optional<Take> read(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error,
                 QCoreApplication::translate("TakeSidecar", "could not read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    // A sidecar is a few hundred bytes; anything huge is not ours.
    return fromJson(file.read(1 << 20), error);
}

} // namespace TakeSidecar
