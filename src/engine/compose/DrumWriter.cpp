#include "engine/compose/DrumWriter.h"

#include <algorithm>

namespace engine {

namespace {

/// One bar of a groove: one string per drum, 16 steps, 'X' accent, 'x' normal, 'o' ghost, '.' rest.
struct DrumPattern
{
    const char* kick = "";
    const char* snare = "";
    const char* clap = "";
    const char* rim = "";
    const char* hat = "";
    const char* openHat = "";
    const char* ride = "";
    const char* shaker = "";
    const char* lowTom = "";
    const char* midTom = "";
};

/// The drum of each lane, in DrumPattern's order.
constexpr Drum LaneDrums[] = {Drum::Kick,    Drum::Snare, Drum::Clap,   Drum::Rim,    Drum::ClosedHat,
                              Drum::OpenHat, Drum::Ride,  Drum::Shaker, Drum::LowTom, Drum::MidTom};
constexpr std::size_t OpenHatLane = 5;

const std::vector<DrumPattern> FourOnFloorBars = {
    {.kick = "X...X...X...X...", .clap = "....X.......X...", .hat = "xo.oxo.oxo.oxo.o", .openHat = "..x...x...x...x."},
    {.kick = "X...X...X...X...",
     .clap = "....X.......X...",
     .hat = "x.x.x.x.x.x.x.x.",
     .openHat = "..X...X...X...X.",
     .shaker = "oxoooxoooxoooxoo"},
    {.kick = "X...X...X...X..o",
     .snare = "....o.......o...",
     .clap = "....X.......X...",
     .hat = "xoxoxoxoxoxoxoxo",
     .openHat = "..x...x...x...x."},
};
const std::vector<DrumPattern> TechnoBars = {
    {.kick = "X...X...X...X...",
     .clap = "....x.......x...",
     .rim = "...x..x....x..x.",
     .hat = "xoxoxoxoxoxoxoxo",
     .openHat = "..X...X...X...X."},
    {.kick = "X...X...X...X...", .rim = "......x...x..x..", .hat = "oxoooxoooxoooxoo", .ride = "..o...o...o...o."},
    {.kick = "X...X...X...X...", .clap = "....x.......x...", .hat = "oxoooxoooxoooxoo", .openHat = "..x...x...x...x."},
};
const std::vector<DrumPattern> BoomBapBars = {
    {.kick = "X.........X.....", .snare = "....X.......X...", .hat = "X.o.x.o.X.o.x.o."},
    {.kick = "X......xX.x.....", .snare = "....X.......X...", .hat = "x.xox.x.x.xox.x."},
    {.kick = "X.x.......X..x..", .snare = "....X.......X..o", .hat = "x.x.x.x.x.x.x.xx"},
    {.kick = "X..x......X.....", .snare = "....X...o...X...", .hat = "x.x.x.x.x.x.x.x.", .openHat = "..............x."},
};
const std::vector<DrumPattern> BreakbeatBars = {
    {.kick = "X.........X.....", .snare = "....X..o.o..X..o", .hat = "x.x.x.x.x.x.x.x."},
    {.kick = "X.X.......X.....", .snare = "....X..o.o..X...", .hat = "x.xxx.x.x.xxx.x."},
    {.kick = "X.........X..x..", .snare = "....X.o.....X.o.", .ride = "o.o.o.o.o.o.o.o."},
};
const std::vector<DrumPattern> BackbeatBars = {
    {.kick = "X.......X.X.....", .snare = "....X.......X...", .hat = "x.x.x.x.x.x.x.x."},
    {.kick = "X.x.....X.......", .snare = "....X.......X...", .hat = "X.x.X.x.X.x.X.x."},
    {.kick = "X.......X..x.x..", .snare = "....X.......X...", .hat = "xoxoxoxoxoxoxoxo"},
};
const std::vector<DrumPattern> FunkBars = {
    {.kick = "X.x....xX.x.....", .snare = "....X..o.o..X..o", .hat = "xoxoxoxoxoxoxo.o", .openHat = "..............x."},
    {.kick = "X..x..x...x.....", .snare = "....X.o..o..X.o.", .hat = "xoxoxoxoxoxoxo..", .openHat = "..............X."},
};
const std::vector<DrumPattern> OneDropBars = {
    {.kick = "........X.......", .rim = "........X.......", .hat = "x.x.x.x.x.x.x.x."},
    {.kick = "........X.......", .snare = "........X.......", .rim = "...o.......o....", .hat = "x.xox.x.x.xox.x."},
};
const std::vector<DrumPattern> JazzRideBars = {
    {.kick = "o...o...o...o...", .hat = "....x.......x...", .ride = "X...x.x.X...x.x."},
    {.kick = "o.......o.......", .hat = "....x.......x...", .ride = "X...x.x.x...x.x."},
};
const std::vector<DrumPattern> SynthwaveBars = {
    {.kick = "X.......X.......", .snare = "....X.......X...", .hat = "xoxoxoxoxoxoxoxo"},
    {.kick = "X.......X.x.....", .snare = "....X.......X...", .hat = "x.x.x.x.x.x.x.x.", .openHat = "..............x."},
};
const std::vector<DrumPattern> TomsBars = {
    {.snare = "............o...", .lowTom = "X.......x.....x.", .midTom = "......x.......x."},
    {.lowTom = "X..x....X..x....", .midTom = "......x.......xx"},
};
const std::vector<DrumPattern> FolkBars = {
    {.kick = "X.......X.......", .rim = "....x.......x...", .shaker = "x.o.x.o.x.o.x.o."},
    {.kick = "X.....x.X.......", .snare = "....o.......o...", .shaker = "xoxoxoxoxoxoxoxo"},
};
const std::vector<DrumPattern> LightBars = {
    {.kick = "X.......X.......", .rim = "....x.......x...", .hat = "x.x.x.x.x.x.x.x."},
    {.kick = "X.....x.X.......", .snare = "....o.......o...", .hat = "x.o.x.o.x.o.x.o."},
};
const std::vector<DrumPattern> NoBars;

const std::vector<DrumPattern>& patternsFor(Groove groove)
{
    switch (groove) {
    case Groove::FourOnFloor: return FourOnFloorBars;
    case Groove::Techno: return TechnoBars;
    case Groove::BoomBap: return BoomBapBars;
    case Groove::Breakbeat: return BreakbeatBars;
    case Groove::Backbeat: return BackbeatBars;
    case Groove::Funk: return FunkBars;
    case Groove::OneDrop: return OneDropBars;
    case Groove::JazzRide: return JazzRideBars;
    case Groove::Synthwave: return SynthwaveBars;
    case Groove::Toms: return TomsBars;
    case Groove::Folk: return FolkBars;
    case Groove::Light: return LightBars;
    case Groove::None: break;
    }
    return NoBars;
}

std::vector<std::string> lanesOf(const DrumPattern& p)
{
    return {p.kick, p.snare, p.clap, p.rim, p.hat, p.openHat, p.ride, p.shaker, p.lowTom, p.midTom};
}

double velocityOf(char c)
{
    switch (c) {
    case 'X': return 1.0;
    case 'x': return 0.78;
    case 'o': return 0.45;
    default: return 0.0;
    }
}

bool hasHit(const std::string& lane, int step)
{
    return step < static_cast<int>(lane.size()) && lane[static_cast<std::size_t>(step)] != '.';
}

bool isCymbalTime(Drum drum)
{
    return drum == Drum::ClosedHat || drum == Drum::Shaker || drum == Drum::Ride;
}

/// Fills build up: each step a little harder than the one before.
double ramp(int fillFrom, int step)
{
    return 0.35 + 0.65 * (step - fillFrom + 1) / (StepsPerBar - fillFrom);
}

// Fills that are the same every time, hit by hit (in the order they are written, which the score keeps).
constexpr DrumWriter::FillHit BoomBapFill[] = {{12, Drum::Snare, 1.0},
                                               {13, Drum::Kick, 0.7},
                                               {14, Drum::Snare, 0.45},
                                               {15, Drum::Snare, 0.8},
                                               {14, Drum::OpenHat, 0.5}};
constexpr DrumWriter::FillHit JazzFill[] = {
    {10, Drum::Snare, 0.4}, {12, Drum::Snare, 0.6}, {14, Drum::Snare, 0.9}, {15, Drum::Kick, 0.8}};
constexpr DrumWriter::FillHit BackbeatLongFill[] = {
    {8, Drum::Snare, 0.8}, {10, Drum::Snare, 0.7}, {11, Drum::Snare, 0.8}};
constexpr DrumWriter::FillHit BackbeatFill[] = {
    {12, Drum::Snare, 0.9}, {13, Drum::MidTom, 0.8}, {14, Drum::MidTom, 0.85}, {15, Drum::LowTom, 0.95}};

} // namespace

DrumWriter::DrumWriter(const PartContext& context, Rng& rng)
    : m_context(context), m_timeline(context.timeline), m_groove(context.arrangement.groove), m_rng(rng)
{
    m_kickSteps.assign(static_cast<std::size_t>(m_timeline.bodyBars() + 1), {});
}

void DrumWriter::write()
{
    if (m_groove == Groove::None)
        return;
    const auto& patterns = patternsFor(m_groove);
    const auto count = static_cast<std::uint32_t>(patterns.size());
    const std::uint32_t first = m_rng.below(count);
    std::uint32_t second = m_rng.below(count);
    if (count > 1 && second == first)
        second = (first + 1) % count;
    const auto lanesA = lanesOf(patterns[first]);
    const auto lanesB = lanesOf(patterns[second]);
    const bool crashes = m_groove != Groove::BoomBap && m_groove != Groove::OneDrop && m_groove != Groove::Folk;
    const int introBars = m_timeline.introBars();
    for (int bar = 0; bar < m_timeline.bodyBars(); ++bar) {
        const bool intro = bar < introBars;
        const int phrase = intro ? 0 : (bar - introBars) / 4;
        writeBar(bar, phrase % 2 == 1 ? lanesB : lanesA);
        const bool phraseStart = bar > 0 && !intro && (bar - introBars) % 4 == 0;
        if (phraseStart && crashes && bar * StepsPerBar < m_timeline.endStep())
            m_context.score.addDrum(Drum::Crash, bar * StepsPerBar, m_groove == Groove::JazzRide ? 0.45 : 0.8);
    }
}

void DrumWriter::writeBar(int bar, const std::vector<std::string>& lanes)
{
    const bool intro = bar < m_timeline.introBars();
    const bool fill = m_timeline.isFillBar(bar);
    const bool longFill = m_timeline.isLastBodyBar(bar);
    const bool introFill = fill && intro;
    const int fillFrom = introFill ? 14 : fill ? (longFill ? 8 : 12) : StepsPerBar;
    playPattern(bar, lanes, intro, fillFrom);
    if (intro && !introFill)
        return;
    if (!fill)
        varyBar(bar);
    else
        playFill({bar, fillFrom, longFill});
    sortKicks(bar);
}

void DrumWriter::playPattern(int bar, const std::vector<std::string>& lanes, bool intro, int fillFrom)
{
    const int base = bar * StepsPerBar;
    const bool fourOnFloor = m_groove == Groove::FourOnFloor || m_groove == Groove::Techno;
    // The intro keeps time on the hats; the kick joins in only where it is the pulse of the style.
    auto introAllows = [&](Drum drum) {
        if (isCymbalTime(drum))
            return m_groove != Groove::Toms;
        if (drum == Drum::Kick || drum == Drum::OpenHat)
            return fourOnFloor;
        return false;
    };
    const double hatLevel = std::clamp(m_context.energy, 0.8, 1.1);
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
        const Drum drum = LaneDrums[lane];
        if (intro && !introAllows(drum))
            continue;
        const std::string& hits = lanes[lane];
        for (int step = 0; step < std::min<int>(fillFrom, static_cast<int>(hits.size())); ++step) {
            if (base + step >= m_timeline.endStep())
                break;
            double velocity = velocityOf(hits[static_cast<std::size_t>(step)]);
            if (velocity <= 0)
                continue;
            // One drummer's hand cannot close the hat where it opens it.
            if (drum == Drum::ClosedHat && hasHit(lanes[OpenHatLane], step))
                continue;
            if (isCymbalTime(drum))
                velocity *= hatLevel * (intro ? 0.8 : 1.0);
            m_context.score.addDrum(drum, base + step, velocity);
            if (drum == Drum::Kick)
                m_kickSteps[static_cast<std::size_t>(bar)].push_back(step);
        }
    }
}

