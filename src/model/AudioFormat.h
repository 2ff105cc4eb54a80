#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

/// The audio containers the app understands, recognised by their bytes.
enum class AudioFormat
{
    Unknown,
    Wav,
    Mp3,
    Flac,
    Ogg
};

/// Recognises a container from its first bytes, never from a file name or Content-Type.
AudioFormat sniffAudioFormat(const QByteArray& bytes);
/// "wav", "mp3", "flac", "ogg"; empty for Unknown.
QString audioFormatExtension(AudioFormat format);
/// Accepts an extension or a path ("take.FLAC", "ogg", ".mp3"); Unknown when not one of ours.
AudioFormat audioFormatFromName(const QString& nameOrExtension);

/// What libsndfile reports after opening the audio.
struct AudioInfo
{
    AudioFormat format = AudioFormat::Unknown;
    int sampleRate = 0;
    int channels = 0;
    qint64 frames = 0;

    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
    bool isValid() const { return format != AudioFormat::Unknown && sampleRate > 0 && channels > 0 && frames > 0; }
};
Q_DECLARE_METATYPE(AudioInfo)
