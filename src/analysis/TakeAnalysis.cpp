#include "analysis/TakeAnalysis.h"

#include "analysis/Analyser.h"
#include "audio/AudioCodec.h"
#include "engine/SketchEngine.h"

#include <QCoreApplication>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double TempoMatchBpm = 2.0;

QString tr(const char* text)
{
    return QCoreApplication::translate("TakeAnalysis", text);
}

double rounded(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

double oneDecimal(double value)
{
    return rounded(value, 1);
}

QJsonValue optionalNumber(const std::optional<double>& value)
{
    return value ? QJsonValue(oneDecimal(*value)) : QJsonValue();
}

} // namespace

namespace TakeAnalysis {

std::optional<MusicAnalysis> analyse(const QByteArray& audio, const GenerationRequest& recipe, const QString& model,
                                     QString* whyNot)
{
    const std::optional<AudioCodec::Decoded> decoded = AudioCodec::decode(audio, whyNot);
    if (!decoded)
        return std::nullopt;

    const bool composedOffline = model == QLatin1StringView(engine::ModelId);
    const analysis::Prior prior = analysis::priorFromPrompt(recipe.prompt.toStdString());
    const auto frames = decoded->samples.size() / std::size_t(std::max(1, decoded->channels));
    analysis::Result found;
    if (composedOffline)
        found.loudness =
            analysis::measureLoudness(decoded->samples.data(), frames, decoded->channels, decoded->sampleRate);
    else
        found = analysis::analyse(decoded->samples.data(), frames, decoded->channels, decoded->sampleRate, prior);

    MusicAnalysis result;
    result.version = Version;
    if (composedOffline) {
        const engine::SketchPlan plan =
            engine::plan({recipe.prompt.toStdString(), recipe.durationSeconds, std::uint32_t(recipe.seed)});
        result.bpm = plan.bpm;
        result.bpmConfidence = 1;
        result.key = MusicalKey{plan.keyRoot, plan.minor};
        result.keyConfidence = 1;
    } else {
        result.bpm = found.tempo.bpm;
        result.bpmConfidence = found.tempo.confidence;
        result.downbeatSeconds = found.tempo.firstDownbeatSeconds;
        result.tempoNote = QString::fromStdString(found.tempo.reason);
        if (found.key.root >= 0) {
            result.key = MusicalKey{found.key.root, found.key.minor};
            result.keyConfidence = found.key.confidence;
        }
    }
    if (found.loudness.valid) {
        result.loudnessLufs = found.loudness.integratedLufs;
        result.truePeakDbtp = found.loudness.truePeakDbtp;
    }
    return withinRange(result);
}

MusicAnalysis withinRange(MusicAnalysis analysis)
{
    if (!std::isfinite(analysis.bpm) || analysis.bpm < MusicAnalysis::MinBpm || analysis.bpm > MusicAnalysis::MaxBpm)
        analysis.bpm = 0;
    auto unit = [](double value) { return std::isfinite(value) ? std::clamp(value, 0.0, 1.0) : 0.0; };
    analysis.bpmConfidence = analysis.bpm > 0 ? unit(analysis.bpmConfidence) : 0;
    analysis.downbeatSeconds = analysis.bpm > 0 && std::isfinite(analysis.downbeatSeconds)
                                   ? std::clamp(analysis.downbeatSeconds, 0.0, 4 * 60 / analysis.bpm)
                                   : 0;
    analysis.keyConfidence = analysis.key.isValid() ? unit(analysis.keyConfidence) : 0;
    if (!analysis.key.isValid())
        analysis.key = MusicalKey{};
    for (std::optional<double>* level : {&analysis.loudnessLufs, &analysis.truePeakDbtp}) {
        if (*level && !std::isfinite(**level))
            level->reset();
    }
    return analysis;
}

QString promptMismatch(const Take& take)
{
    if (take.analysisVersion == 0)
        return {};
    const engine::PromptTraits asked = engine::readPrompt(take.prompt.toStdString());
    QStringList differences;
    if (asked.bpm > 0 && take.tempo() > 0 && std::abs(take.tempo() - asked.bpm) > TempoMatchBpm)
        differences << tr("asked %1 BPM, got %2")
                           .arg(MusicAnalysis::tempoText(asked.bpm), MusicAnalysis::tempoText(take.tempo()));
    const MusicalKey got = take.key();
    if (asked.keyRoot >= 0 && got.isValid() &&
        (got.root != asked.keyRoot || (asked.keyMode >= 0 && got.minor != (asked.keyMode == 1)))) {
        const MusicalKey wanted{asked.keyRoot, asked.keyMode == 1};
        differences << tr("asked %1, got %2")
                           .arg(asked.keyMode >= 0 ? wanted.name() : wanted.shortName(),
                                asked.keyMode >= 0 ? got.name() : got.shortName());
    }
    return differences.join(u"; "_s);
}

QStringList chips(const Take& take)
{
    QStringList shown;
    if (take.tempo() > 0)
        shown << tr("%1 BPM").arg(MusicAnalysis::tempoText(take.tempo()));
    if (take.key().isValid())
        shown << take.key().name();
    if (take.loudnessLufs)
        // A true minus sign: the chip is read, not parsed.
        shown << tr("%1 LUFS").arg(QString::number(oneDecimal(*take.loudnessLufs), 'f', 1).replace(u'-', u'−'));
    return shown;
}

void addToJson(QJsonObject& object, const MusicAnalysis& analysis, std::optional<double> bpmByUser)
{
    const double bpm = bpmByUser.value_or(analysis.bpm);
    const bool hasKey = analysis.key.isValid();
    const QJsonObject fields{
        {u"bpm"_s, bpm > 0 ? QJsonValue(oneDecimal(bpm)) : QJsonValue()},
        {u"bpm_confidence"_s, analysis.bpm > 0 ? QJsonValue(rounded(analysis.bpmConfidence, 2)) : QJsonValue()},
        {u"downbeat_s"_s, analysis.bpm > 0 ? QJsonValue(rounded(analysis.downbeatSeconds, 3)) : QJsonValue()},
        {u"key"_s, hasKey ? QJsonValue(analysis.key.name()) : QJsonValue()},
        {u"key_short"_s, hasKey ? QJsonValue(analysis.key.shortName()) : QJsonValue()},
        {u"camelot"_s, hasKey ? QJsonValue(analysis.key.camelot()) : QJsonValue()},
        {u"key_confidence"_s, hasKey ? QJsonValue(rounded(analysis.keyConfidence, 2)) : QJsonValue()},
        {u"lufs"_s, optionalNumber(analysis.loudnessLufs)},
        {u"true_peak_dbtp"_s, optionalNumber(analysis.truePeakDbtp)},
    };
    for (auto it = fields.begin(); it != fields.end(); ++it)
        object.insert(it.key(), it.value());
    if (bpmByUser)
        object.insert(u"bpm_by_user"_s, true);
    if (!analysis.tempoNote.isEmpty())
        object.insert(u"tempo_note"_s, analysis.tempoNote);
}

} // namespace TakeAnalysis
