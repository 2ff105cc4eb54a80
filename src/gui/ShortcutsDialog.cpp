#include "gui/ShortcutsDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString shown(const QKeySequence& keys)
{
    return keys.toString(QKeySequence::NativeText);
}

} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::entries()
{
    const QString anywhere = tr("Anywhere");
    const QString search = tr("Search box");
    const QString history = tr("History");
    const QString waveform = tr("Waveform");
    const QString comparing = tr("Comparing takes");
    const QKeySequence generate(Qt::CTRL | Qt::Key_Return);
    // A standard key may have several bindings on a platform (Undo: Ctrl+Z and Alt+Backspace); the first is shown.
    const QList<QKeySequence> find = QKeySequence::keyBindings(QKeySequence::Find);
    const QList<QKeySequence> undo = QKeySequence::keyBindings(QKeySequence::Undo);
    const QKeySequence settings(u"Ctrl+,"_s);
    const QKeySequence help(Qt::Key_F1);
    const QKeySequence quit(Qt::CTRL | Qt::Key_Q);
    return {
        {anywhere,
         shown(generate),
         tr("Generate takes from the form"),
         {generate, QKeySequence(Qt::CTRL | Qt::Key_Enter)}},
        {anywhere, tr("Space"), tr("Play or pause (outside text fields)"), {QKeySequence(Qt::Key_Space)}},
        {anywhere, shown(find.value(0)), tr("Search the history"), find},
        {anywhere, shown(undo.value(0)), tr("Undo the last delete"), undo},
        {anywhere, shown(settings), tr("Settings"), {settings}},
        {anywhere, shown(help), tr("This list of keyboard shortcuts"), {help}},
        {anywhere, shown(quit), tr("Quit"), {quit}},
        {anywhere, tr("Tab, Shift+Tab"), tr("Next or previous control (Alt and an underlined letter: straight to it)")},
        {anywhere, tr("Media keys"), tr("Play, pause, stop, next and previous take (the desktop's media controls)")},
        {search, tr("Down, Enter"), tr("Into the results: the first take selected (and auditioned)")},
        {search, tr("Esc"), tr("Clear the search")},
        {history, tr("Up, Down, PgUp, PgDown, Home, End"),
         tr("Move to a take; with audition on select, play it from the same moment")},
        {history, tr("Up on the first take"), tr("Back to the search box")},
        {history, tr("Enter"), tr("Play the take from the start (double-click too)")},
        {history, tr("Shift+Up, Shift+Down, Ctrl-click, Shift-click"), tr("Select several takes")},
        {history, tr("Ctrl+A"), tr("Select every take shown (a search narrows them)")},
        {history, tr("C"), tr("Compare the selected takes (2–4) at the same loudness")},
        {history, tr("*, /"), tr("Tempo ×2, tempo ÷2 (an octave is the detector's commonest mistake)")},
        {history, tr("Delete"), tr("Move the take to the trash (Ctrl+Z brings it back)")},
        {history, tr("Menu"), tr("The take's menu")},
        {waveform, tr("Left, Right"), tr("Back or forward 1 s (a click goes there)")},
        {waveform, tr("Drag"), tr("Choose a region, its edges on the take's bars")},
        {waveform, tr("Shift-drag"), tr("Choose a free region, not snapped to bars")},
        {waveform, tr("Shift+Left, Shift+Right"),
         tr("The region's end a bar earlier or later (or a region at the playhead's bar)")},
        {waveform, tr("L"), tr("Loop the region's bars (again: back to the take)"), {QKeySequence(Qt::Key_L)}},
        {waveform, tr("Esc"), tr("Clear the region")},
        {waveform, tr("Menu"), tr("Export loop…, Loop region, Clear region")},
        {comparing,
         tr("1–4"),
         tr("Hear that take, from the same moment of the music"),
         {QKeySequence(Qt::Key_1), QKeySequence(Qt::Key_2), QKeySequence(Qt::Key_3), QKeySequence(Qt::Key_4)}},
        {comparing, tr("Space"), tr("Pause or play every take")},
        {comparing, tr("F"), tr("Star the take you are hearing"), {QKeySequence(Qt::Key_F)}},
        {comparing, tr("Esc"), tr("Leave the comparison"), {QKeySequence(Qt::Key_Escape)}},
    };
}

ShortcutsDialog::ShortcutsDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    auto* tree = new QTreeWidget(this);
    tree->setObjectName(u"shortcutsTree"_s);
    tree->setAccessibleName(tr("Keyboard shortcuts"));
    tree->setColumnCount(2);
    tree->setHeaderLabels({tr("Keys"), tr("What they do")});
    tree->setRootIsDecorated(false);
    tree->setSelectionMode(QAbstractItemView::NoSelection);
    QTreeWidgetItem* group = nullptr;
    for (const Entry& entry : entries()) {
        if (!group || group->text(0) != entry.where) {
            group = new QTreeWidgetItem(tree, {entry.where});
            group->setFirstColumnSpanned(true);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
            group->setFlags(Qt::ItemIsEnabled);
        }
        auto* row = new QTreeWidgetItem(group, {entry.keys, entry.action});
        row->setFlags(Qt::ItemIsEnabled);
    }
    tree->expandAll();
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree->header()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tree);
    layout->addWidget(buttons);
    resize(800, 660);
}
