#include "gui/player/WaveformView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

using namespace Qt::StringLiterals;

WaveformView::WaveformView(QWidget* parent) : QWidget(parent)
{
    setObjectName(u"waveformView"_s);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void WaveformView::setPeaks(const AudioCodec::Peaks& peaks)
{
    m_peaks = peaks;
    update();
}

void WaveformView::setDuration(qint64 ms)
{
    m_duration = ms;
    update();
}

void WaveformView::setPosition(qint64 ms)
{
    if (ms == m_position)
        return;
    m_position = ms;
    update();
}

void WaveformView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRect area = rect().adjusted(0, 2, 0, -2);
    painter.fillRect(rect(), palette().base());
    const int middle = area.center().y();
    const double halfHeight = area.height() / 2.0;
    const qsizetype buckets = m_peaks.maximum.size();
    const int playheadX = m_duration > 0 ? int(double(m_position) / double(m_duration) * width()) : 0;
    if (buckets == 0) {
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawLine(0, middle, width(), middle);
        return;
    }
    const QColor played = palette().color(QPalette::Highlight);
    const QColor ahead = palette().color(QPalette::Mid);
    for (int x = 0; x < width(); ++x) {
        // Each pixel column shows the extremes of the buckets it covers.
        const qsizetype first = x * buckets / width();
        const qsizetype last = std::max(first + 1, (x + 1) * buckets / width());
        float low = 0, high = 0;
        for (qsizetype b = first; b < last && b < buckets; ++b) {
            low = std::min(low, m_peaks.minimum[b]);
            high = std::max(high, m_peaks.maximum[b]);
        }
        painter.setPen(x < playheadX ? played : ahead);
        painter.drawLine(x, int(middle - high * halfHeight), x, int(middle - low * halfHeight));
    }
    painter.setPen(QPen(palette().color(QPalette::Text), 1));
    painter.drawLine(playheadX, area.top(), playheadX, area.bottom());
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DotLine));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

qint64 WaveformView::positionAt(int x) const
{
    if (width() <= 0)
        return 0;
    return std::clamp<qint64>(qint64(double(x) / width() * double(m_duration)), 0, m_duration);
}

void WaveformView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_duration > 0)
        emit seekRequested(positionAt(event->position().toPoint().x()));
}

void WaveformView::mouseMoveEvent(QMouseEvent* event)
{
    if ((event->buttons() & Qt::LeftButton) && m_duration > 0)
        emit seekRequested(positionAt(event->position().toPoint().x()));
}

void WaveformView::keyPressEvent(QKeyEvent* event)
{
    if (m_duration > 0 && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)) {
        const qint64 step = event->key() == Qt::Key_Left ? -1000 : 1000;
        emit seekRequested(std::clamp<qint64>(m_position + step, 0, m_duration));
        return;
    }
    QWidget::keyPressEvent(event);
}
