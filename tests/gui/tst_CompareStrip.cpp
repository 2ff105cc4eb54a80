#include "FakePlayerBackend.h"
#include "RenderedMixOutput.h"
#include "TestAudio.h"
#include "TestTakes.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "gui/compare/CompareStrip.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/ComparePlayer.h"
#include "playback/Player.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// Take i of the history's three is a 440 Hz tone of amplitude Amplitude[i] (newest first), so the level of the mix
/// says which take is heard.
constexpr double Amplitude[] = {0.2, 0.4, 0.6};

/// The RMS level a take of `amplitude` is heard at, through `gainDb` and the default master volume (80 %).
double heardRms(double amplitude, double gainDb = 0)
{
    return amplitude / std::sqrt(2.0) * 0.64 * std::pow(10.0, gainDb / 20.0);
}

/// Within 0.1 dB.
bool sameLevel(double a, double b)
{
    return a > 0 && b > 0 && std::abs(20 * std::log10(a / b)) < 0.1;
}

} // namespace

/// Comparing takes in the real window, offscreen, over a real library: chosen in the history, heard one at a time
/// through the comparison's real mix (rendered by hand, as a sound device would take it), switched by the keys 1–4
/// without a restart, matched in loudness, starred with F, left with Esc.
class TestCompareStrip final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void cTakesTheSelectionIntoTheStrip();
    void digitsSwitchTheTakeHeardWithoutARestart();
    void loudnessIsMatchedAndTheGainShown();
    void spacePausesEveryTakeAndFStarsTheOneHeard();
    void escLeavesAndTheHistoryPlaysAgain();
    void aTakeThrownAwayEndsTheComparison();
    void textFieldsKeepTheirDigits();

private:
    template <typename T> T* find(const char* name) const { return m_window->findChild<T*>(QString::fromLatin1(name)); }
    /// Selects the first `count` takes of the history and presses C in it.
    void compareFirst(int count);
    ComparePlayer& m_compare() const { return m_studio->compare(); }
    /// Renders `ms` of the comparison and returns the RMS level of its last 20 ms (past any crossfade).
    double renderRms(int ms);

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    RenderedMixOutput* m_output = nullptr; ///< owned by the compare player
};

void TestCompareStrip::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    qputenv("XDG_MUSIC_DIR", m_home->filePath(u"music"_s).toUtf8());
    {
        Library library(m_home->filePath(u"data"_s));
        QVERIFY(library.open().ok);
        // Three takes, the newest first in the history: -20, -8 and -14 LUFS, the loudest with a tempo and key.
        const QList<double> loudness{-14, -8, -20};
        for (int i = 0; i < loudness.size(); ++i) {
            GenerationResult result = TestTakes::result(u"take %1"_s.arg(i + 1), 10 + i, 3, u"offline", 2.0);
            MusicAnalysis analysis;
            analysis.version = 1;
            analysis.loudnessLufs = loudness.at(i);
            analysis.truePeakDbtp = -1;
            if (i == 1) {
                analysis.bpm = 92;
                analysis.key = MusicalKey::parse(u"Am").value_or(MusicalKey{});
            }
            result.analysis = analysis;
            const int rate = 32000;
            std::vector<qint16> tone(size_t(2 * rate));
            for (size_t n = 0; n < tone.size(); ++n)
                tone[n] = qint16(std::lround(Amplitude[2 - i] * 32767 * std::sin(2 * M_PI * 440 * double(n) / rate)));
            result.audio = TestAudio::pcmWav(tone, rate);
            QVERIFY(library.add(result));
        }
        Settings settings(m_home->filePath(u"settings.ini"_s));
        settings.setProvider(Settings::ProviderChoice::Offline);
        settings.sync();
    }
    m_studio = std::make_unique<Studio>(Studio::Paths{m_home->filePath(u"data"_s), m_home->filePath(u"settings.ini"_s)},
                                        std::make_unique<FakePlayerBackend>(),
                                        [this] { return m_output = new RenderedMixOutput; });
    m_window = std::make_unique<MainWindow>(m_studio->windowParts());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->historyModel()->rowCount(), 3);
}

