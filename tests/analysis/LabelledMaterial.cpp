#include "LabelledMaterial.h"

#include "engine/SketchEngine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

namespace material {

namespace {

constexpr double TwoPi = 2 * std::numbers::pi;

/// xorshift32: the same noise on every run.
class Noise
{
public:
    explicit Noise(std::uint32_t seed) : m_state(seed == 0 ? 0x9e3779b9U : seed) {}
    float next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return float(m_state) / 2147483648.0F - 1.0F;
    }

private:
    std::uint32_t m_state;
};

std::vector<float> kick(int rate, Noise& noise)
{
    std::vector<float> s(std::size_t(0.4 * rate));
    double phase = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / rate;
        phase += TwoPi * (48 + 110 * std::exp(-t / 0.03)) / rate;
        const double click = t < 0.003 ? 0.3 * noise.next() : 0.0;
        s[i] = float(0.9 * std::sin(phase) * std::exp(-t / 0.13) + click);
    }
    return s;
}

std::vector<float> snare(int rate, Noise& noise)
{
    std::vector<float> s(std::size_t(0.3 * rate));
    float previous = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / rate;
        const float n = noise.next();
        const float bright = n - 0.6F * previous; // tilt the noise up, like a snare's wires
        previous = n;
        s[i] = float(0.45 * std::sin(TwoPi * 185 * t) * std::exp(-t / 0.05) + 0.5 * bright * std::exp(-t / 0.08));
    }
    return s;
}

std::vector<float> hat(int rate, Noise& noise, double decay)
{
    std::vector<float> s(std::size_t(std::min(0.6, 6 * decay) * rate));
    float x1 = 0;
    float x2 = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / rate;
        const float n = noise.next();
        const float high = n - 2 * x1 + x2; // second difference: only the top octaves
        x2 = x1;
        x1 = n;
        s[i] = float(0.12 * high * std::exp(-t / decay));
    }
    return s;
}

struct Lanes
{
    const char* kick;
    const char* snare;
    const char* hat;
    const char* ride;
};

Lanes lanesOf(Groove groove)
{
    switch (groove) {
    case Groove::Rock: return {"X.......X.x.....", "....X.......X...", "x.x.x.x.x.x.x.x.", ""};
    case Groove::FourOnFloor: return {"X...X...X...X...", "....X.......X...", "..x...x...x...x.", ""};
    case Groove::BoomBap: return {"X.........X.....", "....X.......X...", "XoxoXoxoXoxoXoxo", ""};
    case Groove::KickSnare: return {"X......X..X.....", "....X.......X...", "", ""};
    case Groove::Shuffle: return {"X.......X.......", "....X.......X...", "", "X.x.X.x.X.x.X.x."};
    }
    return {"", "", "", ""};
}

float velocity(char c)
{
    return c == 'X' ? 1.0F : c == 'x' ? 0.7F : c == 'o' ? 0.4F : 0.0F;
}

/// One partial-rich tone, added into `out`: sawtooth-like partials (1/h) up to 4.5 kHz, by rotating phasors under
/// one envelope (a struck tone, like a piano's, stretches its upper partials a little and lets them fade sooner).
void addTone(std::vector<float>& out, int rate, double midi, std::size_t start, std::size_t length, float level,
             bool struck)
{
    const double hz = 440 * std::exp2((midi - 69) / 12);
    const auto release = std::size_t(0.05 * rate);
    const std::size_t total = std::min(length + release, out.size() > start ? out.size() - start : 0);
    std::vector<double> envelope(total);
    double fade = 1;
    const double fadeStep = std::exp(-1.0 / (0.3 * rate));
    for (std::size_t i = 0; i < total; ++i, fade *= fadeStep) {
        envelope[i] = std::min(1.0, double(i) / (0.01 * rate)) * (0.6 + 0.4 * fade);
        if (i >= length)
            envelope[i] *= 1 - double(i - length) / double(release);
    }
    const int partials = std::clamp(int(4500 / hz), 1, 12);
    for (int h = 1; h <= partials; ++h) {
        const double stretch = struck ? 1 + 0.0004 * h * h : 1.0;
        const double w = TwoPi * hz * h * stretch / rate;
        const double c = std::cos(w);
        const double s = std::sin(w);
        const double decayStep = struck ? std::exp(-std::sqrt(double(h)) / (1.5 * rate)) : 1.0;
        double re = level / double(h);
        double im = 0;
        for (std::size_t i = 0; i < total; ++i) {
            out[start + i] += float(envelope[i] * im);
            const double nextRe = (re * c - im * s) * decayStep;
            im = (re * s + im * c) * decayStep;
            re = nextRe;
        }
    }
}

