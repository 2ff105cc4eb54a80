#include "gui/history/HistoryList.h"

#include <QKeyEvent>

#include <utility>

namespace {

bool isBrowsingKey(const QKeyEvent* event)
{
    if ((event->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier)
        return false; // Shift and Ctrl extend or keep a selection: the musician is choosing, not listening
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End: return true;
    default: return false;
    }
}

} // namespace

void HistoryList::keyPressEvent(QKeyEvent* event)
{
    const QPersistentModelIndex before = currentIndex();
    QListView::keyPressEvent(event);
    if (!isBrowsingKey(event) || currentIndex() == before || !currentIndex().isValid())
        return;
    // Auditioning every take a held key races past would load each one into the player for a few milliseconds.
    if (event->isAutoRepeat())
        m_heldMove = true;
    else
        emit browsed(currentIndex());
}

void HistoryList::keyReleaseEvent(QKeyEvent* event)
{
    if (!event->isAutoRepeat() && std::exchange(m_heldMove, false) && currentIndex().isValid())
        emit browsed(currentIndex());
    QListView::keyReleaseEvent(event);
}
