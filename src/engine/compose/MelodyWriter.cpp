#include "engine/compose/MelodyWriter.h"

#include "engine/synth/Voice.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace engine {

namespace {

constexpr int NoAnchor = std::numeric_limits<int>::min();

} // namespace

MelodyWriter::MelodyWriter(const PartContext& context, Rng& rng)
    : m_context(context), m_key(context.key), m_timeline(context.timeline), m_rng(rng),
      m_lead(context.arrangement.voices.lead), m_centre(m_key.scaleIndexBelow(voiceMelodyCentre(m_lead)))
{
}

void MelodyWriter::write()
{
    if (m_lead == Voice::None)
        return;
    const Material material = makeMaterial();
    Anchors anchors{NoAnchor, NoAnchor};
    const int phrases = (m_timeline.bodyBars() - m_timeline.introBars() + 3) / 4;
    for (int phrase = 0; phrase < phrases; ++phrase)
        writePhrase(material, phrase, phrases, anchors);
}

MelodyWriter::Material MelodyWriter::makeMaterial()
{
    Material m;
    // A motif of about two seconds: two bars at fast tempos, one at slow ones.
    m.motifBars = m_timeline.barSeconds() < 1.5 ? 2 : 1;
    const int steps = m.motifBars * StepsPerBar;
    m.a = makeMotif(steps);
    m.b = makeMotif(steps);
    m.aVaried = varyMotif(m.a, steps);
    m.bVaried = varyMotif(m.b, steps);
    m.cadence = cadenceMotif(m.aVaried, steps);
    m.contrastCadence = cadenceMotif(m.b, steps);
    m.finalCadence = cadenceMotif(varyMotif(m.a, steps), steps);
    static const std::vector<std::vector<Slot>> FourSlotForms = {
        {A, AVaried, A, Cadence}, {A, B, A, Cadence}, {A, AVaried, B, Cadence}, {A, A, B, Cadence}};
    static const std::vector<std::vector<Slot>> TwoSlotForms = {{A, Cadence}, {A, AVaried}};
    m.form = m_rng.pick(m.motifBars == 1 ? FourSlotForms : TwoSlotForms);
    return m;
}

MelodyWriter::Motif MelodyWriter::makeMotif(int lengthSteps)
{
    const GenreStyle& style = m_context.style;
    const int grid = style.melodyGridSteps;
    const std::vector<int> starts = onsets(lengthSteps, grid);
    Motif motif;
    int offset = 0;
    int lastInterval = 0;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const int step = starts[i];
        const int next = i + 1 < starts.size() ? starts[i + 1] : lengthSteps;
        int length = next - step;
        if (i + 1 == starts.size())
            length = std::min(length, 4 + grid);
        if (style.staccato)
            length = std::min(length, grid == 1 ? 1 : 2);
        else if (length >= 4 && m_rng.chance(0.25))
            length /= 2;
        if (i > 0) {
            const int interval = nextInterval(offset, lastInterval);
            offset += interval;
            lastInterval = interval;
        }
        motif.push_back({step, std::max(1, length), offset});
    }
    return motif;
}

std::vector<int> MelodyWriter::onsets(int lengthSteps, int grid)
{
    // Strong beats start notes more often than weak ones, and the motif leaves a breath at its end.
    const double density = std::clamp(m_context.style.melodyDensity * m_context.energy, 0.1, 0.95);
    std::vector<int> starts;
    for (int step = 0; step < lengthSteps; step += grid) {
        const int inBar = step % StepsPerBar;
        double weight = inBar == 0 ? 1.0 : inBar % 8 == 0 ? 0.8 : inBar % 4 == 0 ? 0.55 : inBar % 2 == 0 ? 0.35 : 0.2;
        if (step >= lengthSteps - 2)
            weight *= 0.3;
        if (m_rng.chance(std::clamp(weight * density * 1.5, 0.05, 0.95)))
            starts.push_back(step);
    }
    if (starts.size() < 2)
        starts = {0, std::max(grid, (lengthSteps / 2 / grid) * grid)};
    return starts;
}

int MelodyWriter::nextInterval(int offset, int lastInterval)
{
    static constexpr int Intervals[] = {-4, -3, -2, -1, 0, 1, 2, 3, 4};
    // Mostly steps; leaps are rarer, and rarer still further away from the anchor.
    double weights[] = {0.03, 0.06, 0.16, 0.22, 0.08, 0.22, 0.14, 0.06, 0.03};
    if (offset > 4)
        for (int k = 5; k < 9; ++k)
            weights[k] *= 0.2;
    if (offset < -3)
        for (int k = 0; k < 4; ++k)
            weights[k] *= 0.2;
    const int interval = Intervals[m_rng.weighted(weights, 9)];
    // After a leap, step back the other way: what singers do and listeners expect.
    if (std::abs(lastInterval) >= 3)
        return lastInterval > 0 ? -1 : 1;
    return interval;
}

