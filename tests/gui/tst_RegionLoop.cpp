#include "FakePlayerBackend.h"
#include "FolderPerTest.h"
#include "MeasuredTakes.h"
#include "TestSndFile.h"
#include "gui/player/PlayerBar.h"
#include "gui/player/RegionLoop.h"
#include "gui/player/WaveformView.h"
#include "library/LibraryService.h"
#include "playback/Player.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// A program that takes files dropped on it, as a DAW or a file manager does.
class DropTarget final : public QWidget
{
public:
    QList<QUrl> dropped;

    DropTarget() { setAcceptDrops(true); }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override
    {
        if (event->mimeData()->hasUrls())
            event->acceptProposedAction();
    }
    void dragMoveEvent(QDragMoveEvent* event) override { event->acceptProposedAction(); }
    void dropEvent(QDropEvent* event) override
    {
        dropped = event->mimeData()->urls();
        event->setDropAction(Qt::CopyAction);
        event->accept();
    }
};

/// A mouse event at `at` in `widget`, with the left button held (a move) or let go (a release).
void sendMouse(QObject* receiver, QWidget* widget, QEvent::Type type, QPoint at)
{
    const bool release = type == QEvent::MouseButtonRelease;
    QMouseEvent event(type, QPointF(at), widget->mapToGlobal(QPointF(at)), release ? Qt::LeftButton : Qt::NoButton,
                      release ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(receiver, &event);
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

/// The loop of a region chosen on the waveform, as the window has it: cut as soon as the region settles, exported from
/// the player bar, dragged out to another program and kept as a take linked to its parent, over a real library and a
/// real offline take at 124 BPM. On Qt's minimal platform, whose drag and drop is Qt's own (the offscreen platform's
/// drops nothing), so that a drop is made for real.
class TestRegionLoop final : public FolderPerTest
{
    Q_OBJECT

private slots:
    void aRegionOfWholeBarsExportsALoopKeptWithItsParent();
    void aDroppedLoopIsKeptOnce();
    void aNewerRegionWins();
    void anotherTakeOrTempoClearsTheRegion();
    void aLoopThatCannotBeCutSaysWhy();

private:
    /// The window's parts around one take: a library holding an offline take of 12 s at 124 BPM in A minor, and a
    /// player bar showing it.
    struct Rig
    {
        std::unique_ptr<LibraryService> library;
        std::unique_ptr<Player> player;
        FakePlayerBackend* backend = nullptr; ///< owned by the player
        std::unique_ptr<PlayerBar> bar;
        Take take;

        WaveformView* waveform() const { return bar->findChild<WaveformView*>(u"waveformView"_s); }
        QToolButton* exportButton() const { return bar->findChild<QToolButton*>(u"exportLoopButton"_s); }
        /// Where bar `index` of the take begins on the waveform.
        int xOfBar(double index) const;
        /// Drags across the waveform from `fromX` to `toX`.
        void drag(int fromX, int toX) const;
    };
    std::unique_ptr<Rig> rig();
};

int TestRegionLoop::Rig::xOfBar(double index) const
{
    const AudioLoop::Grid& grid = waveform()->grid();
    return int(
        std::lround((grid.downbeatSeconds + index * grid.barSeconds()) / take.actualDuration * waveform()->width()));
}

void TestRegionLoop::Rig::drag(int fromX, int toX) const
{
    WaveformView* view = waveform();
    QTest::mousePress(view, Qt::LeftButton, {}, QPoint(fromX, 30));
    for (int step = 1; step <= 4; ++step)
        sendMouse(view, view, QEvent::MouseMove, QPoint(fromX + (toX - fromX) * step / 4, 30));
    QTest::mouseRelease(view, Qt::LeftButton, {}, QPoint(toX, 30));
}

std::unique_ptr<TestRegionLoop::Rig> TestRegionLoop::rig()
{
    auto made = std::make_unique<Rig>();
    LibraryOptions options;
    options.favouritesDir = filePath(u"favourites"_s);
    made->library = std::make_unique<LibraryService>(filePath(u"library"_s), options);
    if (const OpenReport opened = made->library->open(); !opened.ok) {
        qWarning("%s", qPrintable(opened.message));
        return nullptr;
    }
    QSignalSpy added(made->library.get(), &LibraryService::takeAdded);
    made->library->add(MeasuredTakes::offline(u"house at 124 bpm in A minor with piano and pads"_s, 12));
    if (!added.wait(20000))
        return nullptr;
    made->take = added.constFirst().constFirst().value<Take>();

    auto* backend = new FakePlayerBackend;
    backend->length = std::llround(made->take.actualDuration * 1000);
    made->backend = backend;
    made->player = std::make_unique<Player>(backend);
    made->bar = std::make_unique<PlayerBar>();
    made->bar->setPlayer(made->player.get());
    made->bar->setLibrary(made->library.get());
    made->bar->setGeometry(0, 0, 800, 160);
    made->bar->show();
    made->player->load(made->take.id, made->library->audioPath(made->take), false);
    made->bar->setTake(made->take);
    return made;
}

void TestRegionLoop::aRegionOfWholeBarsExportsALoopKeptWithItsParent()
{
    const auto rig = this->rig();
    QVERIFY(rig);
    QCOMPARE(rig->waveform()->grid().bpm, 124.0);
    QVERIFY(rig->waveform()->grid().bars >= 4);
    QVERIFY(!rig->exportButton()->isVisible());
    auto* exportAction = rig->bar->findChild<QAction*>(u"exportLoopAction"_s);
    auto* loopAction = rig->bar->findChild<QAction*>(u"loopRegionAction"_s);
    auto* clearAction = rig->bar->findChild<QAction*>(u"clearRegionAction"_s);
    QVERIFY(exportAction && loopAction && clearAction);
    QVERIFY(!exportAction->isEnabled() && !loopAction->isEnabled() && !clearAction->isEnabled());
    QCOMPARE(rig->waveform()->actions(), (QList<QAction*>{exportAction, loopAction, clearAction})); // its context menu

    // Bars 1 and 2, dragged a little inside their edges.
    QSignalSpy region(rig->bar.get(), &PlayerBar::regionChanged);
    rig->drag(rig->xOfBar(1) + 6, rig->xOfBar(3) - 6);
    QCOMPARE(region.size(), 1);
    QCOMPARE(rig->bar->region()->startBar, 1);
    QCOMPARE(rig->bar->region()->bars, 2);
    QCOMPARE(rig->waveform()->regionText(), u"2 bars · 124 BPM"_s);
    QVERIFY(rig->exportButton()->isVisible());
    QVERIFY(loopAction->isEnabled() && clearAction->isEnabled());
    QTRY_VERIFY(exportAction->isEnabled()); // once the loop is cut
    QVERIFY(rig->exportButton()->isEnabled());
    QCOMPARE(rig->exportButton()->text(), u"Export loop…"_s);

    // L plays the loop round and round from the region's place in the take; L again goes back to the take.
    QTest::keyClick(rig->waveform(), Qt::Key_L);
    QVERIFY(loopAction->isChecked());
    QVERIFY(rig->player->isLoopingRegion());
    QCOMPARE(rig->backend->loopSource, rig->bar->findChild<RegionLoop*>()->loop()->wav);
    QCOMPARE(rig->player->position(), std::llround(rig->bar->region()->startSeconds * 1000));
    QTest::keyClick(rig->waveform(), Qt::Key_L);
    QVERIFY(!loopAction->isChecked());
    QVERIFY(!rig->player->isLoopingRegion());
    QCOMPARE(rig->backend->source, QUrl::fromLocalFile(rig->library->audioPath(rig->take)));
    QVERIFY(rig->backend->calls.lastIndexOf(u"source"_s) > rig->backend->calls.lastIndexOf(u"loop"_s));

    // Export: the loop, cut, for the window to ask where it goes and hand to the library.
    QSignalSpy exportAsked(rig->bar.get(), &PlayerBar::exportLoopRequested);
    rig->exportButton()->click();
    QCOMPARE(exportAsked.size(), 1);
    const auto loop = exportAsked.constFirst().constFirst().value<TakeLoops::Loop>();
    QCOMPARE(loop.recipe.parentId, rig->take.id);
    QSignalSpy exported(rig->library.get(), &LibraryService::loopExported);
    QSignalSpy added(rig->library.get(), &LibraryService::takeAdded);
    const QString path = filePath(u"loop.wav"_s);
    rig->library->addLoop(loop.recipe, loop.wav, path, AudioFormat::Unknown);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.constFirst().at(1).toString(), path);
    const Take kept = exported.constFirst().constFirst().value<Take>();
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(kept.parentId, rig->take.id);
    QCOMPARE(kept.loopStartBar, 1);
    QCOMPARE(kept.loopBars, 2);
    QCOMPARE(kept.provider, u"loop"_s);
    QCOMPARE(rig->library->find(kept.id), kept);
    QVERIFY(std::abs(kept.actualDuration - 2 * 4 * 60.0 / 124) < 0.001);

    // The file loops by itself in samplers and DAWs: smpl and acid chunks.
    const QByteArray file = readFile(path);
    SndFileMemory sound(file);
    QVERIFY(sound.isOpen());
    SF_LOOP_INFO info{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_LOOP_INFO, &info, sizeof info), SF_TRUE);
    QCOMPARE(info.bpm, 124.0F);
    QCOMPARE(info.num_beats, 8);
    SF_INSTRUMENT instrument{};
    QCOMPARE(sf_command(sound.get(), SFC_GET_INSTRUMENT, &instrument, sizeof instrument), SF_TRUE);
    QCOMPARE(instrument.loop_count, 1);
    QCOMPARE(instrument.loops[0].end, quint32(sound.info().frames));
}

