#include "gui/history/HistoryView.h"

#include "analysis/TakeAnalysis.h"
#include "gui/Theme.h"
#include "gui/history/TakeDelegate.h"
#include "library/HistoryModel.h"
#include "model/TextUtils.h"
#include "playback/ComparePlayer.h"
#include "ui_HistoryView.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

HistoryView::HistoryView(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::HistoryView>())
{
    m_ui->setupUi(this);
    m_ui->historyList->setItemDelegate(new TakeDelegate(m_ui->historyList));
    // What an empty list means, in the middle of it where the takes would be.
    m_emptyLabel = new QLabel(m_ui->historyList->viewport());
    m_emptyLabel->setObjectName(u"emptyLabel"_s);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setMargin(12);
    m_emptyLabel->hide();
    m_ui->historyList->viewport()->installEventFilter(this);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(150); // search as the musician types, not on every key
    connect(&m_searchDelay, &QTimer::timeout, this, &HistoryView::applyFilter);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_ui->favouritesOnlyCheck, &QCheckBox::toggled, this, &HistoryView::applyFilter);
    connect(m_ui->historyList, &QListView::activated, this,
            [this](const QModelIndex& index) { emit playRequested(index.data(HistoryModel::TakeRole).value<Take>()); });
    connect(m_ui->historyList, &HistoryList::browsed, this, [this](const QModelIndex& index) {
        if (m_auditionOnSelect)
            emit auditionRequested(index.data(HistoryModel::TakeRole).value<Take>());
    });
    connect(m_ui->historyList, &QListView::customContextMenuRequested, this, &HistoryView::showMenu);
    connect(m_ui->compareButton, &QPushButton::clicked, this, &HistoryView::requestCompare);
    m_ui->historyList->installEventFilter(this);
    m_ui->searchEdit->installEventFilter(this);
}

HistoryView::~HistoryView() = default;

void HistoryView::setModel(HistoryModel* model)
{
    m_model = model;
    m_ui->historyList->setModel(model);
    connect(m_ui->historyList->selectionModel(), &QItemSelectionModel::currentChanged, model,
            &HistoryModel::prepareDrag);
    connect(m_ui->historyList->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryView::updateCompare);
    connect(model, &QAbstractItemModel::rowsInserted, this, &HistoryView::updateCount);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &HistoryView::updateCount);
    connect(model, &QAbstractItemModel::modelReset, this, &HistoryView::updateCount);
    connect(model, &HistoryModel::errorChanged, this, &HistoryView::updateCount);
    connect(
        static_cast<TakeDelegate*>(m_ui->historyList->itemDelegate()), &TakeDelegate::starClicked, this,
        [this](const QModelIndex& index) { emit favouriteToggled(index.data(HistoryModel::TakeRole).value<Take>()); });
    updateCount();
}

std::optional<Take> HistoryView::currentTake() const
{
    const QModelIndex index = m_ui->historyList->currentIndex();
    if (!index.isValid())
        return std::nullopt;
    return index.data(HistoryModel::TakeRole).value<Take>();
}

void HistoryView::selectTake(const QString& id)
{
    const int row = m_model ? m_model->rowOf(id) : -1;
    if (row >= 0)
        m_ui->historyList->setCurrentIndex(m_model->index(row));
}

void HistoryView::focusSearch()
{
    m_ui->searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->searchEdit->selectAll();
}

QList<Take> HistoryView::selectedTakes() const
{
    if (!m_model)
        return {};
    QModelIndexList rows = m_ui->historyList->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<Take> takes;
    takes.reserve(rows.size());
    for (const QModelIndex& row : std::as_const(rows))
        takes.append(row.data(HistoryModel::TakeRole).value<Take>());
    return takes;
}

void HistoryView::setAuditionOnSelect(bool on)
{
    m_auditionOnSelect = on;
}

