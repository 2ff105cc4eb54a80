#include "TestPalettes.h"

#include "gui/Theme.h"
#include "gui/jobs/JobsView.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

using TestPalettes::contrast;

GenerationResult failure()
{
    GenerationResult result;
    result.error.kind = ErrorKind::Network;
    result.error.detail = u"Connection refused"_s;
    return result;
}

} // namespace

/// The In-progress area as the window holds it: under a growing prompt, in the left pane's width.
class TestJobsView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void takesNoRoomWhenNothingIsInProgress();
    void showsFourTakesThenScrolls();
    void errorTextReadsOnLightAndDarkPalettes_data();
    void errorTextReadsOnLightAndDarkPalettes();

private:
    void addJobs(int count, int failed);
    QList<QWidget*> rows() const;
    QScrollArea* scroll() const { return m_jobs->findChild<QScrollArea*>(u"jobsScroll"_s); }
    bool fullyShown(QWidget* row) const;

    std::unique_ptr<QWidget> m_pane;
    JobsView* m_jobs = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
    quint64 m_nextId = 1;
};

void TestJobsView::init()
{
    m_pane = std::make_unique<QWidget>();
    auto* layout = new QVBoxLayout(m_pane.get());
    m_prompt = new QPlainTextEdit(m_pane.get());
    m_jobs = new JobsView(m_pane.get());
    layout->addWidget(m_prompt);
    layout->addWidget(m_jobs);
    m_pane->resize(520, 560);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
}

void TestJobsView::cleanup()
{
    m_pane.reset();
}

void TestJobsView::addJobs(int count, int failed)
{
    for (int i = 0; i < count; ++i) {
        const quint64 id = m_nextId++;
        m_jobs->addJob(id, GenerationRequest{u"lo-fi hip hop with a soothing piano, 80 bpm"_s, 20, int(id)}, 0);
        if (i < failed)
            m_jobs->finishJob(id, failure());
    }
}

QList<QWidget*> TestJobsView::rows() const
{
    return m_jobs->findChildren<QWidget*>(QRegularExpression(u"^jobRow_"_s));
}

bool TestJobsView::fullyShown(QWidget* row) const
{
    // Laid out at the full height its text needs at its width, and all of it inside the visible part of the list.
    const int needed = row->hasHeightForWidth() ? row->heightForWidth(row->width()) : row->sizeHint().height();
    const QRect inViewport(row->mapTo(scroll()->viewport(), QPoint()), row->size());
    return row->height() >= needed && scroll()->viewport()->rect().contains(inViewport);
}

void TestJobsView::takesNoRoomWhenNothingIsInProgress()
{
    QVERIFY(m_jobs->isHidden());
    const int bottom = m_pane->height() - m_pane->layout()->contentsMargins().bottom() - 1;
    QCOMPARE(m_prompt->geometry().bottom(), bottom); // the prompt has all the room
    addJobs(1, 0);
    QTRY_VERIFY(m_jobs->isVisible());
    QTRY_VERIFY(fullyShown(rows().constFirst()));
    m_jobs->finishJob(1, GenerationResult{}); // made: the row goes, and the area with it
    QTRY_VERIFY(m_jobs->isHidden());
    QTRY_COMPARE(m_prompt->geometry().bottom(), bottom);
}

void TestJobsView::showsFourTakesThenScrolls()
{
    addJobs(4, 2); // two failed takes (their errors wrap onto a second line) and two running
    QCOMPARE(rows().size(), JobsView::VisibleRows);
    QTRY_VERIFY(m_jobs->isVisible());
    for (QWidget* row : rows())
        QTRY_VERIFY2(fullyShown(row), qPrintable(row->objectName()));
    QVERIFY(!scroll()->verticalScrollBar()->isVisible());
    QVERIFY(!scroll()->horizontalScrollBar()->isVisible());
    const int fourRows = scroll()->height();

    addJobs(1, 1); // a fifth scrolls; the newest four stay in view
    QTRY_VERIFY(scroll()->verticalScrollBar()->isVisible());
    QList<QWidget*> all = rows();
    std::sort(all.begin(), all.end(), [](QWidget* a, QWidget* b) { return a->y() < b->y(); });
    for (int i = 0; i < JobsView::VisibleRows; ++i)
        QTRY_VERIFY2(fullyShown(all.at(i)), qPrintable(all.at(i)->objectName()));
    QVERIFY(!fullyShown(all.constLast()));
    QVERIFY2(std::abs(scroll()->height() - fourRows) <= fourRows / 4,
             qPrintable(u"%1 px for four rows, %2 px with five"_s.arg(fourRows).arg(scroll()->height())));

    m_jobs->finishJob(3, GenerationResult{}); // a running take arrives: four again, and no scroll bar
    QTRY_COMPARE(rows().size(), JobsView::VisibleRows);
    QTRY_VERIFY(!scroll()->verticalScrollBar()->isVisible());
}

void TestJobsView::errorTextReadsOnLightAndDarkPalettes_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<QPalette>("switchedTo");
    QTest::newRow("light") << TestPalettes::light() << TestPalettes::dark();
    QTest::newRow("dark") << TestPalettes::dark() << TestPalettes::light();
}

void TestJobsView::errorTextReadsOnLightAndDarkPalettes()
{
    QFETCH(QPalette, palette);
    QFETCH(QPalette, switchedTo);
    m_pane->setPalette(palette);
    addJobs(1, 1);
    auto* status = rows().constFirst()->findChild<QLabel*>(u"statusLabel"_s);
    QVERIFY(status->text().contains(u"Connection refused"_s));

    for (const QPalette& around : {palette, switchedTo}) {
        m_pane->setPalette(around); // as when the desktop switches between a light and a dark theme
        const QColor shown = status->palette().color(status->foregroundRole());
        const QString name = shown.name();
        QVERIFY2(shown != QColor(Qt::magenta), qPrintable(name));
        QVERIFY2(shown.red() > shown.green() + 40 && shown.red() > shown.blue() + 40, qPrintable(name)); // red
        QVERIFY2(contrast(shown, around.color(QPalette::Window)) >= 4.5, qPrintable(name));
        QCOMPARE(shown, Theme::errorColor(around));
        // Quiet text elsewhere keeps the palette's own colours.
        QCOMPARE(rows().constFirst()->findChild<QLabel*>(u"titleLabel"_s)->palette().color(QPalette::WindowText),
                 around.color(QPalette::WindowText));
    }
}

QTEST_MAIN(TestJobsView)
#include "tst_JobsView.moc"
