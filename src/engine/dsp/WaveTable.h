#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace engine {

/// One cycle of a periodic wave sampled at `Size` points, read with linear interpolation: an oscillator per sample
/// costs a lookup, not a sum of sines. The table holds a guard point past the end (point `Size` is point 0 again),
/// so a read never wraps between its two neighbours.
template <int Size> class WaveTable
{
public:
    /// `point(i)` gives the wave at i / Size of a cycle for i in 0..Size; it gets the index rather than the phase so
    /// each table keeps its own rounding (`h * i / Size` is not `h * (i / Size)`).
    template <class Point> explicit WaveTable(Point point)
    {
        for (int i = 0; i <= Size; ++i)
            m_values[static_cast<std::size_t>(i)] = static_cast<float>(point(i));
    }

    /// The wave at `turns` cycles, for any finite `turns`.
    float at(double turns) const
    {
        const double position = (turns - std::floor(turns)) * Size;
        const int index = static_cast<int>(position);
        const auto fraction = static_cast<float>(position - index);
        const float a = m_values[static_cast<std::size_t>(index)];
        const float b = m_values[static_cast<std::size_t>(index) + 1];
        return a + fraction * (b - a);
    }

private:
    std::array<float, Size + 1> m_values{};
};

} // namespace engine
