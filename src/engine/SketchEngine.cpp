#include "SketchEngine.h"

#include "Master.h"
#include "Mixer.h"
#include "WavWriter.h"

namespace engine {

std::vector<std::int16_t> renderPcm(const SketchPlan& sketch)
{
    if (sketch.durationSamples <= 0)
        return {};
    return Master::finish(Mixer(sketch).mix(), SampleRate);
}

std::vector<std::int16_t> renderPcm(const SketchParams& params)
{
    return renderPcm(plan(params));
}

std::vector<std::uint8_t> renderWav(const SketchParams& params)
{
    return encodeWav(renderPcm(params));
}

std::vector<std::uint8_t> encodeWav(const std::vector<std::int16_t>& pcm)
{
    return WavWriter::encode(pcm, SampleRate, 1);
}

} // namespace engine
