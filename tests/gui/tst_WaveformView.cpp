#include "gui/player/WaveformView.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

/// A mouse move over `widget` at `at` with the left button held.
void moveHeld(QWidget* widget, QPoint at, Qt::KeyboardModifiers modifiers = {})
{
    QMouseEvent move(QEvent::MouseMove, QPointF(at), widget->mapToGlobal(QPointF(at)), Qt::NoButton, Qt::LeftButton,
                     modifiers);
    QApplication::sendEvent(widget, &move);
}

} // namespace

/// The waveform with its playhead: what it draws from peaks, seeking by click and arrow keys, and regions: dragged,
/// snapped to the take's bars, labelled, cleared, chosen with the keys, and dragged out as a file.
class TestWaveformView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aClickSeeksADragChoosesARegion();
    void arrowKeysStepBySecondsWithinTheTake();
    void nothingSeeksBeforeATakeIsLoaded();
    void drawsThePeaksPlayedAndAhead();
    void regionsSnapToBarsAndBeats_data();
    void regionsSnapToBarsAndBeats();
    void escAClickOutsideOrANewTakeClearTheRegion();
    void shiftArrowsChooseBarsFromThePlayhead();
    void drawsTheRegionWithItsLabel();
    void aRegionWithAFileDragsOut();

private:
    /// How many pixels of column `x` have `colour`.
    static int pixelsIn(const QImage& image, int x, const QColor& colour);
    /// Presses at `fromX`, moves to `toX` and lets go there, holding `modifiers` while moving.
    void drag(int fromX, int toX, Qt::KeyboardModifiers modifiers = {});
    /// A 12 s take at 120 BPM (2 s bars, 0.5 s beats) whose first downbeat is at 0.25 s: 5 whole bars.
    void loadTakeWithBars();

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

void TestWaveformView::drag(int fromX, int toX, Qt::KeyboardModifiers modifiers)
{
    QTest::mousePress(m_view.get(), Qt::LeftButton, {}, QPoint(fromX, 40));
    for (int step = 1; step <= 4; ++step)
        moveHeld(m_view.get(), QPoint(fromX + (toX - fromX) * step / 4, 40), modifiers);
    QTest::mouseRelease(m_view.get(), Qt::LeftButton, modifiers, QPoint(toX, 40));
}

void TestWaveformView::loadTakeWithBars()
{
    m_view->setDuration(12'000);
    m_view->setGrid(AudioLoop::grid(120, 0.25, 12 * 32000, 32000));
    QCOMPARE(m_view->grid().bars, 5);
}

void TestWaveformView::aClickSeeksADragChoosesARegion()
{
    m_view->setDuration(10'000);
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    QSignalSpy region(m_view.get(), &WaveformView::regionChanged);
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(100, 40));
    QCOMPARE(seek.size(), 1);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 2'500);
    // A hand that wobbles a pixel or two still clicks.
    QTest::mousePress(m_view.get(), Qt::LeftButton, {}, QPoint(300, 40));
    moveHeld(m_view.get(), QPoint(302, 40));
    QTest::mouseRelease(m_view.get(), Qt::LeftButton, {}, QPoint(302, 40));
    QCOMPARE(seek.size(), 2);
    QCOMPARE(seek.constLast().constFirst().toLongLong(), 7'550);
    QCOMPARE(region.size(), 0);

    // Dragged: a region (this take has no tempo, so as dragged), and the playhead stays where it was.
    drag(200, 300);
    QCOMPARE(seek.size(), 2);
    QCOMPARE(region.size(), 1);
    const auto chosen = region.constFirst().constFirst().value<std::optional<AudioLoop::Region>>();
    QVERIFY(chosen);
    QCOMPARE(chosen, m_view->region());
    QCOMPARE(chosen->startSeconds, 5.0);
    QCOMPARE(chosen->endSeconds, 7.5);
    QCOMPARE(chosen->bars, 0);
    QCOMPARE(m_view->regionText(), u"2.5 s"_s);

    // Past the right edge is the end, never beyond it; leftwards is the same region.
    drag(900, 300);
    QCOMPARE(m_view->region()->startSeconds, 7.5);
    QCOMPARE(m_view->region()->endSeconds, 10.0);
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

void TestWaveformView::regionsSnapToBarsAndBeats_data()
{
    QTest::addColumn<int>("fromX");
    QTest::addColumn<int>("toX");
    QTest::addColumn<bool>("shift");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    QTest::addColumn<int>("startBar");
    QTest::addColumn<int>("bars");
    QTest::addColumn<QString>("text");
    // 400 pixels for 12 s, 30 ms a pixel: x 80 is 2.4 s, x 203 is 6.09 s.
    QTest::newRow("bars 1 and 2") << 80 << 203 << false << 2.25 << 6.25 << 1 << 2 << u"2 bars · 120 BPM"_s;
    QTest::newRow("dragged leftwards") << 203 << 80 << false << 2.25 << 6.25 << 1 << 2 << u"2 bars · 120 BPM"_s;
    QTest::newRow("from the very start: bar 0") << 0 << 70 << false << 0.25 << 2.25 << 0 << 1 << u"1 bar · 120 BPM"_s;
    QTest::newRow("under half a bar: beats") << 80 << 107 << false << 2.25 << 3.25 << 0 << 0 << u"2 beats · 120 BPM"_s;
    QTest::newRow("Shift: as dragged") << 80 << 200 << true << 2.4 << 6.0 << 0 << 0 << u"3.6 s"_s;
}

void TestWaveformView::regionsSnapToBarsAndBeats()
{
    QFETCH(int, fromX);
    QFETCH(int, toX);
    QFETCH(bool, shift);
    loadTakeWithBars();
    QSignalSpy changed(m_view.get(), &WaveformView::regionChanged);
    drag(fromX, toX, shift ? Qt::ShiftModifier : Qt::NoModifier);
    QCOMPARE(changed.size(), 1);
    const std::optional<AudioLoop::Region> region = m_view->region();
    QVERIFY(region);
    QTEST(region->startSeconds, "start");
    QTEST(region->endSeconds, "end");
    QTEST(region->startBar, "startBar");
    QTEST(region->bars, "bars");
    QTEST(m_view->regionText(), "text");
    QCOMPARE(m_view->accessibleDescription(), m_view->regionText());
}

void TestWaveformView::escAClickOutsideOrANewTakeClearTheRegion()
{
    loadTakeWithBars();
    QSignalSpy changed(m_view.get(), &WaveformView::regionChanged);
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    drag(80, 203);
    QVERIFY(m_view->region());

    // A click inside the region seeks and leaves it be; outside, it seeks and clears it.
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(150, 40));
    QCOMPARE(seek.size(), 1);
    QVERIFY(m_view->region());
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(350, 40));
    QCOMPARE(seek.size(), 2);
    QVERIFY(!m_view->region());
    QCOMPARE(changed.size(), 2);
    QVERIFY(!changed.constLast().constFirst().value<std::optional<AudioLoop::Region>>());
    QVERIFY(m_view->regionText().isEmpty());

    drag(80, 203);
    QTest::keyClick(m_view.get(), Qt::Key_Escape);
    QVERIFY(!m_view->region());
    QCOMPARE(changed.size(), 4);

    // Another take (or another tempo): the bars it was cut to are gone.
    drag(80, 203);
    m_view->setRegionFile(u"/tmp/loop.wav"_s);
    m_view->setGrid(AudioLoop::grid(90, 0.1, 12 * 32000, 32000));
    QVERIFY(!m_view->region());
    QVERIFY(m_view->regionFile().isEmpty());
    QCOMPARE(changed.size(), 6);
    m_view->setGrid({});
    QCOMPARE(changed.size(), 6); // nothing to clear, nothing said
}

void TestWaveformView::shiftArrowsChooseBarsFromThePlayhead()
{
    loadTakeWithBars();
    m_view->setPosition(5'000); // in bar 2, which starts at 4.25 s
    QSignalSpy seek(m_view.get(), &WaveformView::seekRequested);
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QVERIFY(m_view->region());
    QCOMPARE(m_view->region()->startBar, 2);
    QCOMPARE(m_view->region()->bars, 1);
    QCOMPARE(m_view->region()->startSeconds, 4.25);
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(m_view->regionText(), u"3 bars · 120 BPM"_s);
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier); // the take holds bars 0 to 4: no further
    QCOMPARE(m_view->region()->bars, 3);
    QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::ShiftModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::ShiftModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::ShiftModifier); // one bar is as short as the keys go
    QCOMPARE(m_view->region()->bars, 1);
    QCOMPARE(m_view->region()->startBar, 2);
    QCOMPARE(seek.size(), 0);

    // Without a tempo, seconds.
    m_view->setGrid({});
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(m_view->region()->startSeconds, 5.0);
    QCOMPARE(m_view->region()->endSeconds, 7.0);
    QCOMPARE(m_view->regionText(), u"2.0 s"_s);
}

