#include "engine/SketchEngine.h"

#include "engine/compose/Composer.h"
#include "engine/compose/GenreStyle.h"
#include "engine/compose/Key.h"
#include "engine/compose/PromptReader.h"
#include "engine/dsp/Master.h"
#include "engine/dsp/WavWriter.h"
#include "engine/synth/Mixer.h"

#include <cmath>

namespace engine {

PromptTraits readPrompt(std::string_view utf8Prompt)
{
    return PromptReader(utf8Prompt).traits();
}

double usualBpm(std::string_view genre)
{
    const GenreStyle& style = genreStyle(genre);
    return std::sqrt(style.bpmLow * style.bpmHigh);
}

SketchPlan plan(const SketchParams& params)
{
    return Composer(params).compose();
}

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

std::string keyName(int keyRoot, bool minor)
{
    return Key(keyRoot, minor).name();
}

} // namespace engine
