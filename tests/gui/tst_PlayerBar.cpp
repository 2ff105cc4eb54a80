#include "FakePlayerBackend.h"
#include "gui/Theme.h"
#include "gui/player/PlayerBar.h"
#include "gui/player/WaveformView.h"
#include "playback/Player.h"

#include <QAction>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {

// How many pixels of `image` differ from `other` (same size) by more than a trace.
int differingPixels(const QImage& image, const QImage& other)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor a = image.pixelColor(x, y);
            const QColor b = other.pixelColor(x, y);
            count += std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) +
                         std::abs(a.alpha() - b.alpha()) >
                     60;
        }
    }
    return count;
}

QImage imageOf(const QIcon& icon)
{
    return icon.pixmap(QSize(16, 16)).toImage().convertToFormat(QImage::Format_ARGB32);
}

} // namespace

/// The transport's buttons draw real icons (the theme's or the app's own), not glyphs a font may lack; the waveform's
/// region and its actions (tst_RegionLoop has its loop, cut, exported and dragged out, over a real library).
class TestPlayerBar final : public QObject
{
    Q_OBJECT

private slots:
    void transportButtonsShowIcons_data();
    void transportButtonsShowIcons();
    void playShowsPauseWhilePlaying();
    void theAppsOwnIconsFollowThePalette();
    void theRegionAndItsActions();
};

void TestPlayerBar::transportButtonsShowIcons_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<QString>("accessibleName");
    QTest::addColumn<QString>("toolTip");
    QTest::newRow("play") << u"playButton"_s << u"Play or pause"_s << u"Play / pause (Space)"_s;
    QTest::newRow("stop") << u"stopButton"_s << u"Stop"_s << u"Stop"_s;
    QTest::newRow("loop") << u"loopButton"_s << u"Loop"_s << u"Loop the take"_s;
}

void TestPlayerBar::transportButtonsShowIcons()
{
    QFETCH(QString, button);
    QFETCH(QString, accessibleName);
    QFETCH(QString, toolTip);
    PlayerBar bar;
    bar.resize(800, 160);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    auto* tool = bar.findChild<QToolButton*>(button);
    QVERIFY(tool);
    QVERIFY(!tool->icon().isNull());
    QCOMPARE(tool->accessibleName(), accessibleName);
    QCOMPARE(tool->toolTip(), toolTip);

    // Drawn: the button with its icon differs from the same button without one by a visible shape.
    const QImage drawn = tool->grab().toImage().convertToFormat(QImage::Format_ARGB32);
    const QIcon icon = tool->icon();
    const QString text = tool->text();
    tool->setIcon(QIcon());
    tool->setText(QString());
    const QImage blank = tool->grab().toImage().convertToFormat(QImage::Format_ARGB32);
    tool->setIcon(icon);
    tool->setText(text);
    QCOMPARE(drawn.size(), blank.size());
    const int shape = differingPixels(drawn, blank);
    QVERIFY2(shape >= 20, qPrintable(u"%1 pixels of icon"_s.arg(shape)));
}

void TestPlayerBar::playShowsPauseWhilePlaying()
{
    PlayerBar bar;
    Player player(new FakePlayerBackend);
    bar.setPlayer(&player);
    auto* play = bar.findChild<QToolButton*>(u"playButton"_s);
    const QImage playing = imageOf(Theme::icon(u"media-playback-pause"_s, bar.palette()));
    const QImage stopped = imageOf(Theme::icon(u"media-playback-start"_s, bar.palette()));
    QVERIFY(differingPixels(playing, stopped) > 10);
    QCOMPARE(imageOf(play->icon()), stopped);

    player.load(u"take"_s, u"/nonexistent/take.wav"_s, true);
    QCOMPARE(imageOf(play->icon()), playing);
    QCOMPARE(play->accessibleName(), u"Pause"_s);
    play->click();
    QCOMPARE(imageOf(play->icon()), stopped);
    QCOMPARE(play->accessibleName(), u"Play"_s);
}

void TestPlayerBar::theAppsOwnIconsFollowThePalette()
{
    if (QIcon::hasThemeIcon(u"media-playback-stop"_s))
        QSKIP("the desktop theme draws this icon: its colours are the theme's");
    PlayerBar bar;
    auto* stop = bar.findChild<QToolButton*>(u"stopButton"_s);
    // The darkest opaque pixel of a light-on-dark icon is still light, and the other way round.
    const auto inkOf = [stop] {
        const QImage image = imageOf(stop->icon());
        int darkest = 255;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (image.pixelColor(x, y).alpha() == 255)
                    darkest = std::min(darkest, image.pixelColor(x, y).lightness());
            }
        }
        return darkest;
    };
    QPalette light(QColor(0xEF, 0xEF, 0xEF));
    light.setColor(QPalette::ButtonText, Qt::black);
    QPalette dark(QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xEE, 0xEE, 0xEE));
    bar.setPalette(light);
    QVERIFY2(inkOf() < 40, qPrintable(QString::number(inkOf())));
    bar.setPalette(dark);
    QVERIFY2(inkOf() > 200, qPrintable(QString::number(inkOf())));
}

void TestPlayerBar::theRegionAndItsActions()
{
    PlayerBar bar;
    auto* backend = new FakePlayerBackend;
    backend->length = 12'000;
    Player player(backend);
    bar.setPlayer(&player);
    bar.resize(800, 160);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    player.load(u"abcd234567"_s, u"/nonexistent/take.wav"_s, false);
    Take take;
    take.id = u"abcd234567"_s;
    take.bpm = 120;
    take.downbeatSeconds = 0.25;
    take.actualDuration = 12;
    take.sampleRate = 32000;
    bar.setTake(take);
    auto* waveform = bar.findChild<WaveformView*>(u"waveformView"_s);
    QCOMPARE(waveform->grid().bars, 5);

    QSignalSpy region(&bar, &PlayerBar::regionChanged);
    auto* loopAction = bar.findChild<QAction*>(u"loopRegionAction"_s);
    auto* clearAction = bar.findChild<QAction*>(u"clearRegionAction"_s);
    QCOMPARE(loopAction->shortcut(), QKeySequence(Qt::Key_L));
    QVERIFY(!loopAction->isEnabled());
    const int x = waveform->width() * 23 / 120; // 2.3 s
    QTest::mousePress(waveform, Qt::LeftButton, {}, QPoint(x, 30));
    QMouseEvent move(QEvent::MouseMove, QPointF(x * 2, 30), waveform->mapToGlobal(QPointF(x * 2, 30)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(waveform, &move);
    QTest::mouseRelease(waveform, Qt::LeftButton, {}, QPoint(x * 2, 30));
    QCOMPARE(region.size(), 1);
    QCOMPARE(bar.region(), waveform->region());
    QCOMPARE(bar.region()->startBar, 1);
    QCOMPARE(bar.region()->bars, 1);

    // Without a library to cut its loop, the region is only shown: nothing to loop (L) or export.
    QVERIFY(!loopAction->isEnabled());
    QTest::keyClick(waveform, Qt::Key_L);
    QVERIFY(!player.isLoopingRegion());
    QVERIFY(!bar.findChild<QToolButton*>(u"exportLoopButton"_s)->isVisible());

    clearAction->trigger();
    QVERIFY(!bar.region());
    QCOMPARE(region.size(), 2);
    QVERIFY(!loopAction->isEnabled() && !clearAction->isEnabled());
}

QTEST_MAIN(TestPlayerBar)
#include "tst_PlayerBar.moc"
