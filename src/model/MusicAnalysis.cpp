#include "model/MusicAnalysis.h"

#include <QCoreApplication>

#include <cmath>

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("MusicAnalysis", text);
}

} // namespace

QString MusicAnalysis::tempoText(double bpm)
{
    if (!(bpm > 0))
        return {};
    const double shown = std::round(bpm * 10.0) / 10.0;
    return QString::number(shown, 'f', shown == std::floor(shown) ? 0 : 1);
}

QStringList MusicAnalysis::inWords(std::optional<double> bpmByUser) const
{
    QStringList parts;
    if (bpmByUser)
        parts << tr("%1 BPM (yours; detected %2)").arg(tempoText(*bpmByUser), bpm > 0 ? tempoText(bpm) : tr("none"));
    else if (bpm > 0)
        parts << tr("%1 BPM (confidence %2)").arg(tempoText(bpm)).arg(bpmConfidence, 0, 'f', 2);
    else
        parts << tr("no tempo (%1)").arg(tempoNote.isEmpty() ? tr("no steady pulse") : tempoNote);
    parts << (key.isValid() ? tr("%1 (%2, %3)").arg(key.name(), key.shortName(), key.camelot()) : tr("no key"));
    if (loudnessLufs)
        parts
            << tr("%1 LUFS, true peak %2 dBTP").arg(*loudnessLufs, 0, 'f', 1).arg(truePeakDbtp.value_or(0), 0, 'f', 1);
    else
        parts << tr("silent");
    return parts;
}
