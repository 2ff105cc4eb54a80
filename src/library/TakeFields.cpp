#include "library/TakeFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <algorithm>
#include <variant>

using namespace Qt::StringLiterals;

namespace TakeFields {

namespace {

/// Where a field's value lives in Take; its type says how it is written and read (the overloads below).
using Member = std::variant<QString Take::*, QDateTime Take::*, int Take::*, qint64 Take::*, double Take::*,
                            bool Take::*, std::optional<double> Take::*, QStringList Take::*, AudioFormat Take::*>;

struct Field
{
    QLatin1StringView sidecarKey; ///< empty: not in the sidecar
    QLatin1StringView column;
    Member member;
    Scope scope = Scope::All; ///< ChangeLater: also written by UPDATE
};

// Every persisted field of a take, in the index's column order. A new field is one more line (and a migration).
const Field Fields[] = {
    {"id"_L1, "id"_L1, &Take::id},
    {"created"_L1, "created"_L1, &Take::created},
    {"prompt"_L1, "prompt"_L1, &Take::prompt},
    {"requestedDuration"_L1, "requested_duration"_L1, &Take::requestedDuration},
    {"actualDuration"_L1, "actual_duration"_L1, &Take::actualDuration},
    {"seed"_L1, "seed"_L1, &Take::seed},
    {"provider"_L1, "provider"_L1, &Take::provider},
    {"endpoint"_L1, "endpoint"_L1, &Take::endpoint},
    {"model"_L1, "model"_L1, &Take::model},
    {"format"_L1, "format"_L1, &Take::format},
    {"sampleRate"_L1, "sample_rate"_L1, &Take::sampleRate},
    {"channels"_L1, "channels"_L1, &Take::channels},
    {"byteSize"_L1, "byte_size"_L1, &Take::byteSize},
    {"sha256"_L1, "sha256"_L1, &Take::sha256},
    {"generationMs"_L1, "generation_ms"_L1, &Take::generationMs},
    {"attempts"_L1, "attempts"_L1, &Take::attempts},
    {"estimatedCost"_L1, "estimated_cost"_L1, &Take::estimatedCost},
    {"remainingCredits"_L1, "remaining_credits"_L1, &Take::remainingCredits},
    {"favourite"_L1, "favourite"_L1, &Take::favourite, Scope::ChangeLater},
    {"rating"_L1, "rating"_L1, &Take::rating, Scope::ChangeLater},
    {"tags"_L1, "tags"_L1, &Take::tags, Scope::ChangeLater},
    {"note"_L1, "note"_L1, &Take::note, Scope::ChangeLater},
    {"trashed"_L1, "trashed"_L1, &Take::trashed, Scope::ChangeLater},
    {{}, "audio_missing"_L1, &Take::audioMissing, Scope::ChangeLater},
    {"parentId"_L1, "parent_id"_L1, &Take::parentId},
    {"audio"_L1, "audio_path"_L1, &Take::audioRelativePath},
    {"favouritePath"_L1, "favourite_path"_L1, &Take::favouritePath, Scope::ChangeLater},
    {"revision"_L1, "revision"_L1, &Take::revision, Scope::ChangeLater},
    {"serverCost"_L1, "server_cost"_L1, &Take::serverCost},
    {"requestId"_L1, "request_id"_L1, &Take::requestId},
    {"analysisVersion"_L1, "analysis_version"_L1, &Take::analysisVersion, Scope::ChangeLater},
    {"bpm"_L1, "bpm"_L1, &Take::bpm, Scope::ChangeLater},
    {"bpmConfidence"_L1, "bpm_confidence"_L1, &Take::bpmConfidence, Scope::ChangeLater},
    {"downbeatSeconds"_L1, "downbeat_seconds"_L1, &Take::downbeatSeconds, Scope::ChangeLater},
    {"bpmByUser"_L1, "bpm_by_user"_L1, &Take::bpmByUser, Scope::ChangeLater},
    {"keyRoot"_L1, "key_root"_L1, &Take::keyRoot, Scope::ChangeLater},
    {"keyMinor"_L1, "key_minor"_L1, &Take::keyMinor, Scope::ChangeLater},
    {"keyConfidence"_L1, "key_confidence"_L1, &Take::keyConfidence, Scope::ChangeLater},
    {"loudnessLufs"_L1, "loudness_lufs"_L1, &Take::loudnessLufs, Scope::ChangeLater},
    {"truePeakDbtp"_L1, "true_peak_dbtp"_L1, &Take::truePeakDbtp, Scope::ChangeLater},
    {"loopStartBar"_L1, "loop_start_bar"_L1, &Take::loopStartBar},
    {"loopBars"_L1, "loop_bars"_L1, &Take::loopBars},
};

bool inScope(const Field& field, Scope scope)
{
    return scope == Scope::All || field.scope == scope;
}

// The index refuses a rating outside 0..5 stars (CHECK), and a sidecar edited by hand may say anything.
Take withRatingInRange(Take take)
{
    take.rating = std::clamp(take.rating, 0, 5);
    return take;
}

// Sidecar values.

QJsonValue jsonValue(const QString& value)
{
    return value;
}

QJsonValue jsonValue(const QDateTime& value)
{
    return value.toUTC().toString(Qt::ISODateWithMs);
}

// int, qint64, double, bool: JSON numbers and booleans as they are.
template <typename Plain> QJsonValue jsonValue(Plain value)
{
    return QJsonValue(value);
}

QJsonValue jsonValue(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonValue jsonValue(const QStringList& value)
{
    return QJsonArray::fromStringList(value);
}

QJsonValue jsonValue(AudioFormat value)
{
    return audioFormatExtension(value);
}

void readJson(const QJsonValue& json, QString& value)
{
    value = json.toString();
}

void readJson(const QJsonValue& json, QDateTime& value)
{
    value = QDateTime::fromString(json.toString(), Qt::ISODateWithMs).toUTC();
}

void readJson(const QJsonValue& json, int& value)
{
    value = json.toInt(value);
}

void readJson(const QJsonValue& json, qint64& value)
{
    value = json.toInteger(value);
}

void readJson(const QJsonValue& json, double& value)
{
    value = json.toDouble(value);
}

void readJson(const QJsonValue& json, bool& value)
{
    value = json.toBool(value);
}

void readJson(const QJsonValue& json, std::optional<double>& value)
{
    if (json.isDouble())
        value = json.toDouble();
}

void readJson(const QJsonValue& json, QStringList& value)
{
    const QJsonArray array = json.toArray();
    for (const QJsonValue& item : array)
        value << item.toString();
}

void readJson(const QJsonValue& json, AudioFormat& value)
{
    value = audioFormatFromName(json.toString());
}

// Index values.

// Qt binds a null QString as SQL NULL; the text columns are NOT NULL, so bind empty text instead.
QVariant sqlValue(const QString& value)
{
    return value.isNull() ? QVariant(QString::fromLatin1("")) : QVariant(value);
}

QVariant sqlValue(const QDateTime& value)
{
    return value.toMSecsSinceEpoch();
}

// int, qint64, double, bool: SQLite integers and reals as they are.
template <typename Plain> QVariant sqlValue(Plain value)
{
    return QVariant(value);
}

QVariant sqlValue(const std::optional<double>& value)
{
    return value ? QVariant(*value) : QVariant();
}

// Tags are a compact JSON array, or empty text for none.
QVariant sqlValue(const QStringList& value)
{
    return sqlValue(
        value.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(value)).toJson(QJsonDocument::Compact)));
}

QVariant sqlValue(AudioFormat value)
{
    return sqlValue(audioFormatExtension(value));
}

void readSql(const QVariant& sql, QDateTime& value)
{
    value = QDateTime::fromMSecsSinceEpoch(sql.toLongLong(), Qt::UTC);
}

// QString, int, qint64, double, bool: the column's value converted as QVariant::toString(), toInt() and so on do.
template <typename Plain> void readSql(const QVariant& sql, Plain& value)
{
    value = sql.value<Plain>();
}

void readSql(const QVariant& sql, std::optional<double>& value)
{
    if (!sql.isNull())
        value = sql.toDouble();
}

void readSql(const QVariant& sql, QStringList& value)
{
    const QString text = sql.toString();
    if (!text.isEmpty())
        readJson(QJsonDocument::fromJson(text.toUtf8()).array(), value);
}

void readSql(const QVariant& sql, AudioFormat& value)
{
    value = audioFormatFromName(sql.toString());
}

} // namespace

