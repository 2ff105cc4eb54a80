#include "gui/player/PeaksCache.h"

#include "platform/AtomicFile.h"

#include <QFutureWatcher>
#include <QtConcurrentRun>

#include <optional>

void PeaksCache::request(const QString& id, const QString& path, std::function<void(const AudioCodec::Peaks&)> done)
{
    if (const auto kept = m_peaks.constFind(id); kept != m_peaks.cend()) {
        done(*kept);
        return;
    }
    auto* watcher = new QFutureWatcher<std::optional<AudioCodec::Peaks>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, done = std::move(done)] {
        watcher->deleteLater();
        const std::optional<AudioCodec::Peaks> peaks = watcher->result();
        if (!peaks)
            return;
        if (m_peaks.size() >= Kept)
            m_peaks.clear();
        m_peaks.insert(id, *peaks);
        done(*peaks);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        const std::optional<QByteArray> audio = AtomicFile::read(path);
        return audio ? AudioCodec::peaks(*audio, Buckets) : std::nullopt;
    }));
}
