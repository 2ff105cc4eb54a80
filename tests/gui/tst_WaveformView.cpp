#include "gui/player/WaveformView.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <cstdlib>

/// The waveform with its playhead: what it draws from peaks, and seeking by click, drag and arrow keys.
class TestWaveformView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void clickAndDragSeekWhereThePointerIs();
    void arrowKeysStepBySecondsWithinTheTake();
    void nothingSeeksBeforeATakeIsLoaded();
    void drawsThePeaksPlayedAndAhead();

private:
    /// How many pixels of column `x` have `colour`.
    static int pixelsIn(const QImage& image, int x, const QColor& colour);

    std::unique_ptr<WaveformView> m_view;
};

void TestWaveformView::init()
{
    m_view = std::make_unique<WaveformView>();
    m_view->resize(400, 80);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestWaveformView::cleanup()
{
    m_view.reset();
}

void TestWaveformView::clickAndDragSeekWhereThePointerIs()
{
    m_view->setDuration(10'000);
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(100, 40));
    QCOMPARE(seek.size(), 1);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 2'500);

    QTest::mousePress(m_view.get(), Qt::LeftButton, {}, QPoint(200, 40));
    QMouseEvent drag(QEvent::MouseMove, QPointF(300, 40), m_view->mapToGlobal(QPointF(300, 40)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_view.get(), &drag);
    QTest::mouseRelease(m_view.get(), Qt::LeftButton, {}, QPoint(300, 40));
    QCOMPARE(seek.size(), 3);
    QCOMPARE(seek.at(1).constFirst().toLongLong(), 5'000);
    QCOMPARE(seek.at(2).constFirst().toLongLong(), 7'500);

    // Past the right edge is the end, never beyond it.
    QMouseEvent beyond(QEvent::MouseMove, QPointF(900, 40), m_view->mapToGlobal(QPointF(900, 40)), Qt::NoButton,
                       Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_view.get(), &beyond);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 10'000);
}

void TestWaveformView::arrowKeysStepBySecondsWithinTheTake()
{
    m_view->setDuration(3'000);
    m_view->setPosition(2'500);
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    QTest::keyClick(m_view.get(), Qt::Key_Left);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 1'500);
    QTest::keyClick(m_view.get(), Qt::Key_Right);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 3'000); // clamped to the end
    m_view->setPosition(400);
    QTest::keyClick(m_view.get(), Qt::Key_Left);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 0);
    QCOMPARE(seek.size(), 3);
}

void TestWaveformView::nothingSeeksBeforeATakeIsLoaded()
{
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(100, 40));
    QTest::keyClick(m_view.get(), Qt::Key_Right);
    QCOMPARE(seek.size(), 0);
}

int TestWaveformView::pixelsIn(const QImage& image, int x, const QColor& colour)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        count += image.pixel(x, y) == colour.rgba() ? 1 : 0;
    return count;
}

void TestWaveformView::drawsThePeaksPlayedAndAhead()
{
    m_view->clearFocus();
    const QColor base = m_view->palette().color(QPalette::Base);
    const QColor played = m_view->palette().color(QPalette::Highlight);
    const QColor ahead = m_view->palette().color(QPalette::Mid);

    // No peaks yet: only a flat line through the middle.
    const QImage empty = m_view->grab().toImage();
    const int height = empty.height();
    QCOMPARE(pixelsIn(empty, 50, ahead), 1);
    QCOMPARE(pixelsIn(empty, 50, base), height - 1);
    int lineAt = 0;
    while (lineAt < height && empty.pixel(50, lineAt) != ahead.rgba())
        ++lineAt;
    QVERIFY2(std::abs(lineAt - height / 2) <= 2, qPrintable(QString::number(lineAt)));

    // Loud in the first half, silent in the second; the first quarter has been played.
    AudioCodec::Peaks peaks;
    for (int i = 0; i < 100; ++i) {
        const float level = i < 50 ? 0.9F : 0.0F;
        peaks.minimum.append(-level);
        peaks.maximum.append(level);
    }
    m_view->setPeaks(peaks);
    m_view->setDuration(4'000);
    m_view->setPosition(1'000);
    const QImage drawn = m_view->grab().toImage();
    QVERIFY(pixelsIn(drawn, 50, played) > height * 3 / 4); // loud and played: a tall line in the played colour
    QCOMPARE(pixelsIn(drawn, 50, ahead), 0);
    QVERIFY(pixelsIn(drawn, 150, ahead) > height * 3 / 4); // loud, not yet played
    QCOMPARE(pixelsIn(drawn, 150, played), 0);
    QCOMPARE(pixelsIn(drawn, 300, base), height - 1); // silence: one dot on the middle line
    QVERIFY(pixelsIn(drawn, 100, m_view->palette().color(QPalette::Text)) > height * 3 / 4); // the playhead
}

QTEST_MAIN(TestWaveformView)
#include "tst_WaveformView.moc"
