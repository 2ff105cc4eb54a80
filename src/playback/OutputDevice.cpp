#include "playback/OutputDevice.h"

#include <QMediaDevices>

namespace OutputDevice {

QAudioDevice find(const QByteArray& id)
{
    if (!id.isEmpty()) {
        for (const QAudioDevice& device : QMediaDevices::audioOutputs()) {
            if (device.id() == id)
                return device;
        }
    }
    return QMediaDevices::defaultAudioOutput();
}

} // namespace OutputDevice
