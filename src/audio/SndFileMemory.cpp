#include "audio/SndFileMemory.h"

#include <algorithm>
#include <cstring>

SndFileMemory::SndFileMemory(const QByteArray& bytes) : m_data(bytes)
{
    open(SFM_READ);
}

SndFileMemory::SndFileMemory(const SF_INFO& info) : m_info(info)
{
    open(SFM_WRITE);
}

SndFileMemory::~SndFileMemory()
{
    close();
}

void SndFileMemory::open(int mode)
{
    SF_VIRTUAL_IO io{&SndFileMemory::length, &SndFileMemory::seek, &SndFileMemory::read, &SndFileMemory::write,
                     &SndFileMemory::tell};
    m_file = sf_open_virtual(&io, mode, &m_info, this);
}

QString SndFileMemory::errorString() const
{
    return QString::fromUtf8(sf_strerror(m_file));
}

QByteArray SndFileMemory::close()
{
    if (m_file) {
        sf_close(m_file);
        m_file = nullptr;
    }
    return m_data;
}

sf_count_t SndFileMemory::length(void* self)
{
    return static_cast<SndFileMemory*>(self)->m_data.size();
}

sf_count_t SndFileMemory::seek(sf_count_t offset, int whence, void* self)
{
    auto* file = static_cast<SndFileMemory*>(self);
    const sf_count_t base = whence == SEEK_CUR ? file->m_position : whence == SEEK_END ? file->m_data.size() : 0;
    if (base + offset < 0)
        return -1;
    file->m_position = base + offset;
    return file->m_position;
}

sf_count_t SndFileMemory::read(void* destination, sf_count_t count, void* self)
{
    auto* file = static_cast<SndFileMemory*>(self);
    const sf_count_t n = std::clamp<sf_count_t>(file->m_data.size() - file->m_position, 0, count);
    if (n > 0)
        std::memcpy(destination, file->m_data.constData() + file->m_position, size_t(n));
    file->m_position += n;
    return n;
}

sf_count_t SndFileMemory::write(const void* source, sf_count_t count, void* self)
{
    auto* file = static_cast<SndFileMemory*>(self);
    const sf_count_t end = file->m_position + count;
    if (end > file->m_data.size())
        file->m_data.resize(qsizetype(end), '\0');
    std::memcpy(file->m_data.data() + file->m_position, source, size_t(count));
    file->m_position = end;
    return count;
}

sf_count_t SndFileMemory::tell(void* self)
{
    return static_cast<SndFileMemory*>(self)->m_position;
}
