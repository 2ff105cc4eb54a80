#pragma once

#include <optional>
#include <string>

/// ffmpeg's EBU R128 meter (its `ebur128` filter with peak=true), an implementation independent of libebur128, read
/// on a file. Standard C++, for the analysis tests and bench-analysis.
namespace ffmpeg {

struct Loudness
{
    double integrated = 0; ///< LUFS to three decimals (the filter's metadata; its summary rounds to one)
    double truePeak = 0;   ///< dBFS, as the summary prints it: one decimal
};

/// Runs `ffmpeg -i path -af ebur128=peak=true:metadata=1,...`; nothing, with `why`, when ffmpeg is missing or fails.
std::optional<Loudness> measure(const std::string& path, std::string* why = nullptr);

} // namespace ffmpeg