void DrumWriter::varyBar(int bar)
{
    // Small changes from bar to bar so a loop does not sound like one.
    const int base = bar * StepsPerBar;
    const int endStep = m_timeline.endStep();
    Score& score = m_context.score;
    const bool syncopated = m_groove == Groove::BoomBap || m_groove == Groove::Funk || m_groove == Groove::Breakbeat ||
                            m_groove == Groove::Backbeat;
    if (syncopated && m_rng.chance(0.35)) {
        const int step = 1 + 2 * static_cast<int>(m_rng.below(8));
        if (step != 5 && step != 13 && base + step < endStep)
            score.addDrum(Drum::Snare, base + step, 0.3);
    }
    if (syncopated && m_rng.chance(0.25)) {
        const int step = 2 * static_cast<int>(m_rng.below(8));
        if (step != 4 && step != 12 && base + step < endStep) {
            score.addDrum(Drum::Kick, base + step, 0.7);
            m_kickSteps[static_cast<std::size_t>(bar)].push_back(step);
        }
    }
    if ((m_groove == Groove::BoomBap || m_groove == Groove::Backbeat) && m_rng.chance(0.15) && base + 14 < endStep)
        score.addDrum(Drum::OpenHat, base + 14, 0.5);
    if (m_groove == Groove::JazzRide) {
        const int comps = 1 + static_cast<int>(m_rng.below(3));
        static constexpr int CompSteps[] = {2, 3, 6, 7, 10, 11, 14};
        for (int i = 0; i < comps; ++i) {
            const int step = CompSteps[m_rng.below(7)];
            if (base + step < endStep)
                score.addDrum(Drum::Snare, base + step, m_rng.uniform(0.25, 0.45));
        }
    }
}