void TestCompareStrip::cleanup()
{
    m_window.reset();
    m_studio.reset();
    m_home.reset();
}

void TestCompareStrip::compareFirst(int count)
{
    auto* list = find<QListView>("historyList");
    list->setFocus();
    list->setCurrentIndex(m_window->historyModel()->index(0, 0));
    list->selectionModel()->select(
        QItemSelection(m_window->historyModel()->index(0, 0), m_window->historyModel()->index(count - 1, 0)),
        QItemSelectionModel::ClearAndSelect);
    QTest::keyClick(list, Qt::Key_C);
    QTRY_VERIFY(m_compare().isReady());
}

double TestCompareStrip::renderRms(int ms)
{
    const std::vector<float> mix = m_output->render(ms);
    const size_t last = std::min(mix.size(), size_t(32000 / 50));
    double sum = 0;
    for (size_t i = mix.size() - last; i < mix.size(); ++i)
        sum += double(mix[i]) * mix[i];
    return last > 0 ? std::sqrt(sum / double(last)) : 0.0;
}

void TestCompareStrip::cTakesTheSelectionIntoTheStrip()
{
    compareFirst(3);
    QVERIFY(m_compare().isActive());
    QCOMPARE(m_compare().slotCount(), 3);
    QVERIFY(find<CompareStrip>("compareStrip")->isVisible());
    QVERIFY(!find<QWidget>("playerBar")->isVisible());
    // Slot 1 is the first take selected, heard from the start; every slot plays.
    QCOMPARE(m_compare().current(), 0);
    QCOMPARE(m_compare().takeIdAt(0), m_window->historyModel()->takeAt(0).id);
    QVERIFY(find<QToolButton>("compareSlot1")->isChecked());
    QVERIFY(find<QToolButton>("compareSlot3")->isVisible());
    QVERIFY(!find<QToolButton>("compareSlot4")->isVisible());
    QCOMPARE(m_compare().state(), PlayerBackend::State::Playing);
    QVERIFY(m_output->isRunning());
    QVERIFY(sameLevel(renderRms(100), heardRms(Amplitude[0])));
    QVERIFY(find<QLabel>("compareAbout2")->text().contains(u"92 BPM"_s));
    // The take the window had loaded waits, paused.
    QVERIFY(m_studio->player().state() != PlayerBackend::State::Playing);
}

void TestCompareStrip::digitsSwitchTheTakeHeardWithoutARestart()
{
    compareFirst(2);
    find<QCheckBox>("matchLoudnessCheck")->click(); // every take as made: the level says which is heard
    renderRms(1200);                                // the music has played on to 1.2 s
    QTRY_COMPARE(m_compare().position(), qint64(1200));
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_2);
    QCOMPARE(m_compare().current(), 1);
    QVERIFY(find<QToolButton>("compareSlot2")->isChecked());
    // The other take, from where the music was: nothing reloaded, restarted or moved.
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[1])));
    QTRY_COMPARE(m_compare().position(), qint64(1240));
    QCOMPARE(m_output->calls, QStringList{u"start "_s});
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_1);
    QCOMPARE(m_compare().current(), 0);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[0])));
    // A slot that does not exist changes nothing.
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_4);
    QCOMPARE(m_compare().current(), 0);
    // Clicking a slot's number switches too.
    QTest::mouseClick(find<QToolButton>("compareSlot2"), Qt::LeftButton);
    QCOMPARE(m_compare().current(), 1);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[1])));
}

