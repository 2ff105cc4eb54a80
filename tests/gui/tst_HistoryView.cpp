#include "TestTakes.h"
#include "gui/history/HistoryView.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QShortcut>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// The history from the keyboard, offscreen, over a real library of six takes: three "dark techno", three "jazz trio".
class TestHistoryView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void downOrEnterInTheSearchGoesIntoTheResults();
    void upOnTheFirstTakeGoesBackToTheSearch();
    void escClearsTheSearch();
    void browsingKeysAudition();
    void clicksAndExtendingTheSelectionDoNotAudition();
    void aHeldKeyAuditionsWhereItIsLetGo();
    void noAuditionWhenItIsOff();
    void enterPlaysTheTake();
    void ctrlAThenCComparesTheTakesFound();
    void cNeedsTwoToFourTakes();
    void theCompareButtonFollowsTheSelection();

private:
    QListView* list() const { return m_view->findChild<QListView*>(u"historyList"_s); }
    QLineEdit* search() const { return m_view->findChild<QLineEdit*>(u"searchEdit"_s); }
    QPushButton* compareButton() const { return m_view->findChild<QPushButton*>(u"compareButton"_s); }
    QLabel* compareNote() const { return m_view->findChild<QLabel*>(u"compareNote"_s); }
    Take takeAt(int row) const { return m_model->takeAt(row); }
    /// Makes `row` the current take, selected alone, with the focus in the list.
    void focusRow(int row);

    QTemporaryDir m_dir;
    std::unique_ptr<LibraryService> m_library;
    std::unique_ptr<HistoryModel> m_model;
    std::unique_ptr<HistoryView> m_view;
};

void TestHistoryView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Library library(m_dir.path());
    QVERIFY(library.open().ok);
    for (int seed = 1; seed <= 3; ++seed) {
        QVERIFY(library.add(TestTakes::result(u"jazz trio"_s, seed)));
        QVERIFY(library.add(TestTakes::result(u"dark techno"_s, seed)));
    }
}

