#include "audio/AudioCodec.h"

#include "audio/SndFileMemory.h"
#include "model/TextUtils.h"

#include <QCoreApplication>

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace {

int sndFileFormat(AudioFormat format)
{
    switch (format) {
    case AudioFormat::Wav: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case AudioFormat::Flac: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFormat::Ogg: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AudioFormat::Mp3: return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case AudioFormat::Unknown: break;
    }
    return 0;
}

/// libsndfile over bytes that sniff as a known container, or nothing and the reason.
std::unique_ptr<SndFileMemory> openAudio(const QByteArray& bytes, AudioFormat* format, QString* whyNot)
{
    *format = sniffAudioFormat(bytes);
    if (*format == AudioFormat::Unknown) {
        setError(whyNot, bytes.isEmpty()
                             ? QCoreApplication::translate("Audio", "it is empty")
                             : QCoreApplication::translate("Audio", "it is not WAV, MP3, FLAC or Ogg audio"));
        return nullptr;
    }
    auto file = std::make_unique<SndFileMemory>(bytes);
    if (!file->isOpen()) {
        setError(whyNot, QCoreApplication::translate("Audio", "the %1 audio could not be decoded: %2")
                             .arg(audioFormatExtension(*format).toUpper(), file->errorString()));
        return nullptr;
    }
    return file;
}

QString noSound(AudioFormat format)
{
    return QCoreApplication::translate("Audio", "the %1 audio holds no sound")
        .arg(audioFormatExtension(format).toUpper());
}

} // namespace

