#include "net/RequestPacer.h"

#include <algorithm>

RequestPacer::RequestPacer(int perWindow, std::chrono::milliseconds window)
    : m_perWindow(std::max(0, perWindow)), m_window(window)
{
}

std::chrono::milliseconds RequestPacer::reserve(Clock::time_point now)
{
    if (m_perWindow == 0)
        return std::chrono::milliseconds(0);
    // The oldest of the last `perWindow` slots decides: a new one may start a window after it.
    Clock::time_point slot = now;
    if (m_slots.size() >= m_perWindow)
        slot = std::max(now, m_slots.at(m_slots.size() - m_perWindow) + m_window);
    m_slots.append(slot);
    while (m_slots.size() > m_perWindow)
        m_slots.removeFirst();
    return std::chrono::ceil<std::chrono::milliseconds>(slot - now);
}
