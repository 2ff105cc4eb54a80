#include "engine/compose/Score.h"

#include "engine/dsp/DetMath.h"

#include <algorithm>

namespace engine {

Score::Score(const Timeline& timeline, Rng human, double timingLooseness)
    : m_timeline(timeline), m_human(human), m_timingLooseness(timingLooseness)
{
}

void Score::addDrum(Drum drum, int step, double velocity)
{
    double jitter = m_timingLooseness > 0 ? m_human.bipolar() * m_timingLooseness * 0.6 : 0.0;
    // Drummers keep the kick much closer to the grid than the hands.
    if (drum == Drum::Kick)
        jitter *= 0.3;
    int sample = m_timeline.sampleAtStep(step) + static_cast<int>(dmath::roundHalfAway(jitter * SampleRate / 1000.0));
    sample = std::max(sample, 0);
    if (sample >= m_timeline.totalSamples())
        return;
    const double human = 0.92 + 0.1 * m_human.unit();
    m_drumHits.push_back({drum, sample, static_cast<float>(std::clamp(velocity * human, 0.05, 1.0))});
}

void Score::addNote(Part part, int step, int lengthSteps, int midi, double velocity, double extraMs, double legato)
{
    const double jitter = m_human.bipolar() * m_timingLooseness;
    const int start = std::max(0, m_timeline.sampleAtStep(step) +
                                      static_cast<int>(dmath::roundHalfAway((jitter + extraMs) * SampleRate / 1000.0)));
    const int totalSamples = m_timeline.totalSamples();
    if (start >= totalSamples || lengthSteps <= 0)
        return;
    const int end = m_timeline.sampleAtStep(step + lengthSteps);
    int length = static_cast<int>((end - start) * legato);
    length = std::clamp(length, SampleRate / 100, totalSamples - start);
    const double human = 0.94 + 0.08 * m_human.unit();
    m_notes.push_back(
        {part, start, length, std::clamp(midi, 12, 120), static_cast<float>(std::clamp(velocity * human, 0.05, 1.0))});
}

std::vector<NoteEvent> Score::takeNotes()
{
    std::stable_sort(m_notes.begin(), m_notes.end(),
                     [](const NoteEvent& a, const NoteEvent& b) { return a.startSample < b.startSample; });
    return std::move(m_notes);
}

std::vector<DrumHit> Score::takeDrumHits()
{
    std::stable_sort(m_drumHits.begin(), m_drumHits.end(),
                     [](const DrumHit& a, const DrumHit& b) { return a.startSample < b.startSample; });
    return std::move(m_drumHits);
}

} // namespace engine
