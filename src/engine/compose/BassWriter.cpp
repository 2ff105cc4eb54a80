#include "engine/compose/BassWriter.h"

#include <algorithm>

namespace engine {

namespace {

/// The bass sits under the other parts; the mixer balances the stems by loudness afterwards anyway.
constexpr double Level = 0.8;

/// The lowest note each bass patch plays well: a sub goes deeper than a plucked string, a piano's left hand stays
/// clear of mud.
int lowestNote(Voice voice)
{
    switch (voice) {
    case Voice::SubBass: return 29;
    case Voice::PickBass:
    case Voice::UprightBass: return 31;
    case Voice::Piano:
    case Voice::Strings: return 36;
    default: return 33;
    }
}

} // namespace

BassWriter::BassWriter(const PartContext& context, Rng& rng)
    : m_context(context), m_key(context.key), m_timeline(context.timeline), m_line(context.arrangement.bassLine),
      m_rng(rng)
{
}

void BassWriter::write(const std::vector<std::vector<int>>& kickSteps)
{
    const Voice voice = m_context.arrangement.voices.bass;
    if (m_line == BassLine::None || voice == Voice::None)
        return;
    m_low = lowestNote(voice);
    // One figure for the whole piece (varied a little per bar) is what makes a bass line a riff.
    m_pulseOctaves = m_rng.chance(0.5);
    m_rollingMask.assign(StepsPerBar, true);
    for (int step = 0; step < StepsPerBar; ++step)
        m_rollingMask[static_cast<std::size_t>(step)] = step % 4 != 0 && !m_rng.chance(0.2);
    m_reggaeFigure = static_cast<int>(m_rng.below(2));
    m_funkFigure = static_cast<int>(m_rng.below(2));

    const int firstBar = m_context.arrangement.groove == Groove::None ? 0 : m_timeline.introBars();
    for (int index = firstBar; index < m_timeline.bodyBars(); ++index) {
        Bar bar;
        bar.index = index;
        bar.root = m_key.bassNote(m_timeline.chordAtBar(index), 0, m_low);
        bar.rootMidi = m_key.midiOf(bar.root);
        bar.fifthIndex = bar.root + 4;
        bar.nextRoot = m_key.bassNote(m_timeline.chordAtBar(index + 1), 0, m_low);
        const bool firstOfChord = index % m_context.style.barsPerChord == 0 || index == firstBar;
        if (m_line == BassLine::Sustained || m_line == BassLine::Reese) {
            if (firstOfChord)
                held(bar);
        } else {
            writeBar(bar, kickSteps[static_cast<std::size_t>(index)]);
        }
    }
}

void BassWriter::writeBar(const Bar& bar, const std::vector<int>& kickSteps)
{
    switch (m_line) {
    case BassLine::Roots8: roots8(bar); break;
    case BassLine::OffbeatHouse: offbeatHouse(bar); break;
    case BassLine::Rolling16: rolling16(bar); break;
    case BassLine::BoomBap: withKick(bar, kickSteps); break;
    case BassLine::Walking: walking(bar); break;
    case BassLine::Reggae: reggae(bar); break;
    case BassLine::FunkOctaves: funkOctaves(bar); break;
    case BassLine::RootFifth:
        note(bar, 0, 8, bar.rootMidi, 0.85, 0.95);
        note(bar, 8, 8, m_key.midiOf(bar.fifthIndex - 7 >= bar.root ? bar.fifthIndex - 7 : bar.fifthIndex), 0.75, 0.95);
        break;
    case BassLine::Pulse8: pulse8(bar); break;
    case BassLine::Sustained:
    case BassLine::Reese:
    case BassLine::None: break;
    }
}

void BassWriter::note(const Bar& bar, int step, int length, int midi, double velocity, double legato)
{
    const int base = bar.index * StepsPerBar;
    const int endStep = m_timeline.endStep();
    if (base + step >= endStep)
        return;
    length = std::min(length, endStep - base - step);
    m_context.score.addNote(Part::Bass, base + step, length, midi, velocity * Level, 0, legato);
}

void BassWriter::held(const Bar& bar)
{
    const int barsPerChord = m_context.style.barsPerChord;
    const int span = barsPerChord - (bar.index % barsPerChord);
    if (m_line == BassLine::Reese && m_rng.chance(0.4)) {
        // A drum-and-bass line moves to the fifth partway through, off the beat.
        const int fifth = bar.fifthIndex - 7 < bar.root - 3 ? bar.fifthIndex : bar.fifthIndex - 7;
        note(bar, 0, 8 * span + 6, bar.rootMidi, 0.85, 1.0);
        note(bar, 8 * span + 6, 8 * span - 6, m_key.midiOf(fifth), 0.8, 1.0);
    } else {
        note(bar, 0, StepsPerBar * span, bar.rootMidi, 0.8, 1.0);
    }
}

void BassWriter::roots8(const Bar& bar)
{
    for (int step = 0; step < StepsPerBar; step += 2) {
        int midi = bar.rootMidi;
        if (step == 12 && m_rng.chance(0.3))
            midi = m_key.midiOf(bar.fifthIndex);
        // A passing note a step from the next root leads into the next bar.
        if (step == 14 && m_rng.chance(0.4))
            midi = m_key.midiOf(bar.nextRoot + (bar.nextRoot > bar.root ? -1 : 1));
        note(bar, step, 2, midi, step % 8 == 0 ? 0.95 : 0.75, 0.85);
    }
}

void BassWriter::offbeatHouse(const Bar& bar)
{
    for (int step = 2; step < StepsPerBar; step += 4) {
        const bool octave = step == 14 && m_rng.chance(0.35);
        note(bar, step, 2, bar.rootMidi + (octave ? 12 : 0), 0.9, 0.8);
    }
}

void BassWriter::rolling16(const Bar& bar)
{
    for (int step = 0; step < StepsPerBar; ++step) {
        if (!m_rollingMask[static_cast<std::size_t>(step)])
            continue;
        const bool octave = step % 8 == 7 && bar.index % 2 == 1;
        note(bar, step, 1, bar.rootMidi + (octave ? 12 : 0), step % 4 == 2 ? 0.95 : 0.7, 0.7);
    }
}

void BassWriter::withKick(const Bar& bar, std::vector<int> steps)
{
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
    if (steps.empty() || steps.front() != 0)
        steps.insert(steps.begin(), 0);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const int step = steps[i];
        const int until = i + 1 < steps.size() ? steps[i + 1] : StepsPerBar;
        int midi = bar.rootMidi;
        if (step >= 10 && i + 1 == steps.size() && m_rng.chance(0.4))
            midi = m_key.midiOf(bar.fifthIndex - 7 >= bar.root - 2 ? bar.fifthIndex - 7 : bar.fifthIndex);
        note(bar, step, std::max(2, until - step), midi, step == 0 ? 0.95 : 0.8, 0.9);
    }
}

