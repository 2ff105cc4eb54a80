#pragma once

#include "engine/dsp/Biquad.h"

#include <cstddef>
#include <vector>

namespace engine {

/// Integrated loudness after ITU-R BS.1770-4 / EBU R 128 for a mono signal, measured as samples stream in: K-weighting
/// (the high-shelf "pre-filter" and the RLB high-pass, with coefficients derived for any sample rate as libebur128
/// does), mean square over 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a relative gate 10 LU below.
class LoudnessMeter
{
public:
    explicit LoudnessMeter(int sampleRate);

    void add(float sample)
    {
        const double y = m_highPass.process(m_shelf.process(sample));
        m_segment += y * y;
        if (++m_inSegment == m_segmentLength) {
            m_segments.push_back(m_segment);
            m_segment = 0;
            m_inSegment = 0;
        }
    }

    /// LUFS so far; -200 for silence or less than one 400 ms block.
    double integratedLufs() const;

private:
    Biquad m_shelf;
    Biquad m_highPass;
    std::size_t m_segmentLength; ///< 100 ms
    std::size_t m_inSegment = 0;
    double m_segment = 0;
    std::vector<double> m_segments;
};

} // namespace engine
