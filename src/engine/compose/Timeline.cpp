#include "engine/compose/Timeline.h"

#include "engine/SketchTypes.h"

#include <algorithm>
#include <cmath>

namespace engine {

Timeline::Timeline(int durationSeconds, double bpm, double swing, int swingUnitSteps, bool twoBarIntro)
    : m_bpm(bpm), m_swing(swing), m_swingUnitSteps(swingUnitSteps)
{
    m_totalSamples = durationSeconds * SampleRate;
    m_stepSamples = 60.0 / bpm * SampleRate / 4.0;
    m_totalSteps = static_cast<int>(std::ceil(m_totalSamples / m_stepSamples));

    // The final chord needs room to ring; it lands on a half-bar line so it still falls on a strong beat.
    const double seconds = durationSeconds;
    const double hold = std::min(1.4, 0.35 * seconds);
    const double halfBarSeconds = barSeconds() / 2.0;
    const int halfBars = static_cast<int>(std::floor((seconds - hold) / halfBarSeconds));
    m_endStep = halfBars * 8;
    m_hasEnding = m_endStep >= StepsPerBar;
    if (!m_hasEnding)
        m_endStep = m_totalSteps;
    m_bodyBars = (m_endStep + StepsPerBar - 1) / StepsPerBar;
    if (m_bodyBars >= 6)
        m_introBars = 1;
    if (m_bodyBars >= 12 && twoBarIntro)
        m_introBars = 2;
}

int Timeline::sampleAtStep(int step) const
{
    double position = step * m_stepSamples;
    const int unit = m_swingUnitSteps;
    if (m_swing > 0 && step % unit == 0 && (step / unit) % 2 == 1)
        position += m_swing * unit * m_stepSamples;
    return static_cast<int>(std::floor(position + 0.5));
}

bool Timeline::isFillBar(int bar) const
{
    if (bar < m_introBars)
        return bar == m_introBars - 1;
    if (isLastBodyBar(bar))
        return true;
    return (bar - m_introBars) % 4 == 3;
}

void Timeline::setChords(std::vector<Chord> barChords, Chord tonic)
{
    m_barChords = std::move(barChords);
    m_tonic = std::move(tonic);
}

const Chord& Timeline::chordAtBar(int bar) const
{
    const int clamped = std::clamp(bar, 0, static_cast<int>(m_barChords.size()) - 1);
    return m_barChords[static_cast<std::size_t>(clamped)];
}

const Chord& Timeline::chordAtStep(int step) const
{
    if (m_hasEnding && step >= m_endStep)
        return m_tonic;
    return chordAtBar(step / StepsPerBar);
}

} // namespace engine
