#pragma once

#include <QList>

#include <chrono>

/// Spaces the requests made with one API key so that no more than a plan allows start in any window (Segmind's free
/// plan: 5 generation requests a minute). Parallel takes wait their turn here, counting down in the window, instead
/// of spending their attempts on 429 answers.
///
/// A request reserves its slot when it is about to go: reserve() says how long it must wait first, and the slot is
/// then its own, so takes that ask at the same moment get consecutive slots rather than all waiting for the same one.
class RequestPacer final
{
public:
    using Clock = std::chrono::steady_clock;

    /// At most `perWindow` requests start in any `window`; `perWindow` 0 means no limit.
    RequestPacer(int perWindow, std::chrono::milliseconds window);

    /// Reserves the next slot for a request about to be made at `now`; returns how long it must wait (zero when it
    /// may go at once).
    std::chrono::milliseconds reserve(Clock::time_point now = Clock::now());

    int perWindow() const { return m_perWindow; }
    std::chrono::milliseconds window() const { return m_window; }

private:
    int m_perWindow;
    std::chrono::milliseconds m_window;
    QList<Clock::time_point> m_slots; ///< start times of the latest requests, oldest first, at most m_perWindow
};
