#include "gui/player/WaveformView.h"

#include "model/MusicAnalysis.h"

#include <QApplication>
#include <QDrag>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QUrl>

#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

WaveformView::WaveformView(QWidget* parent) : QWidget(parent)
{
    setObjectName(u"waveformView"_s);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setMouseTracking(true); // the hand over a region that drags out
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

void WaveformView::setGrid(const AudioLoop::Grid& grid)
{
    m_grid = grid;
    m_dragged.reset();
    m_gesture = Gesture::None;
    settle(std::nullopt);
    update();
}

QString WaveformView::regionText() const
{
    return m_region ? textOf(*m_region) : QString();
}

QString WaveformView::textOf(const AudioLoop::Region& region) const
{
    const QString tempo = tr("%1 BPM").arg(MusicAnalysis::tempoText(m_grid.bpm));
    if (region.bars > 0)
        return (region.bars == 1 ? tr("1 bar") : tr("%1 bars").arg(region.bars)) + u" · "_s + tempo;
    if (region.beats > 0)
        return (region.beats == 1 ? tr("1 beat") : tr("%1 beats").arg(region.beats)) + u" · "_s + tempo;
    return tr("%1 s").arg(QLocale().toString(region.seconds(), 'f', 1));
}

void WaveformView::clearRegion()
{
    settle(std::nullopt);
}

void WaveformView::setRegionFile(const QString& path)
{
    m_regionFile = m_region ? path : QString();
}

void WaveformView::settle(const std::optional<AudioLoop::Region>& region)
{
    if (region == m_region)
        return;
    m_region = region;
    m_regionFile.clear();
    setAccessibleDescription(regionText());
    update();
    emit regionChanged(m_region);
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
    if (const std::optional<AudioLoop::Region>& shown = m_dragged ? m_dragged : m_region)
        drawRegion(painter, *shown, area);
    painter.setPen(QPen(palette().color(QPalette::Text), 1));
    painter.drawLine(playheadX, area.top(), playheadX, area.bottom());
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DotLine));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void WaveformView::drawRegion(QPainter& painter, const AudioLoop::Region& region, const QRect& area) const
{
    const int left = xAt(region.startSeconds), right = xAt(region.endSeconds);
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlpha(60);
    painter.fillRect(QRect(QPoint(left, 0), QPoint(right, height() - 1)), tint);

    // Its bar lines (beat lines for a region of beats), edges included: where the loop will wrap.
    QColor line = palette().color(QPalette::Highlight);
    line.setAlpha(170);
    painter.setPen(QPen(line, 1));
    const int divisions = region.bars > 0 ? region.bars : std::max(region.beats, 1);
    for (int i = 0; i <= divisions; ++i) {
        const int x = xAt(region.startSeconds + region.seconds() * i / divisions);
        painter.drawLine(x, area.top(), x, area.bottom());
    }

    const QString text = textOf(region);
    QRect box = fontMetrics().boundingRect(text).adjusted(-3, -1, 3, 1);
    box.moveTopLeft(QPoint(std::min(left + 2, width() - box.width()), area.top() + 1));
    QColor behind = palette().color(QPalette::Base);
    behind.setAlpha(210);
    painter.fillRect(box, behind);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(box, Qt::AlignCenter, text);
}

qint64 WaveformView::positionAt(int x) const
{
    if (width() <= 0)
        return 0;
    return std::clamp<qint64>(qint64(double(x) / width() * double(m_duration)), 0, m_duration);
}

int WaveformView::xAt(double seconds) const
{
    return m_duration > 0 ? int(std::lround(seconds * 1000.0 / double(m_duration) * width())) : 0;
}

AudioLoop::Region WaveformView::regionBetween(int fromX, int toX, bool free) const
{
    const double from = double(positionAt(fromX)) / 1000.0, to = double(positionAt(toX)) / 1000.0;
    return free ? AudioLoop::snap({}, from, to) : regionOf(from, to);
}