void TestCompareStrip::loudnessIsMatchedAndTheGainShown()
{
    compareFirst(3); // the history shows -20, -8 and -14 LUFS, newest first
    QVERIFY(find<QCheckBox>("matchLoudnessCheck")->isChecked());
    QCOMPARE(find<QLabel>("compareGain1")->text(), u"0.0 dB"_s);
    QCOMPARE(find<QLabel>("compareGain2")->text(), u"−12.0 dB"_s);
    QCOMPARE(find<QLabel>("compareGain3")->text(), u"−6.0 dB"_s);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[0])));
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_2);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[1], -12)));
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_3);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[2], -6)));
    // Match loudness off: every take as made.
    find<QCheckBox>("matchLoudnessCheck")->click();
    QCOMPARE(find<QLabel>("compareGain2")->text(), u"as made"_s);
    QVERIFY(sameLevel(renderRms(40), heardRms(Amplitude[2])));
}

void TestCompareStrip::spacePausesEveryTakeAndFStarsTheOneHeard()
{
    compareFirst(2);
    renderRms(300);
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_Space);
    QCOMPARE(m_compare().state(), PlayerBackend::State::Paused);
    QCOMPARE(renderRms(40), 0.0);
    // Switching while paused plays again, the other take.
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_2);
    QCOMPARE(m_compare().state(), PlayerBackend::State::Playing);
    QVERIFY(renderRms(40) > 0);
    const QString heard = m_compare().takeIdAt(1);
    QSignalSpy changed(&m_studio->library(), &LibraryService::takeChanged);
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_F);
    QVERIFY(changed.wait());
    QCOMPARE(changed.first().first().value<Take>().id, heard);
    QVERIFY(m_studio->library().find(heard)->favourite);
    QTRY_VERIFY(find<QLabel>("compareAbout2")->text().startsWith(u"★"_s));
}

void TestCompareStrip::escLeavesAndTheHistoryPlaysAgain()
{
    compareFirst(2);
    QTest::qWait(300); // the window's own notices at start (the keychain's) have had their say …
    compareFirst(2);   // … so the status line shows the comparison's keys
    QVERIFY2(m_window->statusBar()->currentMessage().startsWith(u"Comparing: 1–2 switch takes"_s),
             qPrintable(m_window->statusBar()->currentMessage()));
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_Escape);
    QVERIFY(!m_compare().isActive());
    QCOMPARE(m_window->statusBar()->currentMessage(), QString()); // the comparison's keys are gone
    QVERIFY(!find<CompareStrip>("compareStrip")->isVisible());
    QTRY_VERIFY(!m_output->isRunning()); // let go once its fade-out has been heard
    QVERIFY(find<QWidget>("playerBar")->isVisible());
    // Esc, F and the digits are the comparison's only: now F stars nothing. The star clicked next is the first change
    // the library makes, and it comes after anything F would have queued.
    QSignalSpy changed(&m_studio->library(), &LibraryService::takeChanged);
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_F);
    const Take third = m_window->historyModel()->takeAt(2);
    m_studio->library().setFavourite(third.id, true);
    QVERIFY(changed.wait());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.constFirst().constFirst().value<Take>().id, third.id);
    // Playing a take from the history while comparing ends the comparison.
    compareFirst(2);
    QVERIFY(m_compare().isActive());
    QTest::keyClick(find<QListView>("historyList"), Qt::Key_Return);
    QVERIFY(!m_compare().isActive());
    QCOMPARE(m_studio->player().currentTakeId(), m_window->historyModel()->takeAt(0).id);
}

void TestCompareStrip::aTakeThrownAwayEndsTheComparison()
{
    compareFirst(2);
    QSignalSpy changed(&m_studio->library(), &LibraryService::takeChanged);
    m_studio->library().moveToTrash(m_compare().takeIdAt(1));
    QVERIFY(changed.wait());
    QTRY_VERIFY(!m_compare().isActive());
    QVERIFY(!find<CompareStrip>("compareStrip")->isVisible());
}

void TestCompareStrip::textFieldsKeepTheirDigits()
{
    compareFirst(2);
    auto* search = find<QLineEdit>("searchEdit");
    search->setFocus();
    QTest::keyClick(search, Qt::Key_2);
    QCOMPARE(search->text(), u"2"_s);
    QCOMPARE(m_compare().current(), 0);
}

QTEST_MAIN(TestCompareStrip)
#include "tst_CompareStrip.moc"
