#include "audio/AudioLoop.h"

#include "audio/SndFileMemory.h"
#include "model/MusicAnalysis.h"
#include "model/TextUtils.h"

#include <QCoreApplication>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AudioLoop", text);
}

QString wholeBars(qint64 n)
{
    return n == 1 ? tr("1 whole bar") : tr("%1 whole bars").arg(n);
}

/// How many whole bars fit between `first` and the end of `total` frames, each rounded as span() rounds a loop.
qint64 barsFitting(qint64 first, qint64 total, double barFrames)
{
    if (first >= total)
        return 0;
    auto n = qint64(std::floor(double(total - first) / barFrames)) + 1;
    while (n > 0 && first + std::llround(double(n) * barFrames) > total)
        --n;
    return n;
}

/// Why `bars` are not all in a take of `total` frames at `sampleRate`, in words that say what to ask for instead.
QString notInTake(const AudioLoop::Bars& bars, qint64 total, int sampleRate)
{
    const double barFrames = bars.barSeconds() * sampleRate;
    const QString tempo = MusicAnalysis::tempoText(bars.bpm);
    const qint64 fromStart = barsFitting(AudioLoop::span(bars, sampleRate).first, total, barFrames);
    if (fromStart > 0 && bars.start == 0)
        return tr("the take holds only %1 at %2 BPM: ask for %3 or fewer")
            .arg(wholeBars(fromStart), tempo)
            .arg(fromStart);
    if (fromStart > 0)
        return tr("the take holds only %1 from bar %2 at %3 BPM: ask for %4 or fewer, or start at an earlier bar")
            .arg(wholeBars(fromStart))
            .arg(bars.start)
            .arg(tempo)
            .arg(fromStart);
    AudioLoop::Bars first = bars;
    first.start = 0;
    const qint64 inAll = barsFitting(AudioLoop::span(first, sampleRate).first, total, barFrames);
    if (inAll == 0)
        return tr("the take is shorter than one bar at %1 BPM from its first downbeat, so it has no bar to loop")
            .arg(tempo);
    return tr("the take holds %1 at %2 BPM, bars 0 to %3: start at one of those")
        .arg(wholeBars(inAll), tempo)
        .arg(inAll - 1);
}

// The ACID chunk's flags (libsndfile's notes on the chunk in src/wav.c); a loop leaves one-shot (0x01) and
// disk-based (0x08) off.
constexpr quint32 AcidRootNoteSet = 0x02, AcidStretch = 0x04;

/// The 24 bytes of an ACID chunk, little-endian, as libsndfile reads them (wav_read_acid_chunk and its notes in
/// src/wav.c):
///   uint32 flags (0x01 one-shot, 0x02 root note set, 0x04 stretch, 0x08 disk-based, 0x10 high octave)
///   uint16 root note (MIDI), uint16 unknown (0x8000), float unknown (0)
///   uint32 number of beats, uint16 meter denominator, uint16 meter numerator, float tempo (BPM)
QByteArray acidChunk(const AudioLoop::Markers& markers)
{
    const int root = AudioLoop::rootNote(markers.key);
    const quint32 flags = AcidStretch | (root >= 0 ? AcidRootNoteSet : 0);
    QByteArray data(24, '\0');
    char* at = data.data();
    auto putFloat = [](char* where, float value) {
        quint32 bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        qToLittleEndian(bits, where);
    };
    qToLittleEndian<quint32>(flags, at);
    qToLittleEndian<quint16>(quint16(std::max(root, 0)), at + 4);
    qToLittleEndian<quint16>(0x8000, at + 6);
    putFloat(at + 8, 0.0F);
    qToLittleEndian<quint32>(quint32(markers.beats), at + 12);
    qToLittleEndian<quint16>(AudioLoop::BeatsPerBar, at + 16); // denominator: quarter notes...
    qToLittleEndian<quint16>(AudioLoop::BeatsPerBar, at + 18); // ...four to the bar
    putFloat(at + 20, float(markers.bpm));
    return data;
}

} // namespace

