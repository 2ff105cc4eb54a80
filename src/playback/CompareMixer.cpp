#include "playback/CompareMixer.h"

#include <algorithm>
#include <utility>

void CompareMixer::load(int sampleRate, int channels, std::vector<std::vector<float>> tracks)
{
    const std::lock_guard lock(m_mutex);
    m_sampleRate = sampleRate;
    m_channels = channels;
    m_tracks = std::move(tracks);
    m_frames = 0;
    for (const std::vector<float>& track : m_tracks)
        m_frames = std::max(m_frames, qint64(track.size()) / std::max(1, channels));
    m_gain.assign(m_tracks.size(), 0.0F);
    m_targetGain.assign(m_tracks.size(), 0.0F);
    m_gainStep.assign(m_tracks.size(), 0.0F);
    m_gainLeft.assign(m_tracks.size(), 0);
    m_position = 0;
    m_seekTo = -1;
    m_playing = false;
    m_reachedEnd = false;
    m_fade = 0;
}

void CompareMixer::clear()
{
    // The rate and channels stay: an output still running renders silence in the format it was started with.
    load(sampleRate(), channels(), {});
}

int CompareMixer::sampleRate() const
{
    const std::lock_guard lock(m_mutex);
    return m_sampleRate;
}

int CompareMixer::channels() const
{
    const std::lock_guard lock(m_mutex);
    return m_channels;
}

qint64 CompareMixer::frames() const
{
    const std::lock_guard lock(m_mutex);
    return m_frames;
}

void CompareMixer::setGains(const std::vector<float>& gains)
{
    const std::lock_guard lock(m_mutex);
    for (size_t i = 0; i < m_tracks.size(); ++i) {
        m_targetGain[i] = i < gains.size() ? std::max(0.0F, gains[i]) : 0.0F;
        // Nothing is heard while faded out: the new levels can simply be there when the sound comes back.
        m_gainLeft[i] = m_fade == 0 ? 0 : rampFrames();
        if (m_gainLeft[i] == 0)
            m_gain[i] = m_targetGain[i];
        else
            m_gainStep[i] = (m_targetGain[i] - m_gain[i]) / float(m_gainLeft[i]);
    }
}

void CompareMixer::setPlaying(bool playing)
{
    const std::lock_guard lock(m_mutex);
    m_playing = playing && m_frames > 0;
    if (m_playing && std::exchange(m_reachedEnd, false))
        m_position = 0;
}

bool CompareMixer::isPlaying() const
{
    const std::lock_guard lock(m_mutex);
    return m_playing;
}

void CompareMixer::seek(qint64 frame)
{
    const std::lock_guard lock(m_mutex);
    const qint64 to = std::clamp<qint64>(frame, 0, m_frames);
    m_reachedEnd = false;
    if (m_fade == 0) {
        m_position = to;
        m_seekTo = -1;
    } else {
        m_seekTo = to;
    }
}

qint64 CompareMixer::position() const
{
    const std::lock_guard lock(m_mutex);
    return m_seekTo >= 0 ? m_seekTo : m_position;
}

bool CompareMixer::reachedEnd() const
{
    const std::lock_guard lock(m_mutex);
    return m_reachedEnd;
}

int CompareMixer::rampFrames() const
{
    return std::max(1, RampMs * m_sampleRate / 1000);
}

void CompareMixer::render(float* out, qint64 frames)
{
    const std::lock_guard lock(m_mutex);
    const auto channels = size_t(std::max(1, m_channels));
    std::fill(out, out + frames * qint64(channels), 0.0F);
    const int ramp = rampFrames();
    for (qint64 frame = 0; frame < frames; ++frame) {
        m_fade = m_playing && m_seekTo < 0 ? std::min(ramp, m_fade + 1) : std::max(0, m_fade - 1);
        if (m_fade == 0) {
            // Faded out: a seek waiting for that is made now, where nobody hears it; the levels are where they were
            // sent; a pause holds the position.
            if (m_seekTo >= 0)
                m_position = std::exchange(m_seekTo, -1);
            for (size_t i = 0; i < m_gain.size(); ++i) {
                m_gain[i] = m_targetGain[i];
                m_gainLeft[i] = 0;
            }
            if (!m_playing)
                return;
            continue;
        }
        const float fade = float(m_fade) / float(ramp);
        float* into = out + frame * qint64(channels);
        const auto at = size_t(m_position) * channels;
        for (size_t i = 0; i < m_tracks.size(); ++i) {
            if (m_gainLeft[i] > 0)
                m_gain[i] = --m_gainLeft[i] == 0 ? m_targetGain[i] : m_gain[i] + m_gainStep[i];
            const float gain = m_gain[i] * fade;
            const std::vector<float>& track = m_tracks[i];
            if (gain == 0 || at + channels > track.size())
                continue;
            for (size_t c = 0; c < channels; ++c)
                into[c] += gain * track[at + c];
        }
        if (++m_position >= m_frames) {
            // The longest take has ended: the mix stops there, its last sample its own end.
            m_playing = false;
            m_reachedEnd = true;
            m_fade = 0;
            return;
        }
    }
}