bool HistoryView::enterResults()
{
    if (m_searchDelay.isActive()) { // the results of everything typed, not of the last pause in the typing
        m_searchDelay.stop();
        applyFilter();
    }
    if (!m_model || m_model->rowCount() == 0)
        return false;
    const QModelIndex first = m_model->index(0);
    m_ui->historyList->selectionModel()->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect);
    m_ui->historyList->scrollTo(first);
    m_ui->historyList->setFocus(Qt::OtherFocusReason);
    if (m_auditionOnSelect) // the musician searched to hear what matches
        emit auditionRequested(first.data(HistoryModel::TakeRole).value<Take>());
    return true;
}

void HistoryView::requestCompare()
{
    const QList<Take> takes = selectedTakes();
    if (takes.size() >= ComparePlayer::MinSlots && takes.size() <= ComparePlayer::MaxSlots) {
        m_ui->compareNote->hide();
        emit compareRequested(takes);
        return;
    }
    m_ui->compareNote->setText(takes.size() > ComparePlayer::MaxSlots
                                   ? tr("Pick at most four takes to compare: %1 are selected.").arg(takes.size())
                                   : tr("Select 2–4 takes (Ctrl-click) to compare them."));
    m_ui->compareNote->show();
}

void HistoryView::updateCompare()
{
    const qsizetype selected = m_model ? m_ui->historyList->selectionModel()->selectedRows().size() : 0;
    const bool comparable = selected >= ComparePlayer::MinSlots && selected <= ComparePlayer::MaxSlots;
    m_ui->compareButton->setEnabled(comparable);
    m_ui->compareButton->setToolTip(comparable
                                        ? tr("Compare the %1 selected takes at the same loudness (C)").arg(selected)
                                    : selected > ComparePlayer::MaxSlots
                                        ? tr("Compare at most four takes at a time: %1 are selected").arg(selected)
                                        : tr("Select 2–4 takes (Ctrl-click) to compare them at the same loudness"));
    m_ui->compareNote->hide(); // it was about the selection before this one
}

void HistoryView::applyFilter()
{
    if (!m_model)
        return;
    TakeQuery query = m_model->query();
    query.search = m_ui->searchEdit->text().trimmed();
    query.favouritesOnly = m_ui->favouritesOnlyCheck->isChecked();
    m_model->setQuery(query);
}

void HistoryView::updateCount()
{
    if (!m_model)
        return;
    updateCompare(); // a reset or a removed row can take selected takes with it
    // A history that could not be read must not pass for an empty one: the reason, readable and in full.
    const QString error = m_model->errorText();
    const int shown = m_model->rowCount();
    m_ui->countLabel->setEnabled(!error.isEmpty());
    m_ui->countLabel->setWordWrap(!error.isEmpty());
    Theme::setErrorText(m_ui->countLabel, !error.isEmpty());
    m_emptyLabel->setVisible(error.isEmpty() && shown == 0);
    if (!error.isEmpty()) {
        m_ui->countLabel->setText(error);
        return;
    }
    if (shown == 0) {
        const TakeQuery query = m_model->query();
        m_emptyLabel->setText(
            query.search.isEmpty() && !query.favouritesOnly
                ? tr("No takes yet.\nDescribe some music in the prompt and press Generate (Ctrl+Return).")
                : tr("No takes match."));
    }
    m_ui->countLabel->setText(shown == 0 ? QString()
                                         : takesText(shown) + (m_model->canFetchMore({}) ? u"+"_s : QString()));
}

