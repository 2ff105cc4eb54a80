#include "model/AudioFormat.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {

bool startsWith(const QByteArray& bytes, qsizetype offset, const char* magic)
{
    return bytes.mid(offset, qsizetype(qstrlen(magic))) == QByteArray(magic);
}

// An MPEG audio frame header: 11 sync bits, a version other than "reserved", layer III/II/I, a bitrate index
// other than "bad" and a sample-rate index other than "reserved". Checking every field keeps random bytes
// that happen to start with 0xFF out.
bool isMpegFrameHeader(const QByteArray& bytes, qsizetype offset)
{
    if (bytes.size() < offset + 4)
        return false;
    const auto b0 = uchar(bytes[offset]), b1 = uchar(bytes[offset + 1]), b2 = uchar(bytes[offset + 2]);
    const bool sync = b0 == 0xFF && (b1 & 0xE0) == 0xE0;
    const bool version = ((b1 >> 3) & 0x3) != 0x1;
    const bool layer = ((b1 >> 1) & 0x3) != 0x0;
    const bool bitrate = (b2 >> 4) != 0xF && (b2 >> 4) != 0x0;
    const bool rate = ((b2 >> 2) & 0x3) != 0x3;
    return sync && version && layer && bitrate && rate;
}

// ID3v2 tags precede MP3 (and sometimes FLAC) data; their size is a 28-bit "synchsafe" integer.
qsizetype skipId3(const QByteArray& bytes)
{
    if (bytes.size() < 10 || !startsWith(bytes, 0, "ID3"))
        return 0;
    qsizetype size = 0;
    for (int i = 6; i < 10; ++i) {
        if (uchar(bytes[i]) & 0x80)
            return 0;
        size = (size << 7) | uchar(bytes[i]);
    }
    const bool footer = uchar(bytes[5]) & 0x10;
    return 10 + size + (footer ? 10 : 0);
}

} // namespace

AudioFormat sniffAudioFormat(const QByteArray& bytes)
{
    if (bytes.size() >= 12 && (startsWith(bytes, 0, "RIFF") || startsWith(bytes, 0, "RF64")) &&
        startsWith(bytes, 8, "WAVE"))
        return AudioFormat::Wav;
    if (startsWith(bytes, 0, "OggS"))
        return AudioFormat::Ogg;
    const qsizetype afterTag = skipId3(bytes);
    if (afterTag > 0 && afterTag >= bytes.size())
        return AudioFormat::Unknown;
    if (startsWith(bytes, afterTag, "fLaC"))
        return AudioFormat::Flac;
    if (isMpegFrameHeader(bytes, afterTag))
        return AudioFormat::Mp3;
    return AudioFormat::Unknown;
}

QString audioFormatExtension(AudioFormat format)
{
    switch (format) {
    case AudioFormat::Wav: return u"wav"_s;
    case AudioFormat::Mp3: return u"mp3"_s;
    case AudioFormat::Flac: return u"flac"_s;
    case AudioFormat::Ogg: return u"ogg"_s;
    case AudioFormat::Unknown: break;
    }
    return {};
}

AudioFormat audioFormatFromName(const QString& nameOrExtension)
{
    QString extension = nameOrExtension.contains(u'.') ? QFileInfo(nameOrExtension).suffix() : nameOrExtension;
    extension = extension.toLower();
    if (extension == "wav"_L1 || extension == "wave"_L1)
        return AudioFormat::Wav;
    if (extension == "mp3"_L1)
        return AudioFormat::Mp3;
    if (extension == "flac"_L1)
        return AudioFormat::Flac;
    if (extension == "ogg"_L1 || extension == "oga"_L1)
        return AudioFormat::Ogg;
    return AudioFormat::Unknown;
}