struct ChordSpec
{
    int offset;             ///< semitones above the tonic
    std::vector<int> tones; ///< intervals above the chord's root
};

std::vector<ChordSpec> progressionOf(Progression progression, bool minor)
{
    const std::vector<int> major = {0, 4, 7};
    const std::vector<int> minorTriad = {0, 3, 7};
    switch (progression) {
    case Progression::Cadence:
        if (minor)
            return {{0, minorTriad}, {5, minorTriad}, {7, major}, {0, minorTriad}};
        return {{0, major}, {5, major}, {7, major}, {0, major}};
    case Progression::PopLoop:
        if (minor)
            return {{0, minorTriad}, {8, major}, {3, major}, {10, major}};
        return {{0, major}, {7, major}, {9, minorTriad}, {5, major}};
    case Progression::TwoFiveOne:
        if (minor)
            return {{2, {0, 3, 6, 10}}, {7, {0, 4, 7, 10}}, {0, {0, 3, 7, 10}}, {0, minorTriad}};
        return {{2, {0, 3, 7, 10}}, {7, {0, 4, 7, 10}}, {0, {0, 4, 7, 11}}, {0, {0, 4, 7, 11}}};
    case Progression::Relative:
        if (minor)
            return {{0, minorTriad}, {3, major}};
        return {{0, major}, {9, minorTriad}};
    }
    return {};
}

void put16(unsigned char* p, unsigned v)
{
    p[0] = static_cast<unsigned char>(v & 0xff);
    p[1] = static_cast<unsigned char>((v >> 8) & 0xff);
}

void put32(unsigned char* p, unsigned v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

} // namespace

const char* grooveName(Groove groove)
{
    switch (groove) {
    case Groove::Rock: return "rock";
    case Groove::FourOnFloor: return "four-on-the-floor";
    case Groove::BoomBap: return "boom-bap";
    case Groove::KickSnare: return "kick-snare";
    case Groove::Shuffle: return "shuffle";
    }
    return "";
}

const char* progressionName(Progression progression)
{
    switch (progression) {
    case Progression::Cadence: return "cadence";
    case Progression::PopLoop: return "pop loop";
    case Progression::TwoFiveOne: return "ii-V-I";
    case Progression::Relative: return "relative pair";
    }
    return "";
}

Clip drums(Groove groove, double bpm, double swing, double seconds, int sampleRate, double offsetSeconds,
           std::uint32_t seed)
{
    Clip clip;
    clip.name = std::string(grooveName(groove)) + " " + std::to_string(int(std::lround(bpm))) + " bpm" +
                (swing > 0 ? " swing " + std::to_string(int(std::lround(swing * 100))) + "%" : "") + ", " +
                std::to_string(int(std::lround(seconds))) + " s";
    clip.sampleRate = sampleRate;
    clip.bpm = bpm;
    clip.firstDownbeat = offsetSeconds;
    clip.drums = true;
    clip.samples.assign(std::size_t(seconds * sampleRate), 0.0F);
    Noise noise(seed);
    const std::vector<float> sounds[] = {kick(sampleRate, noise), snare(sampleRate, noise),
                                         hat(sampleRate, noise, 0.025), hat(sampleRate, noise, 0.25)};
    const Lanes lanes = lanesOf(groove);
    const char* laneOf[] = {lanes.kick, lanes.snare, lanes.hat, lanes.ride};
    const double stepSeconds = 15.0 / bpm;
    const int swingUnit = groove == Groove::Shuffle ? 2 : 1;
    for (int step = 0;; ++step) {
        double at = offsetSeconds + step * stepSeconds;
        if (step % swingUnit == 0 && (step / swingUnit) % 2 == 1)
            at += swing * swingUnit * stepSeconds;
        if (at >= seconds)
            break;
        const auto start = std::size_t(at * sampleRate);
        for (std::size_t lane = 0; lane < std::size(sounds); ++lane) {
            const float level = std::strlen(laneOf[lane]) == 16 ? velocity(laneOf[lane][step % 16]) : 0.0F;
            // Each hit a little different, as no two strokes are the same.
            const float variation = 1 + 0.1F * noise.next();
            for (std::size_t i = 0; level > 0 && i < sounds[lane].size() && start + i < clip.samples.size(); ++i)
                clip.samples[start + i] += level * variation * sounds[lane][i];
        }
    }
    return clip;
}

