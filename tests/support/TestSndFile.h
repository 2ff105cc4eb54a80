#pragma once

#include "audio/SndFileMemory.h"

#include <QByteArray>
#include <QString>

#include <sndfile.h>

#include <vector>

/// Audio as libsndfile sees it: the proof that other software reads what the app wrote.
namespace TestSndFile {

/// What libsndfile decodes and reads from a file's bytes.
struct Decoded
{
    bool opened = false;
    sf_count_t frames = 0;
    std::vector<float> samples;
    QString title, comment, software;
};

inline Decoded decode(const QByteArray& bytes)
{
    Decoded decoded;
    SndFileMemory file(bytes);
    if (!file.isOpen())
        return decoded;
    decoded.opened = true;
    auto text = [&file](int type) {
        const char* value = sf_get_string(file.get(), type);
        return value ? QString::fromUtf8(value) : QString();
    };
    decoded.title = text(SF_STR_TITLE);
    decoded.comment = text(SF_STR_COMMENT);
    decoded.software = text(SF_STR_SOFTWARE);
    std::vector<float> buffer(size_t(4096) * size_t(file.info().channels));
    for (sf_count_t n; (n = sf_readf_float(file.get(), buffer.data(), 4096)) > 0;) {
        decoded.samples.insert(decoded.samples.end(), buffer.begin(), buffer.begin() + n * file.info().channels);
        decoded.frames += n;
    }
    return decoded;
}

} // namespace TestSndFile
