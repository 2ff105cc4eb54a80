#pragma once

#include <QByteArray>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <vector>

/// Audio made by hand for tests, so that what the code under test reads does not come from the code itself.
namespace TestAudio {

/// A canonical 16-bit PCM RIFF/WAVE file holding `samples` (interleaved when `channels` > 1).
inline QByteArray pcmWav(const std::vector<qint16>& samples, int sampleRate = 32000, int channels = 1)
{
    const auto dataBytes = quint32(samples.size() * 2);
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
    for (size_t i = 0; i < samples.size(); ++i)
        put16(p + 44 + i * 2, quint16(samples[i]));
    return wav;
}

/// A canonical 16-bit PCM RIFF/WAVE file of a 440 Hz tone at half scale.
inline QByteArray sineWav(double seconds, int sampleRate = 32000, int channels = 1)
{
    const auto frames = size_t(std::llround(seconds * sampleRate));
    std::vector<qint16> samples(frames * size_t(channels));
    for (size_t i = 0; i < frames; ++i) {
        const auto sample = qint16(std::lround(16000 * std::sin(2 * M_PI * 440 * double(i) / sampleRate)));
        for (int c = 0; c < channels; ++c)
            samples[i * size_t(channels) + size_t(c)] = sample;
    }
    return pcmWav(samples, sampleRate, channels);
}

} // namespace TestAudio