void BassWriter::walking(const Bar& bar)
{
    const int second = bar.root + (m_rng.chance(0.5) ? 2 : 1);
    const int third = bar.root + (m_rng.chance(0.6) ? 4 : 2);
    const int approach = bar.nextRoot + (m_rng.chance(0.5) ? 1 : -1);
    const int line[4] = {bar.root, second, third, approach};
    for (int beat = 0; beat < 4; ++beat) {
        int index = line[beat];
        while (m_key.midiOf(index) > m_low + 17)
            index -= 7;
        while (m_key.midiOf(index) < m_low)
            index += 7;
        note(bar, beat * 4, 4, m_key.midiOf(index), beat == 0 ? 0.9 : 0.78, 0.9);
    }
}

void BassWriter::reggae(const Bar& bar)
{
    static constexpr FigureNote FigureA[] = {{0, 3, 0}, {4, 2, 0}, {6, 2, 2}, {8, 3, 4}, {12, 2, 0}, {14, 2, 7}};
    static constexpr FigureNote FigureB[] = {{2, 2, 0}, {4, 2, 0}, {8, 3, 4}, {11, 1, 0}, {12, 4, 2}};
    const FigureNote* figure = m_reggaeFigure == 0 ? FigureA : FigureB;
    const int count = m_reggaeFigure == 0 ? 6 : 5;
    for (int i = 0; i < count; ++i)
        note(bar, figure[i].step, figure[i].length, m_key.midiOf(bar.root + figure[i].offset), 0.85, 0.9);
}

void BassWriter::funkOctaves(const Bar& bar)
{
    static constexpr FigureNote FigureA[] = {{0, 2, 0},  {3, 1, 7},  {6, 1, 0}, {7, 1, 0},
                                             {10, 1, 7}, {11, 1, 0}, {14, 1, 4}};
    static constexpr FigureNote FigureB[] = {{0, 3, 0},  {3, 1, 0},  {6, 2, 7}, {8, 1, 0},
                                             {10, 2, 4}, {13, 1, 7}, {14, 2, 0}};
    const FigureNote* figure = m_funkFigure == 0 ? FigureA : FigureB;
    for (int i = 0; i < 7; ++i) {
        const double velocity = figure[i].step == 0 ? 1.0 : 0.8;
        note(bar, figure[i].step, figure[i].length, m_key.midiOf(bar.root + figure[i].offset), velocity, 0.7);
    }
}

void BassWriter::pulse8(const Bar& bar)
{
    for (int step = 0; step < StepsPerBar; step += 2) {
        const bool octave = m_pulseOctaves && step % 4 == 2;
        note(bar, step, 2, bar.rootMidi + (octave ? 12 : 0), step % 4 == 0 ? 0.9 : 0.75, 0.8);
    }
}

void BassWriter::writeEnding()
{
    const Voice voice = m_context.arrangement.voices.bass;
    if (voice == Voice::None)
        return;
    const int low = voice == Voice::Piano || voice == Voice::Strings ? 36 : 31;
    const Chord& tonic = m_timeline.chordAtStep(m_timeline.endStep());
    m_context.score.addNote(Part::Bass, m_timeline.endStep(), m_timeline.endingSteps(),
                            m_key.midiOf(m_key.bassNote(tonic, 0, low)), 0.8, 0, 1.0);
}

} // namespace engine