namespace AudioCodec {

std::optional<AudioInfo> probe(const QByteArray& bytes, QString* whyNot)
{
    AudioFormat format = AudioFormat::Unknown;
    const auto file = openAudio(bytes, &format, whyNot);
    if (!file)
        return std::nullopt;
    const SF_INFO& info = file->info();
    AudioInfo result{format, info.samplerate, info.channels, info.frames};
    // MP3 and some streams report no frame count up front; count them by decoding.
    if (result.frames <= 0 || result.frames == SF_COUNT_MAX) {
        std::vector<float> buffer(size_t(4096) * size_t(std::max(1, info.channels)));
        sf_count_t total = 0;
        for (sf_count_t n; (n = sf_readf_float(file->get(), buffer.data(), 4096)) > 0;)
            total += n;
        result.frames = total;
    }
    if (!result.isValid()) {
        setError(whyNot, noSound(format));
        return std::nullopt;
    }
    return result;
}

std::optional<QByteArray> convert(const QByteArray& bytes, AudioFormat target, QString* whyNot)
{
    if (!probe(bytes, whyNot))
        return std::nullopt;
    SndFileMemory reader(bytes);
    if (!reader.isOpen()) {
        setError(whyNot, reader.errorString());
        return std::nullopt;
    }
    SF_INFO outputInfo{};
    outputInfo.samplerate = reader.info().samplerate;
    outputInfo.channels = reader.info().channels;
    outputInfo.format = sndFileFormat(target);
    if (outputInfo.format == 0 || !sf_format_check(&outputInfo)) {
        setError(whyNot, QCoreApplication::translate("Audio", "%1 Hz, %2-channel audio cannot be written as %3")
                             .arg(outputInfo.samplerate)
                             .arg(outputInfo.channels)
                             .arg(audioFormatExtension(target).toUpper()));
        return std::nullopt;
    }
    SndFileMemory writer(outputInfo);
    if (!writer.isOpen()) {
        setError(whyNot, writer.errorString());
        return std::nullopt;
    }
    // Float samples above full scale would wrap when written as integers; clip them instead.
    sf_command(writer.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    constexpr sf_count_t chunkFrames = 8192;
    std::vector<float> buffer(size_t(chunkFrames) * size_t(outputInfo.channels));
    for (sf_count_t n; (n = sf_readf_float(reader.get(), buffer.data(), chunkFrames)) > 0;) {
        if (sf_writef_float(writer.get(), buffer.data(), n) != n) {
            setError(whyNot, writer.errorString());
            return std::nullopt;
        }
    }
    return writer.close();
}

std::optional<Decoded> decode(const QByteArray& bytes, QString* whyNot)
{
    AudioFormat format = AudioFormat::Unknown;
    const auto file = openAudio(bytes, &format, whyNot);
    if (!file)
        return std::nullopt;
    Decoded result;
    result.sampleRate = file->info().samplerate;
    result.channels = file->info().channels;
    if (result.sampleRate <= 0 || result.channels <= 0) {
        setError(whyNot, noSound(format));
        return std::nullopt;
    }
    const auto channels = size_t(result.channels);
    const sf_count_t announced = file->info().frames;
    if (announced > 0 && announced != SF_COUNT_MAX)
        result.samples.reserve(size_t(announced) * channels);
    constexpr sf_count_t chunkFrames = 8192;
    std::vector<float> buffer(size_t(chunkFrames) * channels);
    for (sf_count_t n; (n = sf_readf_float(file->get(), buffer.data(), chunkFrames)) > 0;)
        result.samples.insert(result.samples.end(), buffer.begin(), buffer.begin() + qsizetype(size_t(n) * channels));
    if (result.samples.empty()) {
        setError(whyNot, noSound(format));
        return std::nullopt;
    }
    return result;
}

std::optional<Decoded> resample(const Decoded& audio, int sampleRate, QString* whyNot)
{
    if (audio.sampleRate == sampleRate)
        return audio;
    if (audio.sampleRate <= 0 || sampleRate <= 0 || audio.channels <= 0) {
        setError(whyNot, QCoreApplication::translate("Audio", "a sample rate of %1 Hz cannot be converted to %2 Hz")
                             .arg(audio.sampleRate)
                             .arg(sampleRate));
        return std::nullopt;
    }
    const double ratio = double(sampleRate) / audio.sampleRate;
    const auto framesIn = long(audio.samples.size() / size_t(audio.channels));
    Decoded result{.samples =
                       std::vector<float>(size_t(std::ceil(double(framesIn) * ratio) + 1) * size_t(audio.channels)),
                   .sampleRate = sampleRate,
                   .channels = audio.channels};
    SRC_DATA data{};
    data.data_in = audio.samples.data();
    data.input_frames = framesIn;
    data.data_out = result.samples.data();
    data.output_frames = long(result.samples.size() / size_t(audio.channels));
    data.src_ratio = ratio;
    if (const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, audio.channels); error != 0) {
        setError(whyNot, QCoreApplication::translate("Audio", "the audio could not be converted to %1 Hz: %2")
                             .arg(sampleRate)
                             .arg(QString::fromUtf8(src_strerror(error))));
        return std::nullopt;
    }
    result.samples.resize(size_t(data.output_frames_gen) * size_t(audio.channels));
    return result;
}

std::optional<Peaks> peaks(const QByteArray& bytes, int buckets, QString* whyNot)
{
    if (buckets <= 0)
        return std::nullopt;
    const auto decoded = decode(bytes, whyNot);
    if (!decoded)
        return std::nullopt;

    Peaks result;
    result.minimum.fill(0.0F, buckets);
    result.maximum.fill(0.0F, buckets);
    const int channels = decoded->channels;
    const auto frames = qint64(decoded->samples.size()) / channels;
    for (qint64 frame = 0; frame < frames; ++frame) {
        float mixed = 0;
        for (int c = 0; c < channels; ++c)
            mixed += decoded->samples[size_t(frame * channels + c)];
        mixed /= float(channels);
        const auto bucket = int(std::min<qint64>(buckets - 1, frame * buckets / frames));
        result.minimum[bucket] = std::min(result.minimum[bucket], mixed);
        result.maximum[bucket] = std::max(result.maximum[bucket], mixed);
    }
    return result;
}

} // namespace AudioCodec