Clip chords(int root, bool minor, Progression progression, double seconds, double bpm, int sampleRate)
{
    Clip clip;
    clip.name = engine::keyName(root, minor) + " " + progressionName(progression) + ", " +
                std::to_string(int(std::lround(seconds))) + " s";
    clip.sampleRate = sampleRate;
    clip.keyRoot = root;
    clip.minor = minor;
    clip.samples.assign(std::size_t(seconds * sampleRate), 0.0F);
    const std::vector<ChordSpec> bars = progressionOf(progression, minor);
    const double barSeconds = 240 / bpm;
    const bool struck = (root + int(progression)) % 2 == 1;
    const auto barLength = std::size_t(barSeconds * sampleRate);
    for (int bar = 0; bar * barSeconds < seconds; ++bar) {
        const ChordSpec& chord = bars[std::size_t(bar) % bars.size()];
        const int chordRoot = (root + chord.offset) % 12;
        const auto start = std::size_t(bar * barSeconds * sampleRate);
        // The bass on the root in the second octave, the chord around middle C, in close position.
        addTone(clip.samples, sampleRate, 36 + chordRoot, start, barLength, 0.22F, struck);
        const int base = 55 + (chordRoot + 5) % 12; // G3..F#4
        for (const int interval : chord.tones)
            addTone(clip.samples, sampleRate, base + interval, start, barLength, 0.12F, struck);
    }
    return clip;
}

Clip sketch(const std::string& prompt, int seconds, std::uint32_t seed)
{
    const engine::SketchPlan plan = engine::plan({prompt, seconds, seed});
    const std::vector<std::int16_t> pcm = engine::renderPcm(plan);
    Clip clip;
    clip.name = "\"" + prompt + "\" seed " + std::to_string(seed) + ", " + std::to_string(seconds) + " s (" +
                std::to_string(int(std::lround(plan.bpm))) + " bpm, " + engine::keyName(plan.keyRoot, plan.minor) +
                (plan.drums ? "" : ", no drums") + ")";
    clip.sampleRate = engine::SampleRate;
    clip.samples.resize(pcm.size());
    std::transform(pcm.begin(), pcm.end(), clip.samples.begin(), [](std::int16_t s) { return float(s) / 32768.0F; });
    clip.bpm = plan.bpm;
    clip.keyRoot = plan.keyRoot;
    clip.minor = plan.minor;
    clip.firstDownbeat = 0; // the engine starts its first bar on the first sample
    clip.drums = plan.drums;
    clip.prior = analysis::priorFromPrompt(prompt);
    return clip;
}

Clip stereoAt(const Clip& mono, int sampleRate)
{
    Clip stereo = mono;
    stereo.channels = 2;
    stereo.sampleRate = sampleRate;
    const double ratio = double(mono.sampleRate) / sampleRate;
    const auto frames = std::size_t(double(mono.frames()) / ratio);
    stereo.samples.assign(frames * 2, 0.0F);
    const auto at = [&](double position) {
        const auto i = std::size_t(position);
        const double t = position - double(i);
        const float a = i < mono.samples.size() ? mono.samples[i] : 0.0F;
        const float b = i + 1 < mono.samples.size() ? mono.samples[i + 1] : 0.0F;
        return float(a * (1 - t) + b * t);
    };
    for (std::size_t i = 0; i < frames; ++i) {
        stereo.samples[2 * i] = at(double(i) * ratio);
        stereo.samples[2 * i + 1] = 0.8F * stereo.samples[2 * i];
    }
    return stereo;
}

bool writeFloatWav(const Clip& clip, const std::string& path)
{
    const auto dataBytes = unsigned(clip.samples.size() * 4);
    std::vector<unsigned char> header(44);
    unsigned char* p = header.data();
    std::memcpy(p, "RIFF", 4);
    put32(p + 4, 36 + dataBytes);
    std::memcpy(p + 8, "WAVEfmt ", 8);
    put32(p + 16, 16);
    put16(p + 20, 3); // IEEE float
    put16(p + 22, unsigned(clip.channels));
    put32(p + 24, unsigned(clip.sampleRate));
    put32(p + 28, unsigned(clip.sampleRate * clip.channels * 4));
    put16(p + 32, unsigned(clip.channels * 4));
    put16(p + 34, 32);
    std::memcpy(p + 36, "data", 4);
    put32(p + 40, dataBytes);
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr)
        return false;
    bool ok = std::fwrite(header.data(), 1, header.size(), file) == header.size();
    for (const float sample : clip.samples) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &sample, 4);
        unsigned char bytes[4];
        put32(bytes, bits);
        ok = ok && std::fwrite(bytes, 1, 4, file) == 4;
    }
    return std::fclose(file) == 0 && ok;
}

