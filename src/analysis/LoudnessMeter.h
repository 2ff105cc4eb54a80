#pragma once

#include "analysis/Analyser.h"

#include <cstddef>

namespace analysis {

/// EBU R128 integrated loudness through libebur128 and the BS.1770 true peak through engine::Loudness; loudness with
/// libebur128's default channel map (left, right, centre, LFE unused, surrounds): mono is one channel of weight 1, as
/// ffmpeg's `ebur128` filter measures it, not a dual-mono pair (which would read 3 LU louder).
Loudness meterLoudness(const float* interleaved, std::size_t frames, int channels, int sampleRate);

} // namespace analysis
