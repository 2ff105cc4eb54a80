#include "playback/LoopDevice.h"

#include "model/TextUtils.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

/// The longest stream written: readers of WAV sizes as signed 32-bit numbers still read it right.
constexpr qint64 MaxStreamBytes = 0x7FFFFFFF;

constexpr quint16 FormatPcm = 1;
constexpr quint16 FormatFloat = 3;
constexpr quint16 FormatExtensible = 0xFFFE;

quint32 read32(const char* at)
{
    return qFromLittleEndian<quint32>(at);
}

quint16 read16(const char* at)
{
    return qFromLittleEndian<quint16>(at);
}

void append32(QByteArray* bytes, qint64 value)
{
    char le[4];
    qToLittleEndian<quint32>(quint32(value), le);
    bytes->append(le, 4);
}

QString unreadable(const QString& why)
{
    return u"The loop cannot be played: %1. Cut the loop again."_s.arg(why);
}

} // namespace

std::optional<LoopDevice::Wav> LoopDevice::parse(const QByteArray& wav, QString* error)
{
    if (wav.size() < 12 || !wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE") {
        setError(error, unreadable(u"it is not a WAV file"_s));
        return std::nullopt;
    }
    Wav found;
    bool hasFormat = false, hasSamples = false;
    for (qint64 at = 12; at + 8 <= wav.size() && !(hasFormat && hasSamples);) {
        const char* chunk = wav.constData() + at;
        const qint64 declared = read32(chunk + 4);
        const qint64 length = std::min(declared, wav.size() - at - 8); // a stream's file may end short of its claim
        if (std::memcmp(chunk, "fmt ", 4) == 0 && length >= 16) {
            found.format = wav.mid(at + 8, length);
            hasFormat = true;
        } else if (std::memcmp(chunk, "data", 4) == 0) {
            found.samples = wav.mid(at + 8, length);
            hasSamples = true;
        }
        at += 8 + declared + (declared & 1);
    }
    if (!hasFormat || !hasSamples) {
        setError(error, unreadable(hasFormat ? u"its file holds no samples"_s : u"its file has no format"_s));
        return std::nullopt;
    }
    const char* format = found.format.constData();
    const quint16 tag = read16(format);
    found.channels = read16(format + 2);
    found.sampleRate = int(read32(format + 4));
    found.frameBytes = read16(format + 12);
    if (tag != FormatPcm && tag != FormatFloat && tag != FormatExtensible) {
        setError(error, unreadable(u"its samples are compressed (WAV format %1)"_s.arg(tag)));
        return std::nullopt;
    }
    if (found.channels <= 0 || found.sampleRate <= 0 || found.frameBytes <= 0 || found.frames() == 0) {
        setError(error, unreadable(u"its file holds no whole frame of sound"_s));
        return std::nullopt;
    }
    found.samples.truncate(found.frames() * found.frameBytes);
    return found;
}

std::unique_ptr<LoopDevice> LoopDevice::open(const QByteArray& wav, QString* error)
{
    std::optional<Wav> parsed = parse(wav, error);
    if (!parsed)
        return nullptr;
    const qint64 headerBytes = 12 + 8 + parsed->format.size() + (parsed->format.size() & 1) + 8;
    const qint64 laps = (MaxStreamBytes - headerBytes) / parsed->samples.size();
    if (laps < 1) {
        setError(error, unreadable(u"it is longer than a WAV file can be"_s));
        return nullptr;
    }
    std::unique_ptr<LoopDevice> device(new LoopDevice(std::move(*parsed), laps));
    device->QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    return device;
}

LoopDevice::LoopDevice(Wav wav, qint64 laps) : m_wav(std::move(wav)), m_laps(laps)
{
    const qint64 dataBytes = m_laps * m_wav.samples.size();
    const qint64 formatBytes = m_wav.format.size() + (m_wav.format.size() & 1);
    m_header.append("RIFF");
    append32(&m_header, 4 + 8 + formatBytes + 8 + dataBytes);
    m_header.append("WAVEfmt ");
    append32(&m_header, m_wav.format.size());
    m_header.append(m_wav.format);
    if (m_wav.format.size() & 1)
        m_header.append('\0');
    m_header.append("data");
    append32(&m_header, dataBytes);
}

bool LoopDevice::seek(qint64 pos)
{
    if (!QIODevice::seek(pos))
        return false;
    m_at = pos;
    return true;
}

qint64 LoopDevice::readData(char* data, qint64 maxSize)
{
    const qint64 end = std::min(size(), m_at + maxSize);
    qint64 done = 0;
    while (m_at < end) {
        const char* from = nullptr;
        qint64 available = 0;
        if (m_at < m_header.size()) {
            from = m_header.constData() + m_at;
            available = m_header.size() - m_at;
        } else {
            const qint64 inLap = (m_at - m_header.size()) % m_wav.samples.size();
            from = m_wav.samples.constData() + inLap;
            available = m_wav.samples.size() - inLap;
        }
        const qint64 n = std::min(available, end - m_at);
        std::memcpy(data + done, from, size_t(n));
        done += n;
        m_at += n;
    }
    return done;
}

qint64 LoopDevice::writeData(const char*, qint64)
{
    return -1;
}
