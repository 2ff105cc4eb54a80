#include "engine/compose/HarmonyWriter.h"

#include "engine/synth/Voice.h"

#include <algorithm>
#include <cstdlib>

namespace engine {

namespace {

/// Where a patch voices its chords. A count of 0 means three notes, or four when the style uses sevenths.
struct VoicingRange
{
    Voice voice;
    int low;
    int high;
    int count;
};

constexpr VoicingRange Ranges[] = {
    {Voice::Pad, 50, 74, 4},
    {Voice::DarkPad, 43, 67, 0},
    {Voice::Strings, 52, 79, 4},
    {Voice::Choir, 55, 74, 0},
    {Voice::Organ, 55, 74, 0},
    {Voice::CleanGuitar, 57, 76, 3},
    {Voice::AcousticGuitar, 47, 71, 4},
    {Voice::OverdriveGuitar, 40, 64, 0},
    {Voice::SynthPluck, 60, 84, 0},
    {Voice::Bells, 60, 84, 0},
    {Voice::Marimba, 60, 84, 0},
    {Voice::Harp, 60, 84, 0},
    {Voice::Flute, 65, 86, 2},
    {Voice::Brass, 53, 72, 3},
    {Voice::Sax, 53, 72, 3},
};

constexpr int ChopSteps[] = {0, 2, 3, 6, 8, 10, 11, 14};

} // namespace

HarmonyWriter::HarmonyWriter(const PartContext& context, Rng& rng, Part part, Voice voice, Comp comp)
    : m_context(context), m_key(context.key), m_timeline(context.timeline), m_rng(rng), m_part(part), m_voice(voice),
      m_comp(comp)
{
    m_count = context.style.sevenths ? 4 : 3;
    for (const VoicingRange& range : Ranges) {
        if (range.voice == voice) {
            m_low = range.low;
            m_high = range.high;
            m_count = range.count > 0 ? range.count : m_count;
        }
    }
    // A skank is a bright chop high on the neck, whatever plays it.
    if (comp == Comp::Skank) {
        m_low = 60;
        m_high = 79;
        m_count = 3;
    }
    const Groove groove = context.arrangement.groove;
    m_laidBack = groove == Groove::BoomBap || groove == Groove::JazzRide || groove == Groove::None;
}

void HarmonyWriter::write(int fromBar, float level)
{
    m_level = level;
    chooseFigures();
    const int barsPerChord = m_context.style.barsPerChord;
    for (int index = fromBar; index < m_timeline.bodyBars(); ++index) {
        const Chord& chord = m_timeline.chordAtBar(index);
        const bool change =
            index == fromBar || index % barsPerChord == 0 || m_timeline.chordAtBar(index - 1).degree != chord.degree;
        if (change)
            m_chordNotes = voicing(chord, m_low, m_high, m_count, m_voicing);
        playBar({index, &chord, change});
    }
}

void HarmonyWriter::chooseFigures()
{
    // Behind a laid-back groove, chords are held longer and struck a little apart.
    const std::vector<std::vector<Hit>> blockFigures =
        m_laidBack ? std::vector<std::vector<Hit>>{{{0, 16, 0.75}},
                                                   {{0, 10, 0.75}, {10, 6, 0.6}},
                                                   {{0, 8, 0.75}, {8, 6, 0.6}, {14, 2, 0.5}}}
                   : std::vector<std::vector<Hit>>{{{0, 6, 0.8}, {6, 10, 0.65}},
                                                   {{0, 4, 0.8}, {4, 4, 0.6}, {8, 4, 0.7}, {12, 4, 0.6}},
                                                   {{0, 3, 0.8}, {3, 3, 0.6}, {6, 4, 0.65}, {10, 6, 0.65}}};
    m_block = m_rng.pick(blockFigures);
    const std::vector<std::vector<Hit>> stabFigures = {
        {{2, 1, 0.8}, {6, 1, 0.7}, {10, 1, 0.8}, {14, 1, 0.7}},
        {{0, 2, 0.8}, {3, 2, 0.7}, {6, 2, 0.75}, {10, 2, 0.7}, {13, 2, 0.7}},
        {{3, 2, 0.8}, {6, 2, 0.7}, {10, 3, 0.8}},
    };
    m_stabs = m_rng.pick(stabFigures);
}

std::vector<int> HarmonyWriter::voicing(const Chord& chord, int low, int high, int count,
                                        std::vector<int>& previous) const
{
    std::vector<int> tones = chord.tones;
    while (static_cast<int>(tones.size()) < count)
        tones.push_back(tones[tones.size() % chord.tones.size()] + 7);
    tones.resize(static_cast<std::size_t>(count));

    std::vector<int> best;
    double bestCost = 1e18;
    const double centre = (low + high) / 2.0;
    for (std::size_t inversion = 0; inversion < tones.size(); ++inversion) {
        // Stack the chord tones upwards from the inversion's bass note.
        std::vector<int> indices;
        int previousIndex = -1000;
        for (std::size_t k = 0; k < tones.size(); ++k) {
            int index = tones[(inversion + k) % tones.size()];
            while (index <= previousIndex)
                index += 7;
            indices.push_back(index);
            previousIndex = index;
        }
        for (int shift = -35; shift <= 21; shift += 7) {
            std::vector<int> midis;
            for (const int index : indices)
                midis.push_back(m_key.midiOf(index + shift + 35));
            if (midis.front() < low || midis.back() > high)
                continue;
            double mean = 0;
            for (const int midi : midis)
                mean += midi;
            // Smooth voice leading first, but do not let the chords drift out of the instrument's sweet spot.
            double cost = 0.3 * std::abs(mean / static_cast<double>(midis.size()) - centre);
            if (previous.size() == midis.size()) {
                for (std::size_t k = 0; k < midis.size(); ++k)
                    cost += std::abs(midis[k] - previous[k]);
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = midis;
            }
        }
    }
    if (best.empty()) {
        const int index = m_key.nearestChordTone(m_key.scaleIndexBelow(low + 2), chord);
        for (int k = 0; k < count; ++k)
            best.push_back(m_key.midiOf(index + 2 * k));
    }
    previous = best;
    return best;
}

void HarmonyWriter::playBar(const Bar& bar)
{
    switch (m_comp) {
    case Comp::Pad: held(bar); break;
    case Comp::Block:
        for (const Hit& hit : m_block)
            play(bar, hit.step, hit.length, m_chordNotes, hit.velocity, m_laidBack ? 6 : 0, 0.92);
        break;
    case Comp::Stabs:
        for (const Hit& hit : m_stabs)
            play(bar, hit.step, hit.length, m_chordNotes, hit.velocity, 0, 0.7);
        break;
    case Comp::Skank:
        play(bar, 4, 1, m_chordNotes, 0.8, 0, 0.6);
        play(bar, 12, 1, m_chordNotes, 0.8, 0, 0.6);
        break;
    case Comp::Bubble:
        for (int step = 0; step < StepsPerBar; step += 2)
            play(bar, step, 1, m_chordNotes, step % 4 == 2 ? 0.6 : 0.35, 0, 0.7);
        break;
    case Comp::Strum: strum(bar); break;
    case Comp::Arpeggio:
    case Comp::Arpeggio16:
    case Comp::Broken: arpeggio(bar); break;
    case Comp::Charleston: {
        static const std::vector<std::vector<Hit>> Figures = {
            {{0, 3, 0.7}, {6, 2, 0.6}},
            {{4, 2, 0.6}, {10, 2, 0.65}},
            {{0, 2, 0.65}, {7, 3, 0.6}, {14, 2, 0.55}},
            {{2, 2, 0.6}, {8, 4, 0.65}},
        };
        for (const Hit& hit : m_rng.pick(Figures))
            play(bar, hit.step, hit.length, m_chordNotes, hit.velocity, 4, 0.9);
        break;
    }
    case Comp::Chops:
        for (const int step : ChopSteps)
            play(bar, step, 1, m_chordNotes, step % 4 == 0 ? 0.75 : 0.55, 0, 0.45);
        break;
    case Comp::Power8: power8(bar); break;
    }
}

void HarmonyWriter::play(const Bar& bar, int step, int length, const std::vector<int>& notes, double velocity,
                         double spreadMs, double legato)
{
    const int base = bar.index * StepsPerBar;
    const int endStep = m_timeline.endStep();
    if (base + step >= endStep)
        return;
    length = std::min(length, endStep - base - step);
    for (std::size_t k = 0; k < notes.size(); ++k)
        m_context.score.addNote(m_part, base + step, length, notes[k], velocity * m_level,
                                spreadMs * static_cast<double>(k), legato);
}

void HarmonyWriter::held(const Bar& bar)
{
    if (!bar.change)
        return;
    // Hold through the following bars of the same chord.
    int span = 1;
    while (bar.index + span < m_timeline.bodyBars() &&
           m_timeline.chordAtBar(bar.index + span).degree == bar.chord->degree &&
           (bar.index + span) % m_context.style.barsPerChord != 0)
        ++span;
    play(bar, 0, span * StepsPerBar, m_chordNotes, 0.62, 0, 1.0);
}

void HarmonyWriter::strum(const Bar& bar)
{
    // Down-strums sweep low to high, up-strums high to low on the top strings only.
    static constexpr int Steps[] = {0, 4, 6, 10, 12, 14};
    static constexpr bool Down[] = {true, true, false, false, true, false};
    std::vector<int> guitar = m_chordNotes;
    guitar.insert(guitar.begin(), m_key.midiOf(m_key.bassNote(*bar.chord, 0, 40)));
    for (int i = 0; i < 6; ++i) {
        const int next = i + 1 < 6 ? Steps[i + 1] : StepsPerBar;
        std::vector<int> strings = guitar;
        if (!Down[i]) {
            strings.erase(strings.begin());
            std::reverse(strings.begin(), strings.end());
        }
        play(bar, Steps[i], next - Steps[i] + 1, strings, Down[i] ? 0.78 : 0.5, 9, 1.0);
    }
}

void HarmonyWriter::arpeggio(const Bar& bar)
{
    std::vector<int> notes = m_chordNotes;
    if (m_comp == Comp::Broken && notes.size() >= 3) {
        // An Alberti bass: low, high, middle, high.
        notes = {notes[0], notes[2], notes[1], notes[2]};
    } else {
        // Up to the octave and back down.
        notes.push_back(notes.front() + 12);
        const std::size_t up = notes.size();
        for (std::size_t k = up - 2; k >= 1; --k)
            notes.push_back(notes[k]);
    }
    const bool sixteenths = m_comp == Comp::Arpeggio16 || (m_comp == Comp::Broken && m_timeline.bpm() < 90);
    const int stride = sixteenths ? 1 : 2;
    // Arpeggios on a piano or harp ring on as if the sustain pedal were down.
    const bool pedal = m_comp == Comp::Arpeggio && !voiceSustains(m_voice) && m_voice != Voice::SynthPluck;
    for (int step = 0, k = 0; step < StepsPerBar; step += stride, ++k) {
        const int note = notes[static_cast<std::size_t>(k) % notes.size()];
        const int length = pedal ? StepsPerBar - step : stride;
        play(bar, step, length, {note}, (step % 4 == 0 ? 0.7 : 0.55), 0, pedal ? 1.0 : 0.85);
    }
}

void HarmonyWriter::power8(const Bar& bar)
{
    const int root = m_key.midiOf(m_key.bassNote(*bar.chord, 0, 40));
    const std::vector<int> power = {root, root + 7, root + 12};
    for (int step = 0; step < StepsPerBar; step += 2)
        play(bar, step, 2, power, step % 8 == 0 ? 0.9 : 0.7, 2, step % 8 == 0 ? 0.95 : 0.6);
}

void HarmonyWriter::writeEnding()
{
    const bool sustains = voiceSustains(m_voice);
    if (m_voice == Voice::None || (m_part == Part::Texture && !sustains))
        return;
    const Chord& tonic = m_timeline.chordAtStep(m_timeline.endStep());
    // The harmony leads into the final chord; a texture just holds it, higher and softer.
    std::vector<int> previous = m_part == Part::Harmony ? m_voicing : std::vector<int>{};
    const int low = m_part == Part::Texture ? 55 : sustains ? 50 : 48;
    const int high = m_part == Part::Texture ? 79 : low + 24;
    const int count = m_part == Part::Texture ? 3 : 4;
    const double velocity = m_part == Part::Texture ? 0.45 : 0.62;
    for (const int midi : voicing(tonic, low, high, count, previous))
        m_context.score.addNote(m_part, m_timeline.endStep(), m_timeline.endingSteps(), midi, velocity, 0, 1.0);
}

} // namespace engine