void HistoryView::showMenu(const QPoint& position)
{
    const QModelIndex index = m_ui->historyList->indexAt(position);
    if (!index.isValid())
        return;
    const Take take = index.data(HistoryModel::TakeRole).value<Take>();
    QMenu menu(this);
    menu.addAction(tr("&Play"), this, [this, take] { emit playRequested(take); });
    menu.addAction(take.favourite ? tr("Remove from &favourites") : tr("Add to &favourites (saves a copy)"), this,
                   [this, take] { emit favouriteToggled(take); });
    menu.addSeparator();
    menu.addAction(tr("&Same settings again"), this, [this, take] { emit sameAgainRequested(take); });
    menu.addAction(tr("New take with a new &seed"), this, [this, take] { emit newSeedRequested(take); });
    menu.addAction(tr("&Load settings into the form"), this, [this, take] { emit loadSettingsRequested(take); });
    menu.addSeparator();
    menu.addAction(tr("&Copy prompt"), this, [take] { QGuiApplication::clipboard()->setText(take.prompt); });
    menu.addAction(tr("Show in f&older"), this, [this, take] { emit showInFolderRequested(take); });
    menu.addAction(tr("&Export…"), this, [this, take] { emit exportRequested(take); });
    if (take.tempo() > 0) {
        menu.addSeparator();
        for (const double factor : {2.0, 0.5}) {
            const double bpm = take.tempo() * factor;
            QAction* action = menu.addAction(
                (factor > 1 ? tr("Tempo ×2: %1 BPM") : tr("Tempo ÷2: %1 BPM")).arg(MusicAnalysis::tempoText(bpm)), this,
                [this, take, factor] { correctTempo(take, factor); });
            action->setShortcut(factor > 1 ? QKeySequence(u"*"_s) : QKeySequence(u"/"_s));
            action->setEnabled(bpm >= MusicAnalysis::MinBpm && bpm <= MusicAnalysis::MaxBpm);
        }
        if (take.bpmByUser)
            menu.addAction(take.bpm > 0
                               ? tr("Back to the detected tempo: %1 BPM").arg(MusicAnalysis::tempoText(take.bpm))
                               : tr("Forget my tempo (none detected)"),
                           this, [this, take] { emit tempoCorrected(take, std::nullopt); });
    }
    menu.addSeparator();
    menu.addAction(tr("&Delete (to trash)"), this, [this, take] { emit deleteRequested(take); });
    menu.exec(m_ui->historyList->viewport()->mapToGlobal(position));
}

bool HistoryView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->historyList->viewport() && event->type() == QEvent::Resize)
        m_emptyLabel->setGeometry(m_ui->historyList->viewport()->rect());
    if (watched == m_ui->searchEdit && event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape && !m_ui->searchEdit->text().isEmpty()) {
        event->accept(); // Esc clears a search before it means anything to the window
        return true;
    }
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (watched == m_ui->searchEdit && searchKeyPressed(key))
            return true;
        if (watched == m_ui->historyList && listKeyPressed(key))
            return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool HistoryView::searchKeyPressed(const QKeyEvent* key)
{
    if ((key->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier)
        return false;
    switch (key->key()) {
    case Qt::Key_Down:
    case Qt::Key_Return:
    case Qt::Key_Enter: return enterResults();
    case Qt::Key_Escape:
        if (m_ui->searchEdit->text().isEmpty())
            return false;
        m_ui->searchEdit->clear();
        return true;
    default: return false;
    }
}

bool HistoryView::listKeyPressed(const QKeyEvent* key)
{
    const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (plain && key->key() == Qt::Key_Up && m_ui->historyList->currentIndex().row() <= 0) {
        m_ui->searchEdit->setFocus(Qt::OtherFocusReason); // back to the search, as it was typed
        return true;
    }
    if (plain && key->key() == Qt::Key_C) {
        requestCompare();
        return true;
    }
    const auto take = currentTake();
    if (!take)
        return false;
    if (key->key() == Qt::Key_Delete) {
        emit deleteRequested(*take);
        return true;
    }
    if (key->text() == u"*"_s || key->text() == u"/"_s) {
        correctTempo(*take, key->text() == u"*"_s ? 2.0 : 0.5);
        return true;
    }
    if (key->key() == Qt::Key_Menu) {
        showMenu(m_ui->historyList->visualRect(m_ui->historyList->currentIndex()).center());
        return true;
    }
    return false;
}

void HistoryView::correctTempo(const Take& take, double factor)
{
    const double bpm = take.tempo() * factor;
    if (take.tempo() <= 0 || bpm < MusicAnalysis::MinBpm || bpm > MusicAnalysis::MaxBpm)
        return;
    // Back at the detected tempo, the correction is gone rather than equal to it.
    emit tempoCorrected(take, std::abs(bpm - take.bpm) < 0.01 ? std::nullopt : std::optional(bpm));
}