MelodyWriter::Motif MelodyWriter::varyMotif(const Motif& motif, int lengthSteps)
{
    Motif varied = motif;
    if (varied.empty())
        return varied;
    switch (m_rng.below(3)) {
    case 0: {
        // A new ending: the last two notes a step up or down.
        const std::size_t from = varied.size() > 2 ? varied.size() - 2 : 0;
        for (std::size_t i = from; i < varied.size(); ++i)
            varied[i].offset += m_rng.chance(0.5) ? 1 : -1;
        break;
    }
    case 1: {
        // The first long note split in two.
        for (std::size_t i = 0; i < varied.size(); ++i) {
            if (varied[i].length >= 4) {
                const int half = varied[i].length / 2;
                MotifNote extra{varied[i].step + half, varied[i].length - half,
                                varied[i].offset + (m_rng.chance(0.5) ? 1 : -1)};
                varied[i].length = half;
                varied.insert(varied.begin() + static_cast<std::ptrdiff_t>(i) + 1, extra);
                break;
            }
        }
        break;
    }
    default: {
        // The second half mirrored around its first note.
        const std::size_t middle = varied.size() / 2;
        const int pivot = varied[middle].offset;
        for (std::size_t i = middle + 1; i < varied.size(); ++i)
            varied[i].offset = 2 * pivot - varied[i].offset;
        break;
    }
    }
    for (MotifNote& note : varied)
        note.length = std::min(note.length, lengthSteps - note.step);
    return varied;
}

MelodyWriter::Motif MelodyWriter::cadenceMotif(const Motif& motif, int lengthSteps)
{
    // The first half of the motif, then one long note a step from where it got to.
    const int half = lengthSteps / 2;
    Motif cadence;
    for (const MotifNote& note : motif) {
        if (note.step < half)
            cadence.push_back({note.step, std::min(note.length, half - note.step), note.offset});
    }
    const int lastOffset = cadence.empty() ? 0 : cadence.back().offset;
    cadence.push_back({half, lengthSteps - half, lastOffset + (lastOffset > 0 ? -1 : 1)});
    return cadence;
}

void MelodyWriter::writePhrase(const Material& material, int phrase, int phrases, Anchors& anchors)
{
    const int slots = 4 / material.motifBars;
    const bool contrast = phrases >= 3 && phrase == 2;
    const bool last = phrase == phrases - 1;
    // A lead that also plays the chords must stand out from them.
    const bool doubled = m_lead == m_context.arrangement.voices.harmony;
    const double velocity = (doubled ? 0.85 : 0.78) * (last && phrases > 1 ? 1.05 : 1.0);
    // Techno repeats one riff and only turns it around at the end of the phrase.
    const bool riff = m_context.style.staccato && m_context.arrangement.groove == Groove::Techno;
    for (int slot = 0; slot < slots; ++slot) {
        const int bar = m_timeline.introBars() + phrase * 4 + slot * material.motifBars;
        if (bar * StepsPerBar >= m_timeline.endStep())
            break;
        Slot kind = material.form[static_cast<std::size_t>(slot)];
        if (riff)
            kind = slot == slots - 1 ? AVaried : A;
        if (contrast)
            kind = kind == A ? B : kind == AVaried ? BVaried : kind;
        // B starts a third above A, so the answer sounds like one.
        if (anchors.b == NoAnchor && anchors.a != NoAnchor)
            anchors.b = anchors.a + 2;
        int& anchorB = anchors.b == NoAnchor ? anchors.a : anchors.b;
        switch (kind) {
        case A: placeMotif(material.a, bar, anchors.a, velocity); break;
        case AVaried: placeMotif(material.aVaried, bar, anchors.a, velocity); break;
        case B: placeMotif(material.b, bar, anchorB, velocity); break;
        case BVaried: placeMotif(material.bVaried, bar, anchorB, velocity); break;
        case Cadence:
            placeMotif(contrast ? material.contrastCadence : (last ? material.finalCadence : material.cadence), bar,
                       anchors.a, velocity);
            break;
        }
    }
}

void MelodyWriter::placeMotif(const Motif& motif, int bar, int& anchor, double velocity)
{
    const int lowest = m_centre - 5;
    const int highest = m_centre + 8;
    const Chord& first = m_timeline.chordAtBar(bar);
    if (anchor == NoAnchor)
        anchor = m_key.nearestChordTone(m_centre, first);
    // A motif keeps its shape but moves to the nearest chord tone of the bar it lands on: heard as the same idea
    // following the harmony.
    const int slotAnchor = m_key.nearestChordTone(anchor, first);
    const int endStep = m_timeline.endStep();
    for (const MotifNote& note : motif) {
        const int step = bar * StepsPerBar + note.step;
        if (step >= endStep)
            break;
        int index = slotAnchor + note.offset;
        if (note.step % 8 == 0 || note.length >= 6)
            index = m_key.nearestChordTone(index, m_timeline.chordAtStep(step));
        while (index > highest)
            index -= 7;
        while (index < lowest)
            index += 7;
        const int length = std::min(note.length, endStep - step);
        const double accent = note.step % StepsPerBar == 0 ? 1.08 : note.step % 4 == 0 ? 1.0 : 0.9;
        m_context.score.addNote(Part::Melody, step, length, m_key.midiOf(index), velocity * accent, 0,
                                m_context.style.staccato ? 0.6 : 0.95);
        m_lastIndex = index;
    }
}

void MelodyWriter::writeEnding()
{
    if (m_lead == Voice::None)
        return;
    int tonic = m_key.nearestTonic(m_lastIndex >= 0 ? m_lastIndex : m_centre);
    if (tonic > m_centre + 8)
        tonic -= 7;
    if (tonic < m_centre - 5)
        tonic += 7;
    m_context.score.addNote(Part::Melody, m_timeline.endStep(), m_timeline.endingSteps(), m_key.midiOf(tonic), 0.75, 0,
                            1.0);
}

} // namespace engine
