#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <memory>
#include <optional>

/// A loop's WAV file played round and round, as one WAV stream that never stops at the wrap: a header like the
/// loop's own, then its samples over and over for hours. A player reading it meets no end of stream, no seek and no
/// new source at the wrap, so the last sample leads into the first exactly as any sample leads into the next.
/// Random access: seeking to a place in any lap serves that lap's samples.
class LoopDevice final : public QIODevice
{
    Q_OBJECT

public:
    /// What a PCM WAV file in memory holds: its format chunk as written, and its samples.
    struct Wav
    {
        QByteArray format; ///< the body of the `fmt ` chunk, unchanged
        QByteArray samples;
        int sampleRate = 0;
        int channels = 0;
        int frameBytes = 0;

        qint64 frames() const { return samples.size() / frameBytes; }
        double milliseconds() const { return double(frames()) * 1000.0 / sampleRate; }
    };

    /// Reads the format and the samples of `wav` (RIFF WAVE with `fmt ` and `data` chunks, whatever other chunks it
    /// has). Nothing, with `error` saying what to do, when it is not such a file or holds no whole frame.
    static std::optional<Wav> parse(const QByteArray& wav, QString* error = nullptr);

    /// `wav`'s samples round and round, as many whole laps as a WAV stream holds (hours at any common rate); opened
    /// for reading. Nothing, with `error`, when parse() refuses `wav` or one lap is longer than a WAV stream can be.
    static std::unique_ptr<LoopDevice> open(const QByteArray& wav, QString* error = nullptr);

    bool isSequential() const override { return false; }
    qint64 size() const override { return m_header.size() + m_laps * m_wav.samples.size(); }
    bool seek(qint64 pos) override;

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    LoopDevice(Wav wav, qint64 laps);

    Wav m_wav;
    qint64 m_laps = 0;
    QByteArray m_header;
    qint64 m_at = 0; ///< where the next read starts (opened unbuffered, so always pos())
};
