#pragma once

#include "engine/dsp/DetMath.h"
#include "engine/dsp/WaveTable.h"

namespace engine {

/// A 4096-point sine table: the oscillator every patch and drum uses. Built with dmath::sinTurns, so it is the same
/// everywhere.
class SineTable
{
public:
    static constexpr int Size = 4096;

    /// sin(2*pi*turns) for any finite `turns`.
    static float at(double turns)
    {
        static const WaveTable<Size> table([](int i) { return dmath::sinTurns(static_cast<double>(i) / Size); });
        return table.at(turns);
    }
};

} // namespace engine