std::vector<Clip> labelledSet()
{
    std::vector<Clip> set;
    const double lengths[] = {3, 6, 10, 20, 30, 4, 8, 15};
    int index = 0;
    for (double bpm = 60; bpm <= 180; bpm += 8) {
        for (const Groove groove : Grooves) {
            const double swing = groove == Groove::Shuffle ? 0.33 : (index % 3 == 1 ? 0.2 : 0.0);
            const double length = lengths[std::size_t(index) % std::size(lengths)];
            const double offset = (index % 4) * 0.13;
            set.push_back(
                drums(groove, bpm + (index % 5) * 0.3, swing, length, 32000, offset, std::uint32_t(index + 1)));
            ++index;
        }
    }
    const double chordLengths[] = {2, 4, 8, 15, 30, 6};
    index = 0;
    for (int root = 0; root < 12; ++root) {
        for (const bool minor : {false, true}) {
            for (const Progression progression : Progressions) {
                const double length = chordLengths[std::size_t(index) % std::size(chordLengths)];
                set.push_back(chords(root, minor, progression, length, 80 + (index % 7) * 8));
                ++index;
            }
        }
    }
    const char* prompts[] = {
        "lo-fi hip hop with a soothing piano",
        "techno at 128 bpm",
        "sad piano in A minor",
        "epic cinematic orchestral",
        "jazz trio with brass",
        "calm ambient with bells",
        "energetic rock",
        "synthwave",
        "deep house",
        "drum and bass",
        "reggae",
        "funky groove with bass",
        "folk with acoustic guitar",
        "classical piano",
        "happy pop song in G major",
        "dark techno in F",
        "hip hop beat 90 bpm",
        "chill lofi in D minor 75 bpm",
        "uplifting house in E major",
        "dnb 174 bpm",
    };
    const int sketchLengths[] = {2, 5, 8, 12, 20, 30, 10};
    index = 0;
    for (const char* prompt : prompts) {
        for (std::uint32_t seed = 1; seed <= 3; ++seed) {
            set.push_back(sketch(prompt, sketchLengths[std::size_t(index) % std::size(sketchLengths)], seed));
            ++index;
        }
    }
    return set;
}

std::vector<Clip> heldOutSet()
{
    std::vector<Clip> set;
    const double lengths[] = {2.5, 4, 5, 7, 9, 12, 18, 25};
    int index = 0;
    for (double bpm = 63; bpm <= 178; bpm += 5) {
        for (const Groove groove : Grooves) {
            const double swing = groove == Groove::Shuffle ? 0.33 : (index % 4 == 1 ? 0.15 : 0.0);
            set.push_back(drums(groove, bpm + (index % 3) * 0.4, swing,
                                lengths[std::size_t(index) % std::size(lengths)], 32000, (index % 5) * 0.09,
                                std::uint32_t(100 + index)));
            ++index;
        }
    }
    const double chordLengths[] = {3, 5, 7, 9, 12, 18, 25};
    index = 0;
    for (int root = 0; root < 12; ++root) {
        for (const bool minor : {false, true}) {
            for (const Progression progression : Progressions) {
                set.push_back(chords(root, minor, progression,
                                     chordLengths[std::size_t(index) % std::size(chordLengths)], 72 + (index % 9) * 7));
                ++index;
            }
        }
    }
    const char* prompts[] = {"lo-fi hip hop with a soothing piano",
                             "techno",
                             "epic cinematic orchestral",
                             "jazz trio",
                             "calm ambient with bells",
                             "energetic rock",
                             "synthwave",
                             "deep house",
                             "drum and bass",
                             "reggae",
                             "funky groove",
                             "folk with acoustic guitar",
                             "pop song",
                             "dark techno",
                             "hip hop beat",
                             "chill lofi",
                             "uplifting house",
                             "sad piano ballad",
                             "trap beat",
                             "disco"};
    const int sketchLengths[] = {2, 4, 6, 9, 14, 22, 30};
    index = 0;
    for (const char* prompt : prompts) {
        for (std::uint32_t seed = 11; seed <= 20; ++seed) {
            set.push_back(sketch(prompt, sketchLengths[std::size_t(index) % std::size(sketchLengths)], seed));
            ++index;
        }
    }
    return set;
}

} // namespace material
