#pragma once

#include <QByteArray>
#include <QtEndian>

#include <cmath>

/// Audio made by hand for tests, so that what the code under test reads does not come from the code itself.
namespace TestAudio {

/// A canonical 16-bit PCM RIFF/WAVE file of a 440 Hz tone at half scale.
inline QByteArray sineWav(double seconds, int sampleRate = 32000, int channels = 1)
{
    const auto frames = qint64(std::llround(seconds * sampleRate));
    const auto dataBytes = quint32(frames * channels * 2);
    QByteArray wav(44 + qsizetype(dataBytes), '\0');
    char* p = wav.data();
    auto put32 = [](char* at, quint32 v) { qToLittleEndian(v, at); };
    auto put16 = [](char* at, quint16 v) { qToLittleEndian(v, at); };
    memcpy(p, "RIFF", 4);
    put32(p + 4, 36 + dataBytes);
    memcpy(p + 8, "WAVEfmt ", 8);
    put32(p + 16, 16);
    put16(p + 20, 1);
    put16(p + 22, quint16(channels));
    put32(p + 24, quint32(sampleRate));
    put32(p + 28, quint32(sampleRate * channels * 2));
    put16(p + 32, quint16(channels * 2));
    put16(p + 34, 16);
    memcpy(p + 36, "data", 4);
    put32(p + 40, dataBytes);
    for (qint64 i = 0; i < frames; ++i) {
        const auto sample = qint16(std::lround(16000 * std::sin(2 * M_PI * 440 * double(i) / sampleRate)));
        for (int c = 0; c < channels; ++c)
            put16(p + 44 + (i * channels + c) * 2, quint16(sample));
    }
    return wav;
}

} // namespace TestAudio
