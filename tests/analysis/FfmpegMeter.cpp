#include "FfmpegMeter.h"

#include <cstdio>
#include <cstdlib>

namespace ffmpeg {

std::optional<Loudness> measure(const std::string& path, std::string* why)
{
    const auto fail = [&](const std::string& reason) -> std::optional<Loudness> {
        if (why != nullptr)
            *why = reason;
        return std::nullopt;
    };
    if (path.find('\'') != std::string::npos)
        return fail("the path has a quote in it: " + path);
    // The metadata goes to standard output, the summary to the log; both are read from the one pipe.
    const std::string command = "ffmpeg -nostats -hide_banner -nostdin -i '" + path +
                                "' -af ebur128=peak=true:metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=- "
                                "-f null - 2>&1";
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        return fail("ffmpeg could not be started");
    std::string output;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        output.append(buffer, n);
    if (pclose(pipe) != 0)
        return fail("ffmpeg failed (is it installed?): " +
                    output.substr(output.size() > 500 ? output.size() - 500 : 0));

    const std::string key = "lavfi.r128.I=";
    const std::size_t integrated = output.rfind(key);
    const std::size_t summary = output.rfind("Summary:");
    const std::size_t peak = summary == std::string::npos ? summary : output.find("Peak:", summary);
    if (integrated == std::string::npos || peak == std::string::npos)
        return fail("no loudness in ffmpeg's output: " + output.substr(output.size() > 500 ? output.size() - 500 : 0));
    Loudness measured;
    measured.integrated = std::strtod(output.c_str() + integrated + key.size(), nullptr);
    measured.truePeak = std::strtod(output.c_str() + peak + 5, nullptr);
    return measured;
}

} // namespace ffmpeg
