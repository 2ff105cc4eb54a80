#pragma once

#include <QByteArray>
#include <QString>

#include <sndfile.h>

/// One libsndfile handle over bytes in memory (libsndfile's virtual I/O), so audio is read and written without a
/// temporary file. It closes itself; neither copied nor moved, as libsndfile keeps its address.
class SndFileMemory final
{
public:
    /// Opens `bytes` for reading; see isOpen() and errorString().
    explicit SndFileMemory(const QByteArray& bytes);
    /// Opens an empty buffer for writing audio with `info`'s sample rate, channels and format.
    explicit SndFileMemory(const SF_INFO& info);
    ~SndFileMemory();
    SndFileMemory(const SndFileMemory&) = delete;
    SndFileMemory& operator=(const SndFileMemory&) = delete;

    bool isOpen() const { return m_file != nullptr; }
    /// The handle for sf_* calls; null when opening failed.
    SNDFILE* get() const { return m_file; }
    /// What libsndfile reported on opening (frames, rate, channels, format).
    const SF_INFO& info() const { return m_info; }
    /// libsndfile's reason for the last failure: opening, or a call on get() since.
    QString errorString() const;
    /// Closes the handle, which finishes a written file's headers, and returns the bytes.
    QByteArray close();

private:
    static sf_count_t length(void* self);
    static sf_count_t seek(sf_count_t offset, int whence, void* self);
    static sf_count_t read(void* destination, sf_count_t count, void* self);
    static sf_count_t write(const void* source, sf_count_t count, void* self);
    static sf_count_t tell(void* self);
    void open(int mode);

    QByteArray m_data;
    sf_count_t m_position = 0;
    SF_INFO m_info{};
    SNDFILE* m_file = nullptr;
};
