#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace engine {

/// 64-bit FNV-1a over raw bytes. Unlike std::hash it is specified, so a prompt maps to the same seed everywhere.
inline std::uint64_t fnv1a64(std::string_view bytes)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        hash ^= static_cast<std::uint8_t>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/// PCG32 (PCG-XSH-RR 64/32, M. O'Neill 2014) plus this project's own mappings to ranges.
///
/// Every random decision the engine makes goes through this class, so the output is specified bit for bit:
/// std::*_distribution, std::hash and rand() are implementation-defined and never decide what is heard.
class Rng
{
public:
    /// `stream` selects one of 2^63 independent sequences, so each part of the composition draws from its own and
    /// changing how many numbers one part takes does not shift the others.
    Rng(std::uint64_t seed, std::uint64_t stream) : m_inc((stream << 1U) | 1U)
    {
        next();
        m_state += seed;
        next();
    }

    std::uint32_t next()
    {
        const std::uint64_t old = m_state;
        m_state = old * 6364136223846793005ULL + m_inc;
        const auto xorShifted = static_cast<std::uint32_t>(((old >> 18U) ^ old) >> 27U);
        const auto rot = static_cast<std::uint32_t>(old >> 59U);
        return (xorShifted >> rot) | (xorShifted << ((32U - rot) & 31U));
    }

    /// Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject); 0 when bound is 0.
    std::uint32_t below(std::uint32_t bound)
    {
        if (bound == 0)
            return 0;
        std::uint64_t product = static_cast<std::uint64_t>(next()) * bound;
        auto low = static_cast<std::uint32_t>(product);
        if (low < bound) {
            const std::uint32_t threshold = (0U - bound) % bound;
            while (low < threshold) {
                product = static_cast<std::uint64_t>(next()) * bound;
                low = static_cast<std::uint32_t>(product);
            }
        }
        return static_cast<std::uint32_t>(product >> 32U);
    }

    /// Uniform integer in [low, high] (inclusive); low when high < low.
    int between(int low, int high)
    {
        if (high <= low)
            return low;
        return low + static_cast<int>(below(static_cast<std::uint32_t>(high - low) + 1U));
    }

    /// Uniform in [0, 1) on a 2^-24 grid: exact in a double, so no rounding decides anything.
    double unit() { return static_cast<double>(next() >> 8U) * (1.0 / 16777216.0); }

    double uniform(double low, double high) { return low + (high - low) * unit(); }

    /// Uniform in [-1, 1).
    double bipolar() { return 2.0 * unit() - 1.0; }

    bool chance(double probability) { return unit() < probability; }

    template <typename T> const T& pick(const std::vector<T>& items)
    {
        return items[below(static_cast<std::uint32_t>(items.size()))];
    }

    /// Index drawn with probability proportional to weights[i]; 0 when all weights are zero.
    std::size_t weighted(const double* weights, std::size_t count)
    {
        double total = 0;
        for (std::size_t i = 0; i < count; ++i)
            total += weights[i];
        double r = unit() * total;
        for (std::size_t i = 0; i < count; ++i) {
            if (r < weights[i])
                return i;
            r -= weights[i];
        }
        // Rounding can leave a sliver past the end; it belongs to the last item that can be drawn at all.
        for (std::size_t i = count; i > 0; --i) {
            if (weights[i - 1] > 0)
                return i - 1;
        }
        return 0;
    }

private:
    std::uint64_t m_state = 0;
    std::uint64_t m_inc;
};

} // namespace engine
