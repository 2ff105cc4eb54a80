#pragma once

#include <QAudioDevice>
#include <QByteArray>

/// The sound output chosen in Settings, for both the window's player and the comparison.
namespace OutputDevice {

/// The output whose id is `id`; the system default when `id` is empty or names no output present now (one
/// unplugged since it was chosen, say). Null when there is no output at all.
QAudioDevice find(const QByteArray& id);

} // namespace OutputDevice
