#pragma once

#include "TestAudio.h"
#include "audio/AudioCodec.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>
#include <QTest>

#include <initializer_list>

/// The formats the app writes, for tests that go through each of them.
namespace TestFormats {

/// A format and its file extension, written out here rather than asked of the code under test.
struct Named
{
    const char* extension;
    AudioFormat format;
};

/// Every format the app writes.
inline constexpr Named Every[] = {
    {"wav", AudioFormat::Wav}, {"flac", AudioFormat::Flac}, {"ogg", AudioFormat::Ogg}, {"mp3", AudioFormat::Mp3}};

/// TestAudio::sineWav(seconds) in `format`, encoded by AudioCodec; empty when that fails, saying why in `whyNot`.
inline QByteArray sine(AudioFormat format, double seconds, QString* whyNot = nullptr)
{
    const QByteArray wav = TestAudio::sineWav(seconds);
    return format == AudioFormat::Wav ? wav : AudioCodec::convert(wav, format, whyNot).value_or(QByteArray());
}

/// Makes the running test's data table: columns "name" and "format", and for each of `formats` a row named by its
/// extension, whose file name is `stem` with that extension.
inline void fileNameRows(const QString& stem,
                         std::initializer_list<AudioFormat> formats = {AudioFormat::Wav, AudioFormat::Flac,
                                                                       AudioFormat::Ogg, AudioFormat::Mp3})
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<AudioFormat>("format");
    for (const AudioFormat format : formats) {
        for (const auto& [extension, known] : Every) {
            if (known == format)
                QTest::newRow(extension) << stem + u'.' + QLatin1StringView(extension) << format;
        }
    }
}

} // namespace TestFormats
