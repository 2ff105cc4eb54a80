#pragma once

#include "playback/PlayerBackend.h"

#include <QObject>
#include <QString>

/// Playback as the window sees it: which take is loaded, play/pause/stop, seeking, looping and volume. The
/// logic lives here, over a PlayerBackend, so it is tested with a fake backend and QSignalSpy.
class Player final : public QObject
{
    Q_OBJECT

public:
    /// Takes ownership of `backend`.
    explicit Player(PlayerBackend* backend, QObject* parent = nullptr);

    /// Loads a take's audio file; plays at once when `autoPlay`.
    void load(const QString& takeId, const QString& audioPath, bool autoPlay);
    QString currentTakeId() const { return m_takeId; }

    void play();
    void pause();
    void togglePlayPause();
    void stop();
    void seek(qint64 ms);
    void setLoop(bool loop);
    bool loops() const { return m_loop; }
    void setVolume(int percent); ///< 0..100, shaped so the slider feels even
    int volume() const { return m_volume; }
    void setOutputDevice(const QByteArray& id);

    PlayerBackend::State state() const { return m_state; }
    qint64 position() const { return m_position; }
    qint64 duration() const { return m_backend->duration(); }

signals:
    void takeLoaded(const QString& takeId);
    void stateChanged(PlayerBackend::State state);
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    void failed(const QString& message);
    /// The volume changed, from the window's slider or from the desktop's media controls.
    void volumeChanged(int percent);

private:
    PlayerBackend* m_backend;
    QString m_takeId;
    PlayerBackend::State m_state = PlayerBackend::State::Stopped;
    qint64 m_position = 0;
    int m_volume = 80;
    bool m_loop = false;
};