QStringList columns(Scope scope)
{
    QStringList names;
    for (const Field& field : Fields) {
        if (inScope(field, scope))
            names << field.column;
    }
    return names;
}

QVariantList sqlValues(const Take& take, Scope scope)
{
    const Take stored = withRatingInRange(take);
    QVariantList values;
    for (const Field& field : Fields) {
        if (inScope(field, scope))
            values << std::visit([&](auto member) { return sqlValue(stored.*member); }, field.member);
    }
    return values;
}

Take fromRow(const QSqlQuery& row)
{
    Take take;
    int column = 0;
    for (const Field& field : Fields) {
        const QVariant value = row.value(column++);
        std::visit([&](auto member) { readSql(value, take.*member); }, field.member);
    }
    return take;
}

QJsonObject toJson(const Take& take)
{
    QJsonObject object;
    for (const Field& field : Fields) {
        if (!field.sidecarKey.isEmpty())
            object.insert(field.sidecarKey,
                          std::visit([&](auto member) { return jsonValue(take.*member); }, field.member));
    }
    return object;
}

Take withSidecarChanges(const Take& indexed, const Take& sidecar)
{
    Take merged = indexed;
    for (const Field& field : Fields) {
        if (field.scope == Scope::ChangeLater && !field.sidecarKey.isEmpty())
            std::visit([&](auto member) { merged.*member = sidecar.*member; }, field.member);
    }
    return withRatingInRange(merged);
}

Take fromJson(const QJsonObject& object)
{
    Take take;
    for (const Field& field : Fields) {
        if (!field.sidecarKey.isEmpty())
            std::visit([&](auto member) { readJson(object.value(field.sidecarKey), take.*member); }, field.member);
    }
    return withRatingInRange(take);
}

} // namespace TakeFields
