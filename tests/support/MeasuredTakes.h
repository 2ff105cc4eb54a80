#pragma once

#include "analysis/TakeAnalysis.h"
#include "audio/AudioCodec.h"
#include "engine/SketchEngine.h"
#include "model/GenerationResult.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <vector>

/// Takes as the app makes and measures them, for tests that need a take with a known tempo and key: the prompt's
/// ("house at 124 bpm in A minor") is the one the offline engine plays. Links the engine, analysis and audio modules.
namespace MeasuredTakes {

/// An offline take of `prompt`, `seconds` long, as the provider hands it over and measured as the app measures it.
inline GenerationResult offline(const QString& prompt, int seconds)
{
    using namespace Qt::StringLiterals;
    GenerationResult result;
    result.request = GenerationRequest{prompt, seconds, 5};
    const engine::SketchPlan plan = engine::plan({prompt.toStdString(), seconds, 5});
    const std::vector<std::uint8_t> wav = engine::encodeWav(engine::renderPcm(plan));
    result.audio = QByteArray(reinterpret_cast<const char*>(wav.data()), qsizetype(wav.size()));
    result.audioInfo = *AudioCodec::probe(result.audio);
    result.providerId = u"offline"_s;
    result.model = QString::fromLatin1(engine::ModelId);
    result.endpoint = u"built-in"_s;
    result.attempts = 1;
    result.analysis = TakeAnalysis::analyse(result.audio, result.request, result.model);
    return result;
}

} // namespace MeasuredTakes
