#include "FakePlayerBackend.h"
#include "TestTakes.h"
#include "gui/MainWindow.h"
#include "gui/ShortcutsDialog.h"
#include "gui/Studio.h"
#include "library/HistoryModel.h"
#include "library/Library.h"

#include <QAction>
#include <QApplication>
#include <QListView>
#include <QShortcut>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

/// Help → Keyboard shortcuts against the real window, offscreen: the list holds every shortcut the window has and
/// nothing it lacks, and Tab reaches every control.
class TestShortcutsDialog final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void f1ShowsEveryEntry();
    void theListMatchesTheWindowsShortcuts();
    void tabReachesEveryControlInOrder();

private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
};

void TestShortcutsDialog::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    qputenv("XDG_MUSIC_DIR", m_home->filePath(u"music"_s).toUtf8());
    {
        Library library(m_home->filePath(u"data"_s));
        QVERIFY(library.open().ok);
        for (int seed = 1; seed <= 2; ++seed)
            QVERIFY(library.add(TestTakes::result(u"two takes"_s, seed)));
    }
    {
        Settings settings(m_home->filePath(u"settings.ini"_s));
        settings.setProvider(Settings::ProviderChoice::Offline);
        settings.sync();
    }
    m_studio = std::make_unique<Studio>(Studio::Paths{m_home->filePath(u"data"_s), m_home->filePath(u"settings.ini"_s)},
                                        std::make_unique<FakePlayerBackend>());
    m_window = std::make_unique<MainWindow>(m_studio->windowParts());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestShortcutsDialog::cleanup()
{
    m_window.reset();
    m_studio.reset();
    m_home.reset();
}

void TestShortcutsDialog::f1ShowsEveryEntry()
{
    QStringList shown;
    QTimer::singleShot(0, this, [&shown] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        auto* tree = dialog ? dialog->findChild<QTreeWidget*>(u"shortcutsTree"_s) : nullptr;
        for (int group = 0; tree && group < tree->topLevelItemCount(); ++group) {
            for (int row = 0; row < tree->topLevelItem(group)->childCount(); ++row) {
                const QTreeWidgetItem* item = tree->topLevelItem(group)->child(row);
                shown << tree->topLevelItem(group)->text(0) + u" | "_s + item->text(0) + u" | "_s + item->text(1);
            }
        }
        if (dialog)
            dialog->reject();
    });
    QTest::keyClick(m_window.get(), Qt::Key_F1);
    QStringList listed;
    for (const ShortcutsDialog::Entry& entry : ShortcutsDialog::entries())
        listed << entry.where + u" | "_s + entry.keys + u" | "_s + entry.action;
    QCOMPARE(shown, listed);
    QVERIFY(listed.size() > 20);
}

void TestShortcutsDialog::theListMatchesTheWindowsShortcuts()
{
    QList<QKeySequence> listed;
    for (const ShortcutsDialog::Entry& entry : ShortcutsDialog::entries())
        listed << entry.windowKeys;
    QList<QKeySequence> window;
    for (const QShortcut* shortcut : m_window->findChildren<QShortcut*>())
        window << shortcut->keys();
    for (const QAction* action : m_window->findChildren<QAction*>())
        window << action->shortcuts();
    QVERIFY(window.size() >= 10);
    for (const QKeySequence& keys : std::as_const(window))
        QVERIFY2(listed.contains(keys), qPrintable(keys.toString() + u" is missing from the list"_s));
    for (const QKeySequence& keys : std::as_const(listed))
        QVERIFY2(window.contains(keys), qPrintable(keys.toString() + u" is listed but the window has no such key"_s));
}

void TestShortcutsDialog::tabReachesEveryControlInOrder()
{
    // With two takes selected, Compare is one of the controls.
    auto* list = m_window->findChild<QListView*>(u"historyList"_s);
    list->selectAll();
    QCOMPARE(list->selectionModel()->selectedRows().size(), 2);
    auto* prompt = m_window->findChild<QWidget*>(u"promptEdit"_s);
    prompt->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), prompt);
    QStringList order;
    for (int step = 0; step < 40; ++step) {
        order << QApplication::focusWidget()->objectName();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        if (QApplication::focusWidget() == prompt)
            break;
    }
    const QStringList expected{
        u"promptEdit"_s,     u"durationSlider"_s, u"seedSpin"_s,   u"randomSeedButton"_s,    u"newSeedCheck"_s,
        u"takesSpin"_s,      u"generateButton"_s, u"searchEdit"_s, u"favouritesOnlyCheck"_s, u"historyList"_s,
        u"compareButton"_s,  u"waveformView"_s,   u"playButton"_s, u"stopButton"_s,          u"loopButton"_s,
        u"positionSlider"_s, u"volumeSlider"_s,   u"deviceCombo"_s};
    QCOMPARE(order, expected);
}

QTEST_MAIN(TestShortcutsDialog)
#include "tst_ShortcutsDialog.moc"
