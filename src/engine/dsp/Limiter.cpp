#include "engine/dsp/Limiter.h"

#include "engine/dsp/DetMath.h"

#include <algorithm>

namespace engine {

Limiter::Limiter(std::vector<float> peaks, int sampleRate, double lookAheadSeconds, double releaseSeconds)
    : m_windowPeak(std::move(peaks)),
      m_window(std::max<std::size_t>(1, static_cast<std::size_t>(lookAheadSeconds * sampleRate))),
      m_release(1.0 - dmath::decayPerSample(releaseSeconds, sampleRate))
{
    const std::size_t count = m_windowPeak.size();
    // Sliding maximum over [n, n + window) of the peaks on either side of each sample (the interval before a sample
    // and the one after it both depend on its value), computed in place: the queue holds copies of the values, and
    // every value is read before its slot is overwritten.
    std::size_t capacity = 1;
    while (capacity < m_window + 1)
        capacity *= 2;
    const std::size_t mask = capacity - 1;
    std::vector<std::size_t> queue(capacity);
    std::vector<float> values(capacity);
    std::size_t head = 0;
    std::size_t size = 0;
    std::size_t next = 0;
    float before = 0.0F;
    for (std::size_t n = 0; n < count; ++n) {
        const std::size_t end = std::min(count, n + m_window);
        for (; next < end; ++next) {
            const float own = m_windowPeak[next];
            const float value = std::max(own, before);
            before = own;
            while (size > 0 && values[(head + size - 1) & mask] <= value)
                --size;
            queue[(head + size) & mask] = next;
            values[(head + size) & mask] = value;
            ++size;
        }
        while (queue[head] < n) {
            head = (head + 1) & mask;
            --size;
        }
        m_windowPeak[n] = values[head];
    }
}

} // namespace engine
