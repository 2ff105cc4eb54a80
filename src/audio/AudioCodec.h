#pragma once

#include "model/AudioFormat.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

/// Reading, checking and writing audio in memory through libsndfile.
namespace AudioCodec {

/// Sniffs the bytes and has libsndfile open them. Returns nothing unless the bytes are a known container that
/// decodes to at least one frame; `whyNot` then says what was wrong.
std::optional<AudioInfo> probe(const QByteArray& bytes, QString* whyNot = nullptr);

/// Decodes `bytes` and encodes them as `target` (16-bit PCM for WAV and FLAC, Vorbis for Ogg, Layer III for
/// MP3), keeping rate and channels. Returns nothing and fills `whyNot` when either step fails.
std::optional<QByteArray> convert(const QByteArray& bytes, AudioFormat target, QString* whyNot = nullptr);

/// Audio decoded to float samples, −1…1, channels interleaved.
struct Decoded
{
    std::vector<float> samples;
    int sampleRate = 0;
    int channels = 0;
};
/// Decodes any audio libsndfile reads (WAV, FLAC, Ogg, MP3) whole. Returns nothing and fills `whyNot` when the
/// bytes are not audio or hold no sound. Slow for long files: call it off the UI thread.
std::optional<Decoded> decode(const QByteArray& bytes, QString* whyNot = nullptr);

/// `audio` at `sampleRate` through libsamplerate's medium sinc converter (flat to 90 % of the lower Nyquist
/// frequency, SNR 97 dB), channels kept; `audio` itself when it already is at that rate. Returns nothing and
/// fills `whyNot` when libsamplerate refuses. Slow for long files: call it off the UI thread.
std::optional<Decoded> resample(const Decoded& audio, int sampleRate, QString* whyNot = nullptr);

/// The lowest and highest sample of each of `buckets` equal slices of the audio (channels mixed), −1…1: what a
/// waveform view draws.
struct Peaks
{
    QList<float> minimum;
    QList<float> maximum;
};
/// Decodes `bytes` once and reduces them to peaks. Slow for long files: call it off the UI thread.
std::optional<Peaks> peaks(const QByteArray& bytes, int buckets, QString* whyNot = nullptr);

} // namespace AudioCodec
