#pragma once

#include "TestAudio.h"
#include "model/GenerationResult.h"
#include "model/Take.h"

#include <QDateTime>
#include <QString>
#include <QStringView>

/// Takes and generation results with known values, for tests that name, store or list takes.
namespace TestTakes {

/// A stored take of `prompt`: id abcd234567, made 2024-03-09 23:59:58 UTC by Segmind, 12 s asked, seed 42, WAV.
inline Take sampleTake(QStringView prompt = u"Lo-fi hip hop")
{
    using namespace Qt::StringLiterals;
    Take take;
    take.id = u"abcd234567"_s;
    take.created = QDateTime(QDate(2024, 3, 9), QTime(23, 59, 58), Qt::UTC);
    take.prompt = prompt.toString();
    take.requestedDuration = 12;
    take.seed = 42;
    take.provider = u"segmind"_s;
    take.format = AudioFormat::Wav;
    return take;
}

/// A finished take of `prompt` as a provider hands it over: `seconds` of tone in WAV, made in 1234 ms. From
/// "segmind" it took 2 attempts and left 9.5 credits; from "offline" it took one.
inline GenerationResult result(const QString& prompt, int seed = 42, int duration = 10,
                               QStringView provider = u"offline", double seconds = 0.05)
{
    using namespace Qt::StringLiterals;
    GenerationResult r;
    r.request = GenerationRequest{prompt, duration, seed};
    r.audio = TestAudio::sineWav(seconds);
    r.audioInfo = AudioInfo{AudioFormat::Wav, 32000, 1, qint64(seconds * 32000)};
    r.providerId = provider.toString();
    const bool segmind = provider == "segmind"_L1;
    r.model = segmind ? u"meta-musicgen-medium"_s : u"offline-sketch-1"_s;
    r.endpoint = segmind ? u"https://api.segmind.com/v1/meta-musicgen-medium"_s : u"built-in"_s;
    r.attempts = segmind ? 2 : 1;
    r.elapsedMs = 1234;
    if (segmind)
        r.remainingCredits = 9.5;
    return r;
}

} // namespace TestTakes