void TestHistoryView::init()
{
    m_library = std::make_unique<LibraryService>(m_dir.path(), LibraryOptions{});
    QVERIFY(m_library->open().ok);
    m_model = std::make_unique<HistoryModel>(m_library.get());
    m_view = std::make_unique<HistoryView>();
    m_view->setModel(m_model.get());
    m_view->resize(500, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
    QCOMPARE(m_model->rowCount(), 6);
}

void TestHistoryView::cleanup()
{
    m_view.reset();
    m_model.reset();
    m_library.reset();
}

void TestHistoryView::focusRow(int row)
{
    list()->setFocus();
    list()->selectionModel()->setCurrentIndex(m_model->index(row), QItemSelectionModel::ClearAndSelect);
    QTRY_COMPARE(QApplication::focusWidget(), list());
}

void TestHistoryView::downOrEnterInTheSearchGoesIntoTheResults()
{
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    m_view->focusSearch();
    QTRY_COMPARE(QApplication::focusWidget(), search());
    // Down right after typing: the results are those of everything typed, not of the last pause.
    QTest::keyClicks(search(), u"techno"_s);
    QTest::keyClick(search(), Qt::Key_Down);
    QCOMPARE(QApplication::focusWidget(), list());
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(list()->currentIndex().row(), 0);
    QCOMPARE(m_view->selectedTakes().size(), 1);
    QCOMPARE(m_view->selectedTakes().constFirst().id, takeAt(0).id);
    QCOMPARE(takeAt(0).prompt, u"dark techno"_s);
    QCOMPARE(auditions.size(), 1); // the musician searched to hear what matches
    QCOMPARE(auditions.constFirst().constFirst().value<Take>().id, takeAt(0).id);

    m_view->focusSearch();
    QTest::keyClicks(search(), u"jazz"_s);
    QTest::keyClick(search(), Qt::Key_Return);
    QCOMPARE(QApplication::focusWidget(), list());
    QCOMPARE(takeAt(list()->currentIndex().row()).prompt, u"jazz trio"_s);
    QCOMPARE(list()->currentIndex().row(), 0);

    // A search that finds nothing leaves the focus where the musician is typing.
    m_view->focusSearch();
    QTest::keyClicks(search(), u"polka"_s);
    QTest::keyClick(search(), Qt::Key_Down);
    QCOMPARE(QApplication::focusWidget(), search());
}

void TestHistoryView::upOnTheFirstTakeGoesBackToTheSearch()
{
    focusRow(1);
    QTest::keyClick(list(), Qt::Key_Up);
    QCOMPARE(QApplication::focusWidget(), list());
    QCOMPARE(list()->currentIndex().row(), 0);
    QTest::keyClick(list(), Qt::Key_Up);
    QCOMPARE(QApplication::focusWidget(), search());
}

void TestHistoryView::escClearsTheSearch()
{
    m_view->focusSearch();
    QTest::keyClicks(search(), u"techno"_s);
    QTRY_COMPARE(m_model->rowCount(), 3);
    // A window's Esc (leaving a comparison) waits until the search is empty.
    QShortcut windowEsc(QKeySequence(Qt::Key_Escape), m_view.get());
    QSignalSpy windowEscs(&windowEsc, &QShortcut::activated);
    QTest::keyClick(search(), Qt::Key_Escape);
    QCOMPARE(search()->text(), QString());
    QCOMPARE(windowEscs.size(), 0);
    QTRY_COMPARE(m_model->rowCount(), 6);
    QTest::keyClick(search(), Qt::Key_Escape);
    QCOMPARE(windowEscs.size(), 1);
}

void TestHistoryView::browsingKeysAudition()
{
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    focusRow(0);
    const auto auditioned = [&auditions] { return auditions.takeFirst().constFirst().value<Take>().id; };
    QTest::keyClick(list(), Qt::Key_Down);
    QCOMPARE(auditions.size(), 1);
    QCOMPARE(auditioned(), takeAt(1).id);
    QCOMPARE(m_view->currentTake()->id, takeAt(1).id);
    QTest::keyClick(list(), Qt::Key_End);
    QCOMPARE(auditioned(), takeAt(5).id);
    QTest::keyClick(list(), Qt::Key_Up);
    QCOMPARE(auditioned(), takeAt(4).id);
    QTest::keyClick(list(), Qt::Key_Home);
    QCOMPARE(auditioned(), takeAt(0).id);
    QTest::keyClick(list(), Qt::Key_Down, Qt::KeypadModifier); // the number pad's arrows browse too
    QCOMPARE(auditioned(), takeAt(1).id);
    QTest::keyClick(list(), Qt::Key_PageDown);
    QVERIFY(list()->currentIndex().row() > 1);
    QCOMPARE(auditioned(), takeAt(list()->currentIndex().row()).id);
    // At the end of the list Down goes nowhere, and nothing new is heard.
    QTest::keyClick(list(), Qt::Key_End);
    auditions.clear();
    QTest::keyClick(list(), Qt::Key_Down);
    QCOMPARE(auditions.size(), 0);
}

void TestHistoryView::clicksAndExtendingTheSelectionDoNotAudition()
{
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    QSignalSpy plays(m_view.get(), &HistoryView::playRequested);
    focusRow(0);
    QTest::keyClick(list(), Qt::Key_Down, Qt::ShiftModifier);
    QTest::keyClick(list(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(m_view->selectedTakes().size(), 3);
    QTest::keyClick(list(), Qt::Key_Down, Qt::ControlModifier); // moves the cursor, keeps the selection
    QCOMPARE(m_view->selectedTakes().size(), 3);
    QCOMPARE(m_view->currentTake()->id, takeAt(3).id);
    const QRect row = list()->visualRect(m_model->index(4));
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(m_view->currentTake()->id, takeAt(4).id);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, Qt::ControlModifier,
                      list()->visualRect(m_model->index(2)).center());
    // The current take is the one under the cursor; the selection is both, in the list's order.
    QCOMPARE(m_view->currentTake()->id, takeAt(2).id);
    const QList<Take> selected = m_view->selectedTakes();
    QCOMPARE(selected.size(), 2);
    QCOMPARE(selected.at(0).id, takeAt(2).id);
    QCOMPARE(selected.at(1).id, takeAt(4).id);
    QCOMPARE(auditions.size(), 0);
    QCOMPARE(plays.size(), 0); // a click only selects
}

void TestHistoryView::aHeldKeyAuditionsWhereItIsLetGo()
{
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    focusRow(0);
    const auto send = [this](QEvent::Type type, bool autoRepeat) {
        QKeyEvent event(type, Qt::Key_Down, Qt::NoModifier, QString(), autoRepeat);
        QApplication::sendEvent(list(), &event);
    };
    send(QEvent::KeyPress, false);
    QCOMPARE(auditions.size(), 1); // the first press is heard at once
    for (int repeat = 0; repeat < 3; ++repeat) {
        send(QEvent::KeyRelease, true);
        send(QEvent::KeyPress, true);
    }
    QCOMPARE(list()->currentIndex().row(), 4);
    QCOMPARE(auditions.size(), 1); // not every take passed on the way
    send(QEvent::KeyRelease, false);
    QCOMPARE(auditions.size(), 2);
    QCOMPARE(auditions.constLast().constFirst().value<Take>().id, takeAt(4).id);
}

void TestHistoryView::noAuditionWhenItIsOff()
{
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    m_view->setAuditionOnSelect(false);
    focusRow(0);
    QTest::keyClick(list(), Qt::Key_Down);
    QTest::keyClick(list(), Qt::Key_End);
    QCOMPARE(list()->currentIndex().row(), 5);
    m_view->focusSearch();
    QTest::keyClick(search(), Qt::Key_Down);
    QCOMPARE(list()->currentIndex().row(), 0);
    QCOMPARE(auditions.size(), 0);
}

void TestHistoryView::enterPlaysTheTake()
{
    QSignalSpy plays(m_view.get(), &HistoryView::playRequested);
    QSignalSpy auditions(m_view.get(), &HistoryView::auditionRequested);
    focusRow(2);
    QTest::keyClick(list(), Qt::Key_Return);
    QCOMPARE(plays.size(), 1);
    QCOMPARE(plays.constFirst().constFirst().value<Take>().id, takeAt(2).id);
    QTest::keyClick(list(), Qt::Key_Enter, Qt::KeypadModifier);
    QCOMPARE(plays.size(), 2);
    QCOMPARE(auditions.size(), 0);
}

void TestHistoryView::ctrlAThenCComparesTheTakesFound()
{
    QSignalSpy compares(m_view.get(), &HistoryView::compareRequested);
    m_view->focusSearch();
    QTest::keyClicks(search(), u"techno"_s);
    QTest::keyClick(search(), Qt::Key_Down);
    QTest::keyClick(list(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(m_view->selectedTakes().size(), 3);
    QVERIFY(compareButton()->isEnabled());
    QTest::keyClick(list(), Qt::Key_C);
    QCOMPARE(compares.size(), 1);
    const auto takes = compares.constFirst().constFirst().value<QList<Take>>();
    QCOMPARE(takes.size(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(takes.at(row).id, takeAt(row).id); // in the list's order
        QCOMPARE(takes.at(row).prompt, u"dark techno"_s);
    }
    QVERIFY(compareNote()->isHidden());
}

void TestHistoryView::cNeedsTwoToFourTakes()
{
    QSignalSpy compares(m_view.get(), &HistoryView::compareRequested);
    focusRow(0);
    QTest::keyClick(list(), Qt::Key_C);
    QCOMPARE(compares.size(), 0);
    QVERIFY(compareNote()->isVisible());
    QVERIFY2(compareNote()->text().contains(u"Select 2–4 takes"_s), qPrintable(compareNote()->text()));
    QCOMPARE(list()->currentIndex().row(), 0); // C is not a search for a take starting with "c"

    QTest::keyClick(list(), Qt::Key_A, Qt::ControlModifier);
    QVERIFY(compareNote()->isHidden()); // it was about the selection before
    QCOMPARE(m_view->selectedTakes().size(), 6);
    QTest::keyClick(list(), Qt::Key_C);
    QCOMPARE(compares.size(), 0);
    QVERIFY(compareNote()->isVisible());
    QVERIFY2(compareNote()->text().contains(u"at most four"_s), qPrintable(compareNote()->text()));

    // Five: one too many still.
    list()->selectionModel()->select(m_model->index(5), QItemSelectionModel::Deselect);
    QCOMPARE(m_view->selectedTakes().size(), 5);
    QTest::keyClick(list(), Qt::Key_C);
    QCOMPARE(compares.size(), 0);
    list()->selectionModel()->select(m_model->index(4), QItemSelectionModel::Deselect);
    QTest::keyClick(list(), Qt::Key_C);
    QCOMPARE(compares.size(), 1);
    QCOMPARE(compares.constFirst().constFirst().value<QList<Take>>().size(), 4);
}

void TestHistoryView::theCompareButtonFollowsTheSelection()
{
    QSignalSpy compares(m_view.get(), &HistoryView::compareRequested);
    QPushButton* button = compareButton();
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->toolTip(), u"Select 2–4 takes (Ctrl-click) to compare them at the same loudness"_s);
    focusRow(0);
    QVERIFY(!button->isEnabled());
    QTest::keyClick(list(), Qt::Key_Down, Qt::ShiftModifier);
    QVERIFY(button->isEnabled());
    QVERIFY2(button->toolTip().contains(u"(C)"_s), qPrintable(button->toolTip()));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(compares.size(), 1);
    QCOMPARE(compares.constFirst().constFirst().value<QList<Take>>().size(), 2);
    for (int row = 2; row < 5; ++row)
        list()->selectionModel()->select(m_model->index(row), QItemSelectionModel::Select);
    QVERIFY(!button->isEnabled()); // five
    QVERIFY2(button->toolTip().contains(u"at most four"_s), qPrintable(button->toolTip()));
    // A new search empties the selection, and the button goes with it.
    search()->setText(u"jazz"_s);
    QTRY_COMPARE(m_model->rowCount(), 3);
    QVERIFY(!button->isEnabled());
    QCOMPARE(m_view->selectedTakes().size(), 0);
}

QTEST_MAIN(TestHistoryView)
#include "tst_HistoryView.moc"