void TestRegionLoop::aDroppedLoopIsKeptOnce()
{
    const auto rig = this->rig();
    QVERIFY(rig);
    rig->drag(rig->xOfBar(0) + 6, rig->xOfBar(4) - 6);
    QCOMPARE(rig->bar->region()->bars, 4);
    // Made ahead, so that the drag starts at once: a copy in the drag folder, named for what it is.
    QTRY_VERIFY(!rig->waveform()->regionFile().isEmpty());
    const QString copy = rig->waveform()->regionFile();
    QCOMPARE(QFileInfo(copy).absolutePath(), filePath(u"library/drag"_s));
    QVERIFY2(copy.endsWith(u"_4-bar-loop.wav"_s), qPrintable(copy));

    DropTarget target;
    target.setGeometry(300, 400, 200, 150);
    target.show();
    QSignalSpy added(rig->library.get(), &LibraryService::takeAdded);
    QSignalSpy changed(rig->bar.get(), &PlayerBar::regionChanged);
    const auto dragOut = [&] {
        // The drag runs an event loop of its own: the hand moves over the target and lets go there meanwhile.
        QTimer::singleShot(0, &target, [&target] {
            sendMouse(target.windowHandle(), &target, QEvent::MouseMove, QPoint(100, 75));
            sendMouse(target.windowHandle(), &target, QEvent::MouseButtonRelease, QPoint(100, 75));
        });
        const int inside = rig->xOfBar(2);
        QTest::mousePress(rig->waveform(), Qt::LeftButton, {}, QPoint(inside, 30));
        sendMouse(rig->waveform(), rig->waveform(), QEvent::MouseMove, QPoint(inside + 40, 30));
    };
    dragOut();
    QCOMPARE(target.dropped, QList<QUrl>{QUrl::fromLocalFile(copy)});
    QVERIFY(added.wait(10000));
    const Take kept = added.constFirst().constFirst().value<Take>();
    QCOMPARE(kept.parentId, rig->take.id);
    QCOMPARE(kept.loopStartBar, 0);
    QCOMPARE(kept.loopBars, 4);
    QCOMPARE(changed.size(), 0); // the region stays for another drag or an export

    // The dropped file: the loop, its tags naming the take it became, noted to be kept however many copies follow.
    const QByteArray file = readFile(copy);
    QCOMPARE(TestSndFile::decode(file).samples, TestSndFile::decode(readFile(rig->library->audioPath(kept))).samples);
    QVERIFY(file.contains(kept.id.toUtf8()));
    QVERIFY(readFile(filePath(u"library/drag/.dragged"_s)).contains(QFileInfo(copy).fileName().toUtf8()));

    // Dropped again, it is the same loop: nothing more is kept. (A later write is the barrier: the library's writes
    // are done in the order asked.)
    target.dropped.clear();
    dragOut();
    QCOMPARE(target.dropped, QList<QUrl>{QUrl::fromLocalFile(copy)});
    QSignalSpy exported(rig->library.get(), &LibraryService::exported);
    rig->library->exportTake(rig->take.id, filePath(u"barrier.wav"_s), AudioFormat::Wav);
    QVERIFY(exported.wait(10000));
    QCOMPARE(added.size(), 1);
    QCOMPARE(rig->library->count({}), 2);
}

