#pragma once

#include "DetMath.h"

#include <array>
#include <cmath>

namespace engine {

/// A 4096-point sine table with linear interpolation: an oscillator per sample costs a lookup, not a polynomial.
/// Built with dmath::sinTurns, so it is the same everywhere.
class SineTable
{
public:
    static constexpr int Size = 4096;

    /// sin(2*pi*turns) for any finite `turns`.
    static float at(double turns)
    {
        static const SineTable table;
        const double wrapped = turns - std::floor(turns);
        const double position = wrapped * Size;
        const int index = static_cast<int>(position);
        const auto fraction = static_cast<float>(position - index);
        const float a = table.m_values[static_cast<std::size_t>(index)];
        const float b = table.m_values[static_cast<std::size_t>(index) + 1];
        return a + fraction * (b - a);
    }

private:
    SineTable()
    {
        for (int i = 0; i <= Size; ++i)
            m_values[static_cast<std::size_t>(i)] = static_cast<float>(dmath::sinTurns(static_cast<double>(i) / Size));
    }

    std::array<float, Size + 1> m_values{};
};

} // namespace engine
