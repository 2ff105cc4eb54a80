#pragma once

#include <QtGlobal>

#include <mutex>
#include <vector>

/// The sound of a comparison: two to four takes, decoded to one rate and channel count, all advancing from one
/// position and mixed sample by sample, each at its gain (the slot heard at its own, the others at 0). A switch, a
/// gain, a pause or a seek takes effect at the next sample the output asks for, so what is heard changes once the
/// sound device's short buffer has played; and since every take runs on the same position, there is nothing to
/// keep in step.
///
/// Every change of level is a short ramp (RampMs): a switch crossfades the two takes, a pause fades out before the
/// position stops, a seek fades out, moves and fades back in. Nothing clicks.
///
/// Thread-safe: the output renders on its own thread while the comparison sets gains, pauses and seeks from the UI
/// thread. Each call holds the lock for microseconds (a render of 5 ms of four takes).
class CompareMixer
{
public:
    /// How long every change of level takes: short enough to sound like a cut, long enough not to click.
    static constexpr int RampMs = 5;

    /// Replaces the takes with `tracks`, each interleaved at `sampleRate` and `channels`. Paused at the start, every
    /// gain at 0 until set.
    void load(int sampleRate, int channels, std::vector<std::vector<float>> tracks);
    /// Lets go of the takes: renders silence.
    void clear();

    int sampleRate() const;
    int channels() const;
    /// The longest take's length, in frames.
    qint64 frames() const;

    /// The gain, linear, each take is to be heard at from now on; missing ones are 0. Reached over RampMs, or at
    /// once while nothing is heard (paused).
    void setGains(const std::vector<float>& gains);
    /// Plays on from the position, or fades out and holds it.
    void setPlaying(bool playing);
    bool isPlaying() const;
    /// Moves every take to `frame` (clamped to the longest): at once while paused, after a fade-out while playing.
    void seek(qint64 frame);
    /// The frame the mix has reached: rendered, not yet necessarily heard. A seek waiting for its fade-out counts as
    /// made.
    qint64 position() const;
    /// The longest take played to its end: the mix stopped there (not playing, position at the end).
    bool reachedEnd() const;

    /// Fills `out` with `frames` frames of the mix (channels interleaved) and moves the position on by the frames
    /// that played.
    void render(float* out, qint64 frames);

private:
    /// RampMs in frames (at least one).
    int rampFrames() const;

    mutable std::mutex m_mutex;
    int m_sampleRate = 0;
    int m_channels = 0;
    std::vector<std::vector<float>> m_tracks;
    std::vector<float> m_gain;       ///< each take's level now
    std::vector<float> m_targetGain; ///< where setGains() sent it
    std::vector<float> m_gainStep;   ///< per frame, for the ramp under way
    std::vector<int> m_gainLeft;     ///< frames left of that ramp: counted, so float steps never fall short
    qint64 m_frames = 0;
    qint64 m_position = 0;
    qint64 m_seekTo = -1; ///< a seek waiting for the fade-out; -1: none
    bool m_playing = false;
    bool m_reachedEnd = false;
    int m_fade = 0; ///< 0 silent and held … rampFrames() playing: the ramp for pause, play and seek
};