void TestRegionLoop::aNewerRegionWins()
{
    const auto rig = this->rig();
    QVERIFY(rig);
    RegionLoop loops(rig->library.get());
    QSignalSpy cut(&loops, &RegionLoop::cut);
    QSignalSpy ready(&loops, &RegionLoop::dragCopyReady);
    loops.prepare(rig->take, 1, 2);
    loops.prepare(rig->take, 0, 1); // the region moved before the first cut was done
    QVERIFY(ready.wait(10000));
    QCOMPARE(cut.size(), 1);
    QVERIFY(loops.loop());
    QCOMPARE(loops.loop()->recipe.loopStartBar, 0);
    QCOMPARE(loops.loop()->recipe.loopBars, 1);
    QVERIFY2(ready.constFirst().constFirst().toString().endsWith(u"_1-bar-loop.wav"_s),
             qPrintable(ready.constFirst().constFirst().toString()));

    loops.clear();
    QVERIFY(!loops.loop());
}

void TestRegionLoop::anotherTakeOrTempoClearsTheRegion()
{
    const auto rig = this->rig();
    QVERIFY(rig);
    QSignalSpy changed(rig->bar.get(), &PlayerBar::regionChanged);
    rig->drag(rig->xOfBar(1) + 6, rig->xOfBar(3) - 6);
    QVERIFY(rig->exportButton()->isVisible());

    // The same take again (a favourite, a note): the region stays.
    Take same = rig->take;
    same.favourite = true;
    rig->bar->setTake(same);
    QVERIFY(rig->bar->region());
    QCOMPARE(changed.size(), 1);

    // Its tempo halved: other bars.
    Take halved = same;
    halved.bpmByUser = 62;
    rig->bar->setTake(halved);
    QVERIFY(!rig->bar->region());
    QCOMPARE(changed.size(), 2);
    QVERIFY(!changed.constLast().constFirst().value<std::optional<AudioLoop::Region>>());
    QVERIFY(!rig->exportButton()->isVisible());
    QCOMPARE(rig->waveform()->grid().bpm, 62.0);

    // Another take.
    rig->drag(rig->xOfBar(1) + 6, rig->xOfBar(3) - 6);
    QVERIFY(rig->bar->region());
    Take other = halved;
    other.id = u"zzzz234567"_s;
    rig->bar->setTake(other);
    QVERIFY(!rig->bar->region());

    // A take without a tempo: a region as dragged, in seconds, which is not a loop.
    Take untimed = other;
    untimed.bpm = 0;
    untimed.bpmByUser.reset();
    rig->bar->setTake(untimed);
    QVERIFY(!rig->waveform()->grid().isValid());
    rig->drag(100, 300);
    QVERIFY(rig->bar->region());
    QCOMPARE(rig->bar->region()->bars, 0);
    QVERIFY(rig->waveform()->regionText().endsWith(u" s"_s));
    QVERIFY(!rig->exportButton()->isVisible());
    QVERIFY(!rig->bar->findChild<QAction*>(u"exportLoopAction"_s)->isEnabled());
}

void TestRegionLoop::aLoopThatCannotBeCutSaysWhy()
{
    const auto rig = this->rig();
    QVERIFY(rig);
    QVERIFY(QFile::remove(rig->library->audioPath(rig->take)));
    QSignalSpy failed(rig->bar.get(), &PlayerBar::loopFailed);
    rig->drag(rig->xOfBar(1) + 6, rig->xOfBar(3) - 6);
    QVERIFY(failed.wait(10000));
    const QString message = failed.constFirst().constFirst().toString();
    QVERIFY2(message.startsWith(u"The loop cannot be cut: "_s), qPrintable(message));
    QVERIFY2(message.contains(u"missing"_s), qPrintable(message));
    QVERIFY(rig->exportButton()->isVisible());
    QVERIFY(!rig->exportButton()->isEnabled());
    QVERIFY(rig->waveform()->regionFile().isEmpty());
}

QTEST_MAIN(TestRegionLoop)
#include "tst_RegionLoop.moc"