void DrumWriter::playFill(const Fill& fill)
{
    switch (m_groove) {
    case Groove::FourOnFloor:
    case Groove::Techno:
        for (int step = fill.from; step < StepsPerBar; ++step) {
            if (step % 4 == 0)
                hit(fill, step, Drum::Kick, 1.0);
            if (m_groove == Groove::FourOnFloor || step % 2 == 0 || fill.longFill)
                hit(fill, step, Drum::Snare, ramp(fill.from, step));
        }
        break;
    case Groove::Backbeat:
    case Groove::Synthwave:
    case Groove::Folk:
    case Groove::Light:
    case Groove::Funk: playBackbeatFill(fill); break;
    case Groove::BoomBap: hits(fill, BoomBapFill); break;
    case Groove::Breakbeat:
        for (int step = fill.from; step < StepsPerBar; ++step)
            hit(fill, step, step >= 14 ? Drum::MidTom : Drum::Snare, ramp(fill.from, step));
        hit(fill, fill.from, Drum::Kick, 0.9);
        break;
    case Groove::OneDrop:
        for (int step = fill.from; step < StepsPerBar; ++step)
            hit(fill, step, Drum::Rim, ramp(fill.from, step));
        hit(fill, 15, Drum::LowTom, 0.8);
        break;
    case Groove::JazzRide:
        hit(fill, fill.from, Drum::Ride, 0.8);
        hits(fill, JazzFill);
        break;
    case Groove::Toms:
        for (int step = fill.from; step < StepsPerBar; ++step) {
            hit(fill, step, Drum::LowTom, ramp(fill.from, step));
            if (step % 2 == 1)
                hit(fill, step, Drum::MidTom, 0.6 * ramp(fill.from, step));
        }
        break;
    case Groove::None: break;
    }
}

