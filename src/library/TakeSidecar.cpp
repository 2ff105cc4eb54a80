#include "library/TakeSidecar.h"

#include "library/TakeFields.h"
#include "model/TextUtils.h"
#include "platform/AtomicFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace TakeSidecar {

namespace {

QJsonObject toObject(const Take& take)
{
    QJsonObject o = TakeFields::toJson(take);
    o.insert(u"schema"_s, Schema);
    o.insert(u"app"_s, u"MusicGen Studio"_s);
    o.insert(u"appVersion"_s, QString::fromUtf8(MUSICGEN_VERSION));
    return o;
}

} // namespace

QByteArray toJson(const Take& take, bool indented)
{
    return QJsonDocument(toObject(take)).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
}

QByteArray toEmbeddedJson(const Take& take, int maxBytes)
{
    // Kept out of files that leave the library: the musician's note, where their favourite copy lies, their
    // account's balance and request ids, and the library's own bookkeeping.
    static const QLatin1StringView privateKeys[] = {
        "note"_L1, "favouritePath"_L1, "remainingCredits"_L1, "requestId"_L1, "revision"_L1, "trashed"_L1, "audio"_L1};
    auto embedded = [](const Take& of) {
        QJsonObject recipe = toObject(of);
        for (const QLatin1StringView key : privateKeys)
            recipe.remove(key);
        return recipe;
    };
    QByteArray json = QJsonDocument(embedded(take)).toJson(QJsonDocument::Compact);
    Take shortened = take;
    while (maxBytes > 0 && json.size() > maxBytes && !shortened.prompt.isEmpty()) {
        const int excess = int(json.size()) - maxBytes + 32; // room for the "promptTruncated" marker
        shortened.prompt = truncateUtf8(shortened.prompt, std::max(0, int(shortened.prompt.toUtf8().size()) - excess));
        QJsonObject recipe = embedded(shortened);
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
    Take take = TakeFields::fromJson(doc.object());
    if (!TakeId::isValid(take.id)) {
        setError(error, QCoreApplication::translate("TakeSidecar", "the sidecar has no valid take id"));
        return std::nullopt;
    }
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