AudioLoop::Region WaveformView::regionOf(double fromSeconds, double toSeconds) const
{
    const double length = double(m_duration) / 1000.0;
    return AudioLoop::snap(m_grid, std::clamp(fromSeconds, 0.0, length), std::clamp(toSeconds, 0.0, length));
}

bool WaveformView::insideRegion(int x) const
{
    return m_region && x >= xAt(m_region->startSeconds) && x <= xAt(m_region->endSeconds);
}

void WaveformView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_duration <= 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_gesture = Gesture::Pressed;
    m_pressX = event->position().toPoint().x();
    m_pressedOnFile = !m_regionFile.isEmpty() && insideRegion(m_pressX);
}

void WaveformView::mouseMoveEvent(QMouseEvent* event)
{
    const int x = event->position().toPoint().x();
    if (!(event->buttons() & Qt::LeftButton) || m_gesture == Gesture::None) {
        if (!m_regionFile.isEmpty() && insideRegion(x))
            setCursor(Qt::OpenHandCursor);
        else
            unsetCursor();
        return;
    }
    if (m_gesture == Gesture::Pressed) {
        if (!m_regionsEnabled || std::abs(x - m_pressX) < QApplication::startDragDistance())
            return;
        if (m_pressedOnFile) {
            m_gesture = Gesture::None;
            dragOut();
            return;
        }
        m_gesture = Gesture::Selecting;
    }
    m_dragged = regionBetween(m_pressX, x, event->modifiers() & Qt::ShiftModifier);
    update();
}

void WaveformView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    const int x = event->position().toPoint().x();
    const Gesture gesture = std::exchange(m_gesture, Gesture::None);
    if (gesture == Gesture::Selecting) {
        m_dragged.reset();
        const AudioLoop::Region region = regionBetween(m_pressX, x, event->modifiers() & Qt::ShiftModifier);
        settle(region.seconds() > 0 ? std::optional(region) : std::nullopt);
    } else if (gesture == Gesture::Pressed) {
        if (!insideRegion(x))
            settle(std::nullopt);
        emit seekRequested(positionAt(x));
    }
}

void WaveformView::dragOut()
{
    const QString path = m_regionFile;
    auto* urls = new QMimeData;
    urls->setUrls({QUrl::fromLocalFile(path)});
    auto* drag = new QDrag(this);
    drag->setMimeData(urls);
    const QRect shown(QPoint(xAt(m_region->startSeconds), 0), QPoint(xAt(m_region->endSeconds), height() - 1));
    drag->setPixmap(grab(shown).scaledToHeight(std::min(height(), 48), Qt::SmoothTransformation));
    if (drag->exec(Qt::CopyAction) != Qt::IgnoreAction)
        emit regionFileDropped(path);
}

void WaveformView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape && m_region) {
        settle(std::nullopt);
        return;
    }
    if (m_duration > 0 && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)) {
        const int direction = event->key() == Qt::Key_Left ? -1 : 1;
        if (event->modifiers() & Qt::ShiftModifier && m_regionsEnabled)
            stepRegion(direction);
        else
            emit seekRequested(std::clamp<qint64>(m_position + direction * 1000, 0, m_duration));
        return;
    }
    QWidget::keyPressEvent(event);
}

void WaveformView::stepRegion(int direction)
{
    const double step = m_grid.isValid() ? m_grid.barSeconds() : 1.0;
    if (!m_region) {
        const double origin = m_grid.isValid() ? m_grid.downbeatSeconds : 0.0;
        const double at = double(m_position) / 1000.0;
        const double start = origin + std::max(0.0, std::floor((at - origin) / step)) * step;
        settle(regionOf(start, start + step));
        return;
    }
    const double end = m_region->endSeconds + direction * step;
    if (end - m_region->startSeconds < step * 0.999)
        return; // one bar (one second) is as short as the keys make it
    settle(regionOf(m_region->startSeconds, end));
}
