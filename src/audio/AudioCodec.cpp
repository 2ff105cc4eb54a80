#include "audio/AudioCodec.h"

#include <QCoreApplication>

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace {

// libsndfile reads and writes through these callbacks, so audio never needs a temporary file.
struct MemoryStream
{
    QByteArray data;
    sf_count_t position = 0;
};

sf_count_t streamLength(void* user)
{
    return static_cast<MemoryStream*>(user)->data.size();
}

sf_count_t streamSeek(sf_count_t offset, int whence, void* user)
{
    auto* stream = static_cast<MemoryStream*>(user);
    sf_count_t base = 0;
    if (whence == SEEK_CUR)
        base = stream->position;
    else if (whence == SEEK_END)
        base = stream->data.size();
    const sf_count_t target = base + offset;
    if (target < 0)
        return -1;
    stream->position = target;
    return target;
}

sf_count_t streamRead(void* destination, sf_count_t count, void* user)
{
    auto* stream = static_cast<MemoryStream*>(user);
    const sf_count_t available = std::max<sf_count_t>(0, stream->data.size() - stream->position);
    const sf_count_t n = std::clamp<sf_count_t>(count, 0, available);
    if (n > 0)
        std::memcpy(destination, stream->data.constData() + stream->position, size_t(n));
    stream->position += n;
    return n;
}

sf_count_t streamWrite(const void* source, sf_count_t count, void* user)
{
    auto* stream = static_cast<MemoryStream*>(user);
    const sf_count_t end = stream->position + count;
    if (end > stream->data.size())
        stream->data.resize(qsizetype(end), '\0');
    std::memcpy(stream->data.data() + stream->position, source, size_t(count));
    stream->position = end;
    return count;
}

sf_count_t streamTell(void* user)
{
    return static_cast<MemoryStream*>(user)->position;
}

SF_VIRTUAL_IO memoryIo()
{
    return SF_VIRTUAL_IO{streamLength, streamSeek, streamRead, streamWrite, streamTell};
}

struct SndFileCloser
{
    void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndFilePtr = std::unique_ptr<SNDFILE, SndFileCloser>;

void setReason(QString* whyNot, const QString& reason)
{
    if (whyNot)
        *whyNot = reason;
}

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

} // namespace

namespace AudioCodec {

std::optional<AudioInfo> probe(const QByteArray& bytes, QString* whyNot)
{
    const AudioFormat format = sniffAudioFormat(bytes);
    if (format == AudioFormat::Unknown) {
        setReason(whyNot, bytes.isEmpty() ? QCoreApplication::translate("Audio", "the response was empty")
                                          : QCoreApplication::translate(
                                                "Audio", "the response is not WAV, MP3, FLAC or Ogg audio"));
        return std::nullopt;
    }
    MemoryStream stream{bytes, 0};
    SF_VIRTUAL_IO io = memoryIo();
    SF_INFO info{};
    SndFilePtr file(sf_open_virtual(&io, SFM_READ, &info, &stream));
    if (!file) {
        setReason(whyNot, QCoreApplication::translate("Audio", "the %1 audio could not be decoded: %2")
                              .arg(audioFormatExtension(format).toUpper(), QString::fromUtf8(sf_strerror(nullptr))));
        return std::nullopt;
    }
    AudioInfo result{format, info.samplerate, info.channels, info.frames};
    // MP3 and some streams report no frame count up front; count them by decoding.
    if (result.frames <= 0 || result.frames == SF_COUNT_MAX) {
        std::vector<float> buffer(size_t(4096) * size_t(std::max(1, info.channels)));
        sf_count_t total = 0;
        for (sf_count_t n; (n = sf_readf_float(file.get(), buffer.data(), 4096)) > 0;)
            total += n;
        result.frames = total;
    }
    if (!result.isValid()) {
        setReason(whyNot, QCoreApplication::translate("Audio", "the %1 audio holds no sound")
                              .arg(audioFormatExtension(format).toUpper()));
        return std::nullopt;
    }
    return result;
}

std::optional<QByteArray> convert(const QByteArray& bytes, AudioFormat target, QString* whyNot)
{
    if (!probe(bytes, whyNot))
        return std::nullopt;
    MemoryStream input{bytes, 0};
    SF_VIRTUAL_IO inputIo = memoryIo();
    SF_INFO inputInfo{};
    SndFilePtr reader(sf_open_virtual(&inputIo, SFM_READ, &inputInfo, &input));
    if (!reader) {
        setReason(whyNot, QString::fromUtf8(sf_strerror(nullptr)));
        return std::nullopt;
    }

    MemoryStream output;
    SF_VIRTUAL_IO outputIo = memoryIo();
    SF_INFO outputInfo{};
    outputInfo.samplerate = inputInfo.samplerate;
    outputInfo.channels = inputInfo.channels;
    outputInfo.format = sndFileFormat(target);
    if (outputInfo.format == 0 || !sf_format_check(&outputInfo)) {
        setReason(whyNot, QCoreApplication::translate("Audio", "%1 Hz, %2-channel audio cannot be written as %3")
                              .arg(inputInfo.samplerate)
                              .arg(inputInfo.channels)
                              .arg(audioFormatExtension(target).toUpper()));
        return std::nullopt;
    }
    {
        SndFilePtr writer(sf_open_virtual(&outputIo, SFM_WRITE, &outputInfo, &output));
        if (!writer) {
            setReason(whyNot, QString::fromUtf8(sf_strerror(nullptr)));
            return std::nullopt;
        }
        // Float samples above full scale would wrap when written as integers; clip them instead.
        sf_command(writer.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
        constexpr sf_count_t chunkFrames = 8192;
        std::vector<float> buffer(size_t(chunkFrames) * size_t(inputInfo.channels));
        for (sf_count_t n; (n = sf_readf_float(reader.get(), buffer.data(), chunkFrames)) > 0;) {
            if (sf_writef_float(writer.get(), buffer.data(), n) != n) {
                setReason(whyNot, QString::fromUtf8(sf_strerror(writer.get())));
                return std::nullopt;
            }
        }
    } // closing the writer finalises headers
    return output.data;
}

std::optional<Peaks> peaks(const QByteArray& bytes, int buckets, QString* whyNot)
{
    const auto info = probe(bytes, whyNot);
    if (!info || buckets <= 0)
        return std::nullopt;
    MemoryStream stream{bytes, 0};
    SF_VIRTUAL_IO io = memoryIo();
    SF_INFO sfInfo{};
    SndFilePtr file(sf_open_virtual(&io, SFM_READ, &sfInfo, &stream));
    if (!file)
        return std::nullopt;

    Peaks result;
    result.minimum.fill(0.0F, buckets);
    result.maximum.fill(0.0F, buckets);
    const int channels = std::max(1, sfInfo.channels);
    constexpr sf_count_t chunkFrames = 8192;
    std::vector<float> buffer(size_t(chunkFrames) * size_t(channels));
    qint64 frame = 0;
    for (sf_count_t n; (n = sf_readf_float(file.get(), buffer.data(), chunkFrames)) > 0;) {
        for (sf_count_t i = 0; i < n; ++i, ++frame) {
            float mixed = 0;
            for (int c = 0; c < channels; ++c)
                mixed += buffer[size_t(i * channels + c)];
            mixed /= float(channels);
            const auto bucket = int(std::min<qint64>(buckets - 1, frame * buckets / std::max<qint64>(1, info->frames)));
            result.minimum[bucket] = std::min(result.minimum[bucket], mixed);
            result.maximum[bucket] = std::max(result.maximum[bucket], mixed);
        }
    }
    return result;
}

} // namespace AudioCodec