void DrumWriter::playBackbeatFill(const Fill& fill)
{
    // Folk and light kits play their fills softly, on a smaller kit.
    const double scale = m_groove == Groove::Folk || m_groove == Groove::Light ? 0.7 : 1.0;
    if (fill.longFill)
        hits(fill, BackbeatLongFill, scale);
    hits(fill, BackbeatFill, scale);
    hit(fill, 12, Drum::Kick, 0.8);
}

void DrumWriter::hit(const Fill& fill, int step, Drum drum, double velocity)
{
    const int base = fill.bar * StepsPerBar;
    if (step >= fill.from && base + step < m_timeline.endStep())
        m_context.score.addDrum(drum, base + step, velocity);
    if (drum == Drum::Kick)
        m_kickSteps[static_cast<std::size_t>(fill.bar)].push_back(step);
}

void DrumWriter::hits(const Fill& fill, std::span<const FillHit> written, double scale)
{
    for (const FillHit& h : written)
        hit(fill, h.step, h.drum, h.velocity * scale);
}

void DrumWriter::sortKicks(int bar)
{
    auto& steps = m_kickSteps[static_cast<std::size_t>(bar)];
    std::sort(steps.begin(), steps.end());
}

void DrumWriter::writeEnding()
{
    if (m_groove == Groove::None)
        return;
    const bool loud = m_groove != Groove::JazzRide && m_groove != Groove::Folk && m_groove != Groove::Light;
    Score& score = m_context.score;
    score.addDrum(Drum::Crash, m_timeline.endStep(), loud ? 0.85 : 0.5);
    score.addDrum(m_groove == Groove::Toms ? Drum::LowTom : Drum::Kick, m_timeline.endStep(), 0.95);
}

} // namespace engine