void TestWaveformView::drawsTheRegionWithItsLabel()
{
    m_view->clearFocus();
    AudioCodec::Peaks silence;
    silence.minimum.fill(0.0F, 100);
    silence.maximum.fill(0.0F, 100);
    m_view->setPeaks(silence);
    loadTakeWithBars();
    const QColor base = m_view->palette().color(QPalette::Base);
    const QImage before = m_view->grab().toImage();
    drag(80, 203); // 2.25 to 6.25 s: pixels 75 to 208, a bar line at 142
    const QImage drawn = m_view->grab().toImage();
    const int height = drawn.height();
    const int low = height - 5; // below the label
    QCOMPARE(before.pixelColor(170, low), base);
    QVERIFY(drawn.pixelColor(170, low) != base);                       // tinted
    QCOMPARE(drawn.pixelColor(300, low), base);                        // outside it, as before
    QVERIFY(drawn.pixelColor(142, low) != drawn.pixelColor(170, low)); // the bar line between its two bars

    // Its label, in the text colour, at its top left.
    int ink = 0;
    const QRgb text = m_view->palette().color(QPalette::Text).rgba();
    for (int x = 75; x < 200; ++x) {
        for (int y = 0; y < height / 2; ++y)
            ink += drawn.pixel(x, y) == text ? 1 : 0;
    }
    QVERIFY2(ink > 20, qPrintable(QString::number(ink)));
}

void TestWaveformView::aRegionWithAFileDragsOut()
{
    loadTakeWithBars();
    drag(80, 203);
    QTemporaryFile loop;
    QVERIFY(loop.open());
    m_view->setRegionFile(loop.fileName());
    QCOMPARE(m_view->regionFile(), loop.fileName());
    QSignalSpy dropped(m_view.get(), &WaveformView::regionFileDropped);
    QSignalSpy changed(m_view.get(), &WaveformView::regionChanged);

    // Dragged from inside: the file goes out (here, on no program that takes it: tst_RegionLoop drops it on one), and
    // the region stays as it was.
    drag(150, 300);
    QCOMPARE(dropped.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(m_view->region()->bars, 2);

    // Without its file, a drag from inside the region chooses another.
    m_view->setRegionFile({});
    drag(150, 300);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_view->region()->startBar, 2);
}

QTEST_MAIN(TestWaveformView)
#include "tst_WaveformView.moc"