namespace AudioLoop {

Span span(const Bars& bars, int sampleRate)
{
    const double barFrames = bars.barSeconds() * sampleRate;
    return {std::llround((bars.downbeatSeconds * sampleRate) + bars.start * barFrames),
            std::llround(bars.count * barFrames)};
}

Grid grid(double bpm, double downbeatSeconds, qint64 frames, int sampleRate)
{
    if (!(bpm >= MusicAnalysis::MinBpm && bpm <= MusicAnalysis::MaxBpm) || !(downbeatSeconds >= 0) || sampleRate <= 0 ||
        frames <= 0)
        return {};
    const Bars first{bpm, downbeatSeconds};
    return {bpm, downbeatSeconds, double(frames) / sampleRate,
            int(barsFitting(span(first, sampleRate).first, frames, first.barSeconds() * sampleRate))};
}

Region snap(const Grid& grid, double fromSeconds, double toSeconds)
{
    const double low = std::min(fromSeconds, toSeconds), high = std::max(fromSeconds, toSeconds);
    if (!grid.isValid())
        return {low, high};
    const auto nearest = [](double value, double unit, qint64 least, qint64 most) {
        return std::clamp(std::llround(value / unit), least, most);
    };
    const double bar = grid.barSeconds();
    const qint64 startBar = nearest(low - grid.downbeatSeconds, bar, 0, grid.bars);
    const qint64 endBar = nearest(high - grid.downbeatSeconds, bar, 0, grid.bars);
    if (endBar > startBar)
        return {grid.downbeatSeconds + double(startBar) * bar, grid.downbeatSeconds + double(endBar) * bar,
                int(startBar), int(endBar - startBar), 0};

    // Beat lines run on both sides of the first downbeat, as far as the take goes; a hair of slack keeps a line that
    // falls on the take's very end.
    const double beat = grid.beatSeconds();
    constexpr double slack = 1e-9;
    const auto firstBeat = qint64(std::ceil(-grid.downbeatSeconds / beat - slack));
    const auto lastBeat = qint64(std::floor((grid.lengthSeconds - grid.downbeatSeconds) / beat + slack));
    if (lastBeat <= firstBeat)
        return {low, high};
    qint64 startBeat = nearest(low - grid.downbeatSeconds, beat, firstBeat, lastBeat);
    qint64 endBeat = nearest(high - grid.downbeatSeconds, beat, firstBeat, lastBeat);
    if (endBeat == startBeat && endBeat < lastBeat)
        ++endBeat;
    else if (endBeat == startBeat)
        --startBeat;
    return {grid.downbeatSeconds + double(startBeat) * beat, grid.downbeatSeconds + double(endBeat) * beat, 0, 0,
            int(endBeat - startBeat)};
}

std::optional<AudioCodec::Decoded> cut(const AudioCodec::Decoded& take, const Bars& bars, QString* whyNot)
{
    if (!(bars.bpm >= MusicAnalysis::MinBpm && bars.bpm <= MusicAnalysis::MaxBpm)) {
        setError(whyNot, tr("the take has no tempo, so it has no bars to cut"));
        return std::nullopt;
    }
    if (bars.count < 1 || bars.start < 0 || !(bars.downbeatSeconds >= 0)) {
        setError(whyNot, tr("a loop is one bar or more, counted from bar 0, the bar that begins at the first "
                            "downbeat"));
        return std::nullopt;
    }
    const int channels = take.channels;
    if (take.sampleRate <= 0 || channels <= 0 || take.samples.empty()) {
        setError(whyNot, tr("the take holds no audio"));
        return std::nullopt;
    }
    const qint64 total = qint64(take.samples.size()) / channels;
    const Span where = span(bars, take.sampleRate);
    if (where.first + where.frames > total) {
        setError(whyNot, notInTake(bars, total, take.sampleRate));
        return std::nullopt;
    }

    const qint64 length = where.frames;
    const auto sample = [&](qint64 frame, int channel) { return take.samples[size_t(frame * channels + channel)]; };
    AudioCodec::Decoded loop{{}, take.sampleRate, channels};
    loop.samples.assign(take.samples.begin() + qsizetype(where.first * channels),
                        take.samples.begin() + qsizetype((where.first + length) * channels));
    auto out = [&](qint64 frame, int channel) -> float& { return loop.samples[size_t(frame * channels + channel)]; };

    const qint64 fade = std::min<qint64>(std::llround(CrossfadeSeconds * take.sampleRate), length / 2);
    const qint64 after = std::min(fade, total - (where.first + length));
    const qint64 before = std::min(fade, where.first);
    constexpr double quarterTurn = std::numbers::pi / 2;
    if (after > 0 && after >= before) {
        // The head starts as the take goes on after the loop's end, and turns into the head by the fade's end.
        for (qint64 i = 0; i < after; ++i) {
            const double angle = quarterTurn * double(i) / double(after);
            for (int c = 0; c < channels; ++c)
                out(i, c) = float(std::cos(angle) * sample(where.first + length + i, c) +
                                  std::sin(angle) * sample(where.first + i, c));
        }
    } else if (before > 0) {
        // The tail turns into what comes before the head, so that its last sample leads into the first.
        for (qint64 i = 0; i < before; ++i) {
            const double angle = quarterTurn * double(i + 1) / double(before);
            const qint64 frame = length - before + i;
            for (int c = 0; c < channels; ++c)
                out(frame, c) = float(std::cos(angle) * sample(where.first + frame, c) +
                                      std::sin(angle) * sample(where.first - before + i, c));
        }
    } else {
        // The bars are the whole take: nothing around them to blend, so the wrap passes through silence.
        for (qint64 i = 0; i < fade; ++i) {
            const auto gain = float(std::sin(quarterTurn * double(i) / double(fade)));
            for (int c = 0; c < channels; ++c) {
                out(i, c) *= gain;
                out(length - 1 - i, c) *= gain;
            }
        }
    }
    return loop;
}

int rootNote(const MusicalKey& key)
{
    constexpr int C3 = 48;
    return key.isValid() ? C3 + key.root : -1;
}

std::optional<QByteArray> toWav(const AudioCodec::Decoded& loop, const Markers& markers, QString* whyNot)
{
    const int channels = loop.channels;
    const sf_count_t frames = channels > 0 ? sf_count_t(loop.samples.size()) / channels : 0;
    SF_INFO info{};
    info.samplerate = loop.sampleRate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    if (frames <= 0 || !sf_format_check(&info)) {
        setError(whyNot,
                 tr("%1 Hz, %2-channel audio cannot be written as a WAV loop").arg(loop.sampleRate).arg(channels));
        return std::nullopt;
    }
    SndFileMemory writer(info);
    if (!writer.isOpen()) {
        setError(whyNot, writer.errorString());
        return std::nullopt;
    }
    sf_command(writer.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);

    SF_INSTRUMENT instrument{};
    const int root = rootNote(markers.key);
    instrument.gain = 1;
    instrument.basenote = char(root >= 0 ? root : 60);
    instrument.velocity_hi = instrument.key_hi = 127;
    instrument.loop_count = 1;
    // libsndfile's loop end is one past the last frame; it writes smpl's inclusive end as end - 1.
    instrument.loops[0].mode = SF_LOOP_FORWARD;
    instrument.loops[0].start = 0;
    instrument.loops[0].end = quint32(frames);
    instrument.loops[0].count = 0; // for ever
    QByteArray acid = acidChunk(markers);
    SF_CHUNK_INFO chunk{};
    std::memcpy(chunk.id, "acid", 4);
    chunk.id_size = 4;
    chunk.datalen = unsigned(acid.size());
    chunk.data = acid.data();
    if (sf_command(writer.get(), SFC_SET_INSTRUMENT, &instrument, sizeof instrument) != SF_TRUE ||
        sf_set_chunk(writer.get(), &chunk) != SF_ERR_NO_ERROR ||
        sf_writef_float(writer.get(), loop.samples.data(), frames) != frames) {
        setError(whyNot, writer.errorString());
        return std::nullopt;
    }
    return writer.close();
}

} // namespace AudioLoop
