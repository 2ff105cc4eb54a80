#include "LabelledMaterial.h"
#include "LoopWrap.h"
#include "audio/AudioLoop.h"
#include "audio/AudioTags.h"
#include "audio/SndFileMemory.h"

#include <QTest>
#include <QtEndian>

#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <map>

using namespace Qt::StringLiterals;

namespace {

AudioCodec::Decoded decoded(const material::Clip& clip)
{
    return {clip.samples, clip.sampleRate, clip.channels};
}

/// The chunks of a RIFF WAVE file by id, read here byte by byte rather than by libsndfile: a second reader.
std::map<QByteArray, QByteArray> riffChunks(const QByteArray& wav, QByteArrayList* order = nullptr)
{
    std::map<QByteArray, QByteArray> chunks;
    if (!wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return chunks;
    for (qsizetype at = 12; at + 8 <= wav.size();) {
        const QByteArray id = wav.mid(at, 4);
        const auto size = qsizetype(qFromLittleEndian<quint32>(wav.constData() + at + 4));
        chunks[id] = wav.mid(at + 8, size);
        if (order)
            *order << id;
        at += 8 + size + (size & 1);
    }
    return chunks;
}

quint32 u32(const QByteArray& data, int at)
{
    return qFromLittleEndian<quint32>(data.constData() + at);
}

quint16 u16(const QByteArray& data, int at)
{
    return qFromLittleEndian<quint16>(data.constData() + at);
}

float f32(const QByteArray& data, int at)
{
    const quint32 bits = u32(data, at);
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

/// The loop's frames as the take holds them, without a crossfade: what a naive cut plays.
std::vector<float> naiveCut(const material::Clip& clip, const AudioLoop::Span& span)
{
    const auto channels = std::ptrdiff_t(clip.channels);
    return {clip.samples.begin() + std::ptrdiff_t(span.first) * channels,
            clip.samples.begin() + std::ptrdiff_t(span.first + span.frames) * channels};
}

} // namespace

/// The loop cut: whole bars at the take's tempo from the bar asked for, a wrap without a click, and WAV files whose
/// smpl and acid chunks samplers and DAWs read.
class TestAudioLoop final : public QObject
{
    Q_OBJECT

private slots:
    void cutsWholeBarsFromTheBarAsked_data();
    void cutsWholeBarsFromTheBarAsked();
    void wrapIsSeamless_data();
    void wrapIsSeamless();
    void aWholeTakeFadesThroughSilence();
    void refusesBarsTheTakeDoesNotHold_data();
    void refusesBarsTheTakeDoesNotHold();
    void wavLoopsInSamplersAndDaws_data();
    void wavLoopsInSamplersAndDaws();
    void gridCountsTheBarsACutAccepts_data();
    void gridCountsTheBarsACutAccepts();
    void regionsSnapToBarsThenBeats_data();
    void regionsSnapToBarsThenBeats();
};

void TestAudioLoop::cutsWholeBarsFromTheBarAsked_data()
{
    QTest::addColumn<material::Clip>("clip");
    QTest::addColumn<int>("bars");
    QTest::addColumn<int>("start");
    const material::Clip drums = material::drums(material::Groove::Rock, 97.3, 0, 12, 32000, 0.37);
    QTest::newRow("drums at 97.3 BPM, 2 bars from bar 0") << drums << 2 << 0;
    QTest::newRow("the same, 2 bars from bar 2") << drums << 2 << 2;
    QTest::newRow("stereo, 48 kHz, 123.45 BPM, 3 bars from bar 1")
        << material::stereoAt(material::drums(material::Groove::FourOnFloor, 123.45, 0, 10, 32000, 0.21), 48000) << 3
        << 1;
    QTest::newRow("sketch take, 4 bars from bar 1")
        << material::sketch("house at 124 bpm in A minor with piano and pads", 12, 3) << 4 << 1;
}

void TestAudioLoop::cutsWholeBarsFromTheBarAsked()
{
    QFETCH(material::Clip, clip);
    QFETCH(int, bars);
    QFETCH(int, start);
    QString error;
    const auto loop = AudioLoop::cut(decoded(clip), {clip.bpm, clip.firstDownbeat, bars, start}, &error);
    QVERIFY2(loop, qPrintable(error));
    QCOMPARE(loop->sampleRate, clip.sampleRate);
    QCOMPARE(loop->channels, clip.channels);

    // Exactly `bars` bars of four beats, rounded to a whole frame.
    const double barSeconds = 4 * 60.0 / clip.bpm;
    const auto frames = qint64(loop->samples.size()) / clip.channels;
    QCOMPARE(frames, std::llround(bars * barSeconds * clip.sampleRate));
    // From bar `start`: after the crossfade every sample is the take's, from the frame where that bar begins; the first
    // sample is the take's next one after the loop's end.
    const qint64 first = std::llround((clip.firstDownbeat + start * barSeconds) * clip.sampleRate);
    const auto fade = std::llround(AudioLoop::CrossfadeSeconds * clip.sampleRate);
    const auto c = std::size_t(clip.channels);
    for (qint64 i = fade; i < frames; ++i) {
        for (std::size_t channel = 0; channel < c; ++channel) {
            if (loop->samples[std::size_t(i) * c + channel] != clip.samples[std::size_t(first + i) * c + channel])
                QFAIL(qPrintable(u"frame %1 is not the take's frame %2"_s.arg(i).arg(first + i)));
        }
    }
    for (std::size_t channel = 0; channel < c; ++channel)
        QCOMPARE(loop->samples[channel], clip.samples[std::size_t(first + frames) * c + channel]);
}

void TestAudioLoop::wrapIsSeamless_data()
{
    QTest::addColumn<material::Clip>("clip");
    QTest::addColumn<bool>("endsWithLoop");
    // Sustained sounds (pads, strings, piano, bass) whose bars differ: a naive cut steps from one to another.
    const struct
    {
        const char* prompt;
        std::uint32_t seed;
    } takes[] = {
        {"ambient pad in C major at 70 bpm", 3},
        {"ambient pad in C major at 70 bpm", 11},
        {"lo-fi hip hop with a soothing piano and drums", 3},
        {"lo-fi hip hop with a soothing piano and drums", 11},
        {"house at 124 bpm in A minor with piano and pads", 11},
        {"cinematic strings, epic, in D minor", 11},
        {"drum and bass at 174 bpm in E minor", 3},
    };
    for (const auto& take : takes) {
        const material::Clip clip = material::sketch(take.prompt, 30, take.seed);
        QTest::addRow("%s, seed %u", take.prompt, take.seed) << clip << false;
        QTest::addRow("%s, seed %u, loop ending the take", take.prompt, take.seed) << clip << true;
    }
}

void TestAudioLoop::wrapIsSeamless()
{
    QFETCH(material::Clip, clip);
    QFETCH(bool, endsWithLoop);
    const AudioLoop::Bars bars{clip.bpm, clip.firstDownbeat, 4, 1};
    const AudioLoop::Span span = AudioLoop::span(bars, clip.sampleRate);
    if (endsWithLoop) // nothing after the loop: the tail flows into the audio before the head instead
        clip.samples.resize(std::size_t(span.first + span.frames) * std::size_t(clip.channels));
    const auto loop = AudioLoop::cut(decoded(clip), bars);
    QVERIFY(loop);

    // The measure hears the click a naive cut makes here...
    const LoopWrap::Continuity naive = LoopWrap::measure(naiveCut(clip, span), clip.channels);
    QVERIFY2(naive.score() > 1, qPrintable(u"naive cut scores %1"_s.arg(naive.score())));
    // ...and none in the loop: its wrap steps and bends no further than 99 % of its own samples do.
    const LoopWrap::Continuity wrap = LoopWrap::measure(loop->samples, clip.channels);
    QVERIFY2(wrap.score() <= 1, qPrintable(u"the wrap scores %1 (naive %2)"_s.arg(wrap.score()).arg(naive.score())));
    // The wrap is a step the take itself makes: from the loop's last bar into the next, or into the loop's first.
    const auto frames = std::size_t(span.frames);
    const auto into = std::size_t(endsWithLoop ? span.first : span.first + span.frames);
    QCOMPARE(loop->samples.front(), clip.samples[into]);
    QVERIFY(std::abs(loop->samples[frames - 1] - clip.samples[into - 1]) < 1e-6F);
}

void TestAudioLoop::aWholeTakeFadesThroughSilence()
{
    // Two bars and nothing around them: nothing to blend, so the tail fades out and the head in.
    material::Clip clip = material::chords(9, true, material::Progression::Cadence, 4.0, 120);
    const auto loop = AudioLoop::cut(decoded(clip), {120, 0, 2, 0});
    QVERIFY(loop);
    QCOMPARE(loop->samples.size(), clip.samples.size());
    QCOMPARE(loop->samples.front(), 0.0F);
    QCOMPARE(loop->samples.back(), 0.0F);
    QVERIFY(LoopWrap::measure(loop->samples, 1).score() <= 1);
}

void TestAudioLoop::refusesBarsTheTakeDoesNotHold_data()
{
    QTest::addColumn<double>("bpm");
    QTest::addColumn<int>("bars");
    QTest::addColumn<int>("start");
    QTest::addColumn<QString>("message");
    // 10.5 s at 120 BPM (2 s bars) from a downbeat at 0.25 s: bars 0 to 4, and a quarter of bar 5.
    QTest::newRow("no tempo") << 0.0 << 2 << 0 << u"the take has no tempo, so it has no bars to cut"_s;
    QTest::newRow("no bars") << 120.0 << 0 << 0
                             << u"a loop is one bar or more, counted from bar 0, the bar that begins at the first "
                                "downbeat"_s;
    QTest::newRow("past the end from bar 2")
        << 120.0 << 4 << 2
        << u"the take holds only 3 whole bars from bar 2 at 120 BPM: ask for 3 or fewer, or start at an earlier bar"_s;
    QTest::newRow("past the end from bar 0")
        << 120.0 << 6 << 0 << u"the take holds only 5 whole bars at 120 BPM: ask for 5 or fewer"_s;
    QTest::newRow("one bar left") << 120.0 << 2 << 4
                                  << u"the take holds only 1 whole bar from bar 4 at 120 BPM: ask for 1 or fewer, or "
                                     "start at an earlier bar"_s;
    QTest::newRow("start past the end")
        << 120.0 << 1 << 7 << u"the take holds 5 whole bars at 120 BPM, bars 0 to 4: start at one of those"_s;
    QTest::newRow("shorter than a bar")
        << 20.0 << 1 << 0
        << u"the take is shorter than one bar at 20 BPM from its first downbeat, so it has no bar to loop"_s;
}

void TestAudioLoop::refusesBarsTheTakeDoesNotHold()
{
    QFETCH(double, bpm);
    QFETCH(int, bars);
    QFETCH(int, start);
    QFETCH(QString, message);
    const material::Clip clip = material::drums(material::Groove::Rock, 120, 0, 10.5, 32000, 0.25);
    QString error;
    QVERIFY(!AudioLoop::cut(decoded(clip), {bpm, 0.25, bars, start}, &error));
    QCOMPARE(error, message);
}

void TestAudioLoop::wavLoopsInSamplersAndDaws_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<double>("bpm");
    QTest::addColumn<MusicalKey>("key");
    QTest::addColumn<int>("rootNote");
    QTest::newRow("mono, A minor") << 1 << 124.0 << MusicalKey{9, true} << 57;
    QTest::newRow("stereo, F# major") << 2 << 97.3 << MusicalKey{6, false} << 54;
    QTest::newRow("no key") << 1 << 174.0 << MusicalKey{} << -1;
}

void TestAudioLoop::wavLoopsInSamplersAndDaws()
{
    QFETCH(int, channels);
    QFETCH(double, bpm);
    QFETCH(MusicalKey, key);
    QFETCH(int, rootNote);
    material::Clip clip = material::drums(material::Groove::BoomBap, bpm, 0, 8, 32000, 0.1);
    if (channels == 2)
        clip = material::stereoAt(clip, 44100);
    for (float& sample : clip.samples)
        sample *= 0.5F; // within full scale, so that 16 bits hold every sample
    QVERIFY(*std::max_element(clip.samples.begin(), clip.samples.end()) < 1);
    const auto loop = AudioLoop::cut(decoded(clip), {bpm, 0.1, 2, 0});
    QVERIFY(loop);
    const auto frames = sf_count_t(loop->samples.size()) / channels;
    QCOMPARE(AudioLoop::rootNote(key), rootNote);
    QString error;
    const auto wav = AudioLoop::toWav(*loop, {bpm, 8, key}, &error);
    QVERIFY2(wav, qPrintable(error));

    // libsndfile: the samples, one forward loop over the whole file (its loop end is one past the last frame), and the
    // acid chunk as its loop info and as raw bytes.
    {
        SndFileMemory file(*wav);
        QVERIFY(file.isOpen());
        QCOMPARE(file.info().frames, frames);
        QCOMPARE(file.info().channels, channels);
        QCOMPARE(file.info().format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
        std::vector<float> samples(loop->samples.size());
        QCOMPARE(sf_readf_float(file.get(), samples.data(), frames), frames);
        for (std::size_t i = 0; i < samples.size(); ++i)
            QVERIFY(std::abs(samples[i] - loop->samples[i]) <= 1.0F / 32768);

        SF_INSTRUMENT instrument{};
        QCOMPARE(sf_command(file.get(), SFC_GET_INSTRUMENT, &instrument, sizeof instrument), SF_TRUE);
        QCOMPARE(instrument.loop_count, 1);
        QCOMPARE(instrument.loops[0].mode, int(SF_LOOP_FORWARD));
        QCOMPARE(instrument.loops[0].start, 0U);
        QCOMPARE(instrument.loops[0].end, quint32(frames));
        QCOMPARE(int(instrument.basenote), rootNote >= 0 ? rootNote : 60);

        SF_LOOP_INFO info{};
        QCOMPARE(sf_command(file.get(), SFC_GET_LOOP_INFO, &info, sizeof info), SF_TRUE);
        QCOMPARE(info.bpm, float(bpm));
        QCOMPARE(info.num_beats, 8);
        QCOMPARE(info.time_sig_num, short(4));
        QCOMPARE(info.time_sig_den, short(4));
        QCOMPARE(info.loop_mode, int(SF_LOOP_FORWARD));
        QCOMPARE(info.root_key, rootNote);

        SF_CHUNK_INFO wanted{};
        std::memcpy(wanted.id, "acid", 4);
        wanted.id_size = 4;
        SF_CHUNK_ITERATOR* iterator = sf_get_chunk_iterator(file.get(), &wanted);
        QVERIFY(iterator);
        SF_CHUNK_INFO chunk{};
        QCOMPARE(sf_get_chunk_size(iterator, &chunk), SF_ERR_NO_ERROR);
        QCOMPARE(chunk.datalen, 24U);
        QByteArray acid(24, '\0');
        chunk.data = acid.data();
        QCOMPARE(sf_get_chunk_data(iterator, &chunk), SF_ERR_NO_ERROR);
        // flags: stretch (0x04), root note set (0x02) with a key; never one-shot (0x01) or disk-based (0x08).
        QCOMPARE(u32(acid, 0), rootNote >= 0 ? 0x06U : 0x04U);
        QCOMPARE(u32(acid, 12), 8U);
        QCOMPARE(f32(acid, 20), float(bpm));
    }

    // A reader of its own: the chunks in the file's bytes, before the audio as RIFF readers expect them.
    QByteArrayList order;
    const auto chunks = riffChunks(*wav, &order);
    QCOMPARE(order, (QByteArrayList{"fmt ", "smpl", "acid", "data"}));
    const QByteArray smpl = chunks.at("smpl");
    QCOMPARE(smpl.size(), 36 + 24);
    QCOMPARE(u32(smpl, 8), quint32(1e9 / loop->sampleRate));         // sample period, whole ns
    QCOMPARE(u32(smpl, 12), quint32(rootNote >= 0 ? rootNote : 60)); // MIDI unity note
    QCOMPARE(u32(smpl, 28), 1U);                                     // loops
    QCOMPARE(u32(smpl, 36 + 4), 0U);                                 // forward
    QCOMPARE(u32(smpl, 36 + 8), 0U);                                 // from the first frame...
    QCOMPARE(u32(smpl, 36 + 12), quint32(frames - 1));               // ...to the last, inclusive
    QCOMPARE(u32(smpl, 36 + 20), 0U);                                // for ever
    const QByteArray acid = chunks.at("acid");
    QCOMPARE(acid.size(), 24);
    QCOMPARE(u16(acid, 4), quint16(std::max(rootNote, 0)));
    QCOMPARE(u16(acid, 16), quint16(4)); // meter denominator
    QCOMPARE(u16(acid, 18), quint16(4)); // meter numerator
    QCOMPARE(f32(acid, 20), float(bpm));

    // Tagged as every copy the app saves is (exports, favourites), the file keeps both chunks as they were.
    EmbeddedTags tags;
    tags.title = u"house loop"_s;
    tags.bpm = int(std::lround(bpm));
    tags.key = key.shortName();
    const auto tagged = AudioTags::write(*wav, tags, &error);
    QVERIFY2(tagged, qPrintable(error));
    const auto taggedChunks = riffChunks(*tagged);
    QCOMPARE(taggedChunks.at("smpl"), smpl);
    QCOMPARE(taggedChunks.at("acid"), acid);
    QCOMPARE(AudioTags::read(*tagged)->bpm, tags.bpm);
}

void TestAudioLoop::gridCountsTheBarsACutAccepts_data()
{
    QTest::addColumn<double>("bpm");
    QTest::addColumn<double>("downbeat");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("bars");
    QTest::newRow("120 BPM, 12 s, downbeat at 0.25 s") << 120.0 << 0.25 << 12.0 << 32000 << 5;
    QTest::newRow("120 BPM, bars that fill the take exactly") << 120.0 << 0.0 << 12.0 << 32000 << 6;
    QTest::newRow("123.45 BPM at 44.1 kHz") << 123.45 << 0.61 << 30.0 << 44100 << 15;
    QTest::newRow("a take shorter than a bar") << 120.0 << 0.0 << 1.6 << 32000 << 0;
}

void TestAudioLoop::gridCountsTheBarsACutAccepts()
{
    QFETCH(double, bpm);
    QFETCH(double, downbeat);
    QFETCH(double, seconds);
    QFETCH(int, sampleRate);
    QFETCH(int, bars);
    const auto frames = qint64(std::llround(seconds * sampleRate));
    const AudioLoop::Grid grid = AudioLoop::grid(bpm, downbeat, frames, sampleRate);
    QVERIFY(grid.isValid());
    QCOMPARE(grid.bars, bars);
    QCOMPARE(grid.lengthSeconds, seconds);
    QCOMPARE(grid.barSeconds(), 240.0 / bpm);
    QCOMPARE(grid.beatSeconds(), 60.0 / bpm);

    // The bars the grid counts are exactly those the cut takes: all of them, and not one more.
    const AudioCodec::Decoded take{std::vector<float>(size_t(frames), 0.25F), sampleRate, 1};
    if (bars > 0)
        QVERIFY(AudioLoop::cut(take, {bpm, downbeat, bars, 0}));
    QVERIFY(!AudioLoop::cut(take, {bpm, downbeat, bars + 1, 0}));

    QVERIFY(!AudioLoop::grid(0, downbeat, frames, sampleRate).isValid()); // no tempo
    QVERIFY(!AudioLoop::grid(bpm, downbeat, 0, sampleRate).isValid());    // no audio
}

void TestAudioLoop::regionsSnapToBarsThenBeats_data()
{
    QTest::addColumn<double>("bpm");
    QTest::addColumn<double>("downbeat");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    QTest::addColumn<int>("startBar");
    QTest::addColumn<int>("bars");
    QTest::addColumn<int>("beats");
    // At 120 BPM a bar is 2 s and a beat 0.5 s; the takes are 12 s long.
    QTest::newRow("two bars from bar 1") << 120.0 << 0.25 << 2.4 << 6.1 << 2.25 << 6.25 << 1 << 2 << 0;
    QTest::newRow("dragged leftwards") << 120.0 << 0.25 << 6.1 << 2.4 << 2.25 << 6.25 << 1 << 2 << 0;
    QTest::newRow("a hair past a bar line adds no bar") << 120.0 << 0.25 << 2.3 << 4.3 << 2.25 << 4.25 << 1 << 1 << 0;
    QTest::newRow("from before the first downbeat") << 120.0 << 0.25 << 0.0 << 1.5 << 0.25 << 2.25 << 0 << 1 << 0;
    QTest::newRow("past the last whole bar") << 120.0 << 0.25 << 8.0 << 12.0 << 8.25 << 10.25 << 4 << 1 << 0;
    QTest::newRow("under half a bar: beats") << 120.0 << 0.25 << 2.3 << 3.2 << 2.25 << 3.25 << 0 << 0 << 2;
    QTest::newRow("a sliver is one beat") << 120.0 << 0.25 << 2.3 << 2.35 << 2.25 << 2.75 << 0 << 0 << 1;
    QTest::newRow("beats before the first downbeat") << 120.0 << 0.8 << 0.2 << 0.6 << 0.3 << 0.8 << 0 << 0 << 1;
    QTest::newRow("a sliver at the very end") << 120.0 << 0.0 << 11.9 << 12.0 << 11.5 << 12.0 << 0 << 0 << 1;
    QTest::newRow("no tempo: as dragged") << 0.0 << 0.0 << 3.2 << 1.1 << 1.1 << 3.2 << 0 << 0 << 0;
}

void TestAudioLoop::regionsSnapToBarsThenBeats()
{
    QFETCH(double, bpm);
    QFETCH(double, downbeat);
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(int, startBar);
    QFETCH(int, bars);
    QFETCH(int, beats);
    const AudioLoop::Grid grid = AudioLoop::grid(bpm, downbeat, 12 * 32000, 32000);
    const AudioLoop::Region region = AudioLoop::snap(grid, from, to);
    QTEST(region.startSeconds, "start");
    QTEST(region.endSeconds, "end");
    QCOMPARE(region.startBar, startBar);
    QCOMPARE(region.bars, bars);
    QCOMPARE(region.beats, beats);
    if (bars > 0) // whole bars: exactly the audio a loop of those bars is cut from
        QCOMPARE(region.seconds(), AudioLoop::Bars({bpm, downbeat, bars, startBar}).seconds());
}

QTEST_GUILESS_MAIN(TestAudioLoop)
#include "tst_AudioLoop.moc"
