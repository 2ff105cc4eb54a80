#include "gui/MainWindow.h"

#include "generation/AnalysisBackfill.h"
#include "generation/Session.h"
#include "generation/TakeLoops.h"
#include "gui/ShortcutsDialog.h"
#include "gui/compare/CompareStrip.h"
#include "gui/desktop/MprisService.h"
#include "gui/history/TakeDelegate.h"
#include "gui/player/PeaksCache.h"
#include "gui/settings/SettingsDialog.h"
#include "library/HistoryModel.h"
#include "library/LibraryService.h"
#include "platform/AtomicFile.h"
#include "platform/FileNames.h"
#include "platform/Settings.h"
#include "playback/ComparePlayer.h"
#include "playback/Player.h"
#include "ui_MainWindow.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QShortcut>
#include <QToolButton>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

QString formatDollars(double dollars)
{
    return u"$"_s + QString::number(dollars, 'f', dollars < 1 ? 3 : 2);
}

} // namespace

MainWindow::MainWindow(const WindowParts& parts, QWidget* parent)
    : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_settings(parts.settings),
      m_session(parts.session), m_library(parts.library), m_player(parts.player), m_compare(parts.compare),
      m_history(new HistoryModel(parts.library, this)), m_peaks(new PeaksCache(this)),
      m_providerStatus(new QLabel(this)), m_creditsStatus(new QLabel(this)), m_spendStatus(new QLabel(this)),
      m_analysisStatus(new QLabel(this)), m_undoButton(new QToolButton(this))
{
    Session* session = parts.session;
    LibraryService* library = parts.library;
    Player* player = parts.player;
    m_ui->setupUi(this);
    // Made after the form, so that its controls come last in the Tab order: after the history's Compare button while
    // the strip stands where the player was.
    m_compareStrip = new CompareStrip(this);
    m_ui->historyView->setModel(m_history);
    m_ui->centralLayout->insertWidget(m_ui->centralLayout->indexOf(m_ui->playerBar), m_compareStrip);
    m_compareStrip->hide();
    m_ui->playerBar->setPlayer(player);
    m_ui->playerBar->setLibrary(m_library);
    m_ui->mainSplitter->setStretchFactor(0, 2);
    m_ui->mainSplitter->setStretchFactor(1, 3);
    m_providerStatus->setObjectName(u"providerStatus"_s);
    m_creditsStatus->setObjectName(u"creditsStatus"_s);
    m_spendStatus->setObjectName(u"spendStatus"_s);
    m_analysisStatus->setObjectName(u"analysisStatus"_s);
    m_analysisStatus->hide();
    m_undoButton->setObjectName(u"undoButton"_s);
    m_undoButton->setText(tr("Undo"));
    m_undoButton->hide();
    statusBar()->addPermanentWidget(m_analysisStatus);
    statusBar()->addPermanentWidget(m_undoButton);
    statusBar()->addPermanentWidget(m_providerStatus);
    statusBar()->addPermanentWidget(m_creditsStatus);
    statusBar()->addPermanentWidget(m_spendStatus);
    restoreLastState();

    // Keyboard: Ctrl+Return generates from anywhere, Space plays/pauses outside text fields, Ctrl+F searches.
    auto* generateShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(generateShortcut, &QShortcut::activated, this, &MainWindow::generate);
    auto* generateEnter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    connect(generateEnter, &QShortcut::activated, this, &MainWindow::generate);
    auto* playShortcut = new QShortcut(QKeySequence(Qt::Key_Space), this);
    connect(playShortcut, &QShortcut::activated, this, [this] {
        if (m_compare->isActive())
            m_compare->togglePlayPause(); // every take of the comparison, together
        else
            m_player->togglePlayPause();
    });
    auto* searchShortcut = new QShortcut(QKeySequence::Find, this);
    connect(searchShortcut, &QShortcut::activated, m_ui->historyView, &HistoryView::focusSearch);
    auto* undoShortcut = new QShortcut(QKeySequence::Undo, this);
    connect(undoShortcut, &QShortcut::activated, this, &MainWindow::undoDelete);

    connect(m_ui->promptPanel, &PromptPanel::generateRequested, this, &MainWindow::generate);
    connect(m_ui->settingsAction, &QAction::triggered, this, [this] { openSettings(false); });
    connect(m_ui->quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->shortcutsAction, &QAction::triggered, this, [this] { ShortcutsDialog(this).exec(); });
    connect(m_ui->aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About MusicGen Studio"),
                           tr("<h3>MusicGen Studio %1</h3><p>Make music clips from text prompts with Segmind's "
                              "Meta MusicGen Medium, or offline with the built-in sketch engine.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    connectSession();
    connectLibrary();
    connectHistory();
    connectBackfill(parts.backfill);
    connectCompare();
    // The desktop's media keys and controls: next and previous select the take in the history and load it.
    auto* mpris = new MprisService(QDBusConnection::sessionBus(), this, player, library, m_history);
    connect(mpris, &MprisService::takeRequested, this, [this](const Take& take, bool start) {
        m_ui->historyView->selectTake(take.id);
        leaveCompare();
        play(take, start);
    });

    connect(m_ui->playerBar, &PlayerBar::deviceChosen, this, [this](const QByteArray& id) {
        m_player->setOutputDevice(id);
        m_compare->setOutputDevice(id);
        m_settings->setOutputDeviceId(id);
    });
    connect(m_ui->playerBar, &PlayerBar::exportLoopRequested, this, &MainWindow::exportLoop);
    connect(m_ui->playerBar, &PlayerBar::loopFailed, this, &MainWindow::showNotice);
    connect(player, &Player::failed, this,
            [this](const QString& message) { showNotice(tr("Cannot play this take: %1").arg(message)); });

    m_arrivalTimer.setSingleShot(true);
    m_arrivalTimer.setInterval(0);
    connect(&m_arrivalTimer, &QTimer::timeout, this, [this] {
        // A new take does not cut into a comparison: it is loaded, ready for when the comparison ends.
        if (m_newestArrival)
            play(*std::exchange(m_newestArrival, std::nullopt), m_settings->autoPlay() && !m_compare->isActive());
    });
    m_undoTimer.setSingleShot(true);
    m_undoTimer.setInterval(10000);
    connect(&m_undoTimer, &QTimer::timeout, m_undoButton, &QWidget::hide);
    connect(m_undoButton, &QToolButton::clicked, this, &MainWindow::undoDelete);

    if (const QString& message = library->openReport().message; !message.isEmpty())
        showNotice(message);
    else if (!session->offlineReason().isEmpty())
        showNotice(session->offlineReason());
    updateStatus();
    session->refreshCredits();
    // The newest take is ready to audition with Space, as the musician left it.
    if (m_history->rowCount() > 0)
        play(m_history->takeAt(0), false);
    m_ui->promptPanel->focusPrompt();
}

void MainWindow::restoreLastState()
{
    m_ui->promptPanel->setRequest({m_settings->lastPrompt(), m_settings->lastDuration(), m_settings->lastSeed()});
    m_ui->promptPanel->setNewSeedForEveryTake(m_settings->newSeedEveryTake());
    m_ui->promptPanel->setTakesPerClick(m_settings->parallelTakes());
    m_ui->historyView->setAuditionOnSelect(m_settings->auditionOnSelect());
    m_ui->playerBar->selectDevice(m_settings->outputDeviceId());
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_ui->mainSplitter->restoreState(m_settings->splitterState());
}

void MainWindow::connectSession()
{
    JobsView* jobs = m_ui->jobsView;
    connect(m_session, &Session::jobStarted, jobs, &JobsView::addJob);
    connect(m_session, &Session::jobStatusChanged, jobs, &JobsView::updateJob);
    connect(m_session, &Session::jobFinished, jobs, &JobsView::finishJob);
    connect(jobs, &JobsView::cancelRequested, m_session, &Session::cancel);
    connect(jobs, &JobsView::retryRequested, m_session, &Session::retry);
    connect(jobs, &JobsView::dismissed, m_session, &Session::dismiss);
    connect(jobs, &JobsView::openSettingsRequested, this, [this] { openSettings(true); });
    connect(m_session, &Session::notice, this, &MainWindow::showNotice);
    connect(m_session, &Session::spendChanged, this, &MainWindow::updateStatus);
    connect(m_session, &Session::creditsChanged, this, &MainWindow::updateStatus);
    connect(m_session, &Session::providerChanged, this, &MainWindow::updateStatus);
    connect(m_session, &Session::apiKeyChanged, this, &MainWindow::updateStatus);
    connect(m_session, &Session::keychainUnavailable, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
}

void MainWindow::connectLibrary()
{
    connect(m_library, &LibraryService::takeAdded, this, &MainWindow::onTakeAdded);
    connect(m_library, &LibraryService::takeChanged, this, [this](const Take& take) {
        if (m_player->currentTakeId() == take.id)
            showNowPlaying(take); // a tempo corrected or a take analysed while it plays
        m_compareStrip->updateTake(take);
        // A take compared went to the trash: the comparison ends rather than play (and star) what was thrown away.
        bool compared = false;
        for (int slot = 0; slot < m_compare->slotCount(); ++slot)
            compared = compared || m_compare->takeIdAt(slot) == take.id;
        if (take.trashed && compared) {
            leaveCompare();
            statusBar()->showMessage(tr("The comparison ended: one of its takes went to the trash"), 8000);
        }
    });
    connect(m_library, &LibraryService::failed, this, &MainWindow::showNotice);
    connect(m_library, &LibraryService::reindexed, this, &MainWindow::showNotice);
    connect(m_library, &LibraryService::favouriteSaved, this, [this](const Take&, const QString& path) {
        statusBar()->showMessage(tr("Saved to %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    connect(m_library, &LibraryService::exported, this, [this](const Take&, const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    connect(m_library, &LibraryService::loopExported, this, [this](const Take&, const QString& path) {
        statusBar()->showMessage(tr("Loop saved to %1 and kept in the history").arg(QDir::toNativeSeparators(path)),
                                 8000);
    });
}

void MainWindow::connectHistory()
{
    HistoryView* history = m_ui->historyView;
    connect(history, &HistoryView::playRequested, this, [this](const Take& take) {
        leaveCompare(); // the musician chose one take to hear
        play(take, true);
    });
    connect(history, &HistoryView::compareRequested, this, &MainWindow::startCompare);
    connect(history, &HistoryView::auditionRequested, this, [this](const Take& take) {
        if (m_compare->isActive())
            return; // while takes are compared, 1–4 choose what is heard
        if (take.id == m_player->currentTakeId()) {
            m_player->play();
            return;
        }
        // The same moment of the music in the next take; a take shorter than that plays from its start.
        const qint64 at = m_player->position();
        play(take, true, at < qint64(take.actualDuration * 1000) ? at : 0);
    });
    connect(history, &HistoryView::favouriteToggled, m_library,
            [this](const Take& take) { m_library->setFavourite(take.id, !take.favourite); });
    connect(history, &HistoryView::sameAgainRequested, m_session,
            [this](const Take& take) { m_session->makeAgain(take, false); });
    connect(history, &HistoryView::newSeedRequested, m_session,
            [this](const Take& take) { m_session->makeAgain(take, true); });
    connect(history, &HistoryView::loadSettingsRequested, this, [this](const Take& take) {
        m_ui->promptPanel->setRequest(take.request());
        m_ui->promptPanel->focusPrompt();
    });
    connect(history, &HistoryView::showInFolderRequested, this, &MainWindow::showInFolder);
    connect(history, &HistoryView::exportRequested, this, &MainWindow::exportTake);
    connect(history, &HistoryView::deleteRequested, this, &MainWindow::deleteTake);
    connect(history, &HistoryView::tempoCorrected, m_library,
            [this](const Take& take, std::optional<double> bpm) { m_library->setTempoByUser(take.id, bpm); });
}

void MainWindow::connectBackfill(AnalysisBackfill* backfill)
{
    // Takes kept before tempo, key and loudness were measured get them in the background; the count shows how far.
    connect(backfill, &AnalysisBackfill::progress, this, [this](int done, int total) {
        m_analysisStatus->setText(tr("Analysing takes: %L1 of %L2").arg(done).arg(total));
        m_analysisStatus->setVisible(done < total);
    });
    connect(backfill, &AnalysisBackfill::finished, m_analysisStatus, &QWidget::hide);
    if (backfill->isRunning()) {
        m_analysisStatus->setText(tr("Analysing takes…"));
        m_analysisStatus->show();
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent* event)
{
    Settings& settings = *m_settings;
    const GenerationRequest request = m_ui->promptPanel->request();
    settings.setLastPrompt(request.prompt);
    settings.setLastDuration(request.durationSeconds);
    settings.setLastSeed(request.seed);
    settings.setNewSeedEveryTake(m_ui->promptPanel->newSeedForEveryTake());
    settings.setParallelTakes(m_ui->promptPanel->takesPerClick());
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    settings.setSplitterState(m_ui->mainSplitter->saveState());
    settings.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::generate()
{
    const Session::Click click = m_session->generate(m_ui->promptPanel->request(), m_ui->promptPanel->takesPerClick(),
                                                     m_ui->promptPanel->newSeedForEveryTake());
    if (!click.error.isEmpty()) {
        showNotice(click.error);
        m_ui->promptPanel->focusPrompt();
        return;
    }
    if (m_ui->promptPanel->newSeedForEveryTake() && !click.seeds.isEmpty())
        m_ui->promptPanel->showUsedSeed(click.seeds.constLast());
    m_ui->noticeLabel->hide();
}

void MainWindow::onTakeAdded(const Take& take)
{
    m_ui->historyView->selectTake(take.id);
    if (take.loopBars > 0)
        return; // a loop exported or dragged out: its parent keeps playing, its region there for the next loop
    // Takes that land together (several per click) would each cut the previous one off after a moment and cost
    // the player a pipeline change each: only the newest is loaded, once the burst has been handled.
    m_newestArrival = take;
    m_arrivalTimer.start();
}

void MainWindow::play(const Take& take, bool start, qint64 startMs)
{
    const QString path = m_library->audioPath(take);
    if (take.audioMissing || !QFileInfo::exists(path)) {
        showNotice(tr("The audio of this take is missing (%1). Its recipe is kept: use “Same settings again” "
                      "to make it anew.")
                       .arg(QDir::toNativeSeparators(path)));
        return;
    }
    m_player->load(take.id, path, start, startMs);
    showNowPlaying(take);
    loadPeaks(take);
}

void MainWindow::showNowPlaying(const Take& take)
{
    QStringList parts{tr("“%1”").arg(take.prompt.simplified()), tr("%1 s").arg(take.requestedDuration),
                      tr("seed %1").arg(take.seed)};
    parts << TakeDelegate::chipsOf(take);
    m_ui->playerBar->setNowPlaying(parts.join(u" · "_s));
    m_ui->playerBar->setTake(take);
}

void MainWindow::loadPeaks(const Take& take)
{
    m_ui->playerBar->clearPeaks();
    m_peaks->request(take.id, m_library->audioPath(take), [this, id = take.id](const AudioCodec::Peaks& peaks) {
        if (m_player->currentTakeId() == id)
            m_ui->playerBar->setPeaks(peaks);
    });
}

void MainWindow::connectCompare()
{
    m_compareStrip->setPlayer(m_compare);
    m_compare->setOutputDevice(m_settings->outputDeviceId());
    connect(m_compareStrip, &CompareStrip::leaveRequested, this, &MainWindow::leaveCompare);
    // The desktop's media controls drive the window's player, hidden while takes are compared: it must not play
    // underneath them. Its volume is the comparison's too.
    connect(m_player, &Player::stateChanged, this, [this](PlayerBackend::State state) {
        if (state == PlayerBackend::State::Playing && m_compare->isActive())
            m_player->pause();
    });
    m_compare->setVolume(m_player->volume());
    connect(m_player, &Player::volumeChanged, m_compare, &ComparePlayer::setVolume);
    connect(m_compare, &ComparePlayer::failed, this,
            [this](const QString& message) { showNotice(message); }); // each says what went wrong and what to do
    // The comparison's keys work wherever the focus is but in a text field, which keeps digits and letters for
    // itself; they exist only while takes are compared, so F and the digits mean nothing else meanwhile.
    for (int slot = 0; slot < ComparePlayer::MaxSlots; ++slot) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::Key_1 + slot), this);
        connect(shortcut, &QShortcut::activated, this, [this, slot] {
            if (slot < m_compare->slotCount())
                m_compare->switchTo(slot);
        });
        m_compareShortcuts.append(shortcut);
    }
    auto* leave = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(leave, &QShortcut::activated, this, &MainWindow::leaveCompare);
    auto* star = new QShortcut(QKeySequence(Qt::Key_F), this);
    connect(star, &QShortcut::activated, this, [this] {
        if (const std::optional<Take> heard = m_compareStrip->heardTake())
            m_library->setFavourite(heard->id, !heard->favourite);
    });
    m_compareShortcuts << leave << star;
    for (QShortcut* shortcut : std::as_const(m_compareShortcuts))
        shortcut->setEnabled(false);
}

void MainWindow::startCompare(const QList<Take>& takes)
{
    QList<ComparePlayer::Slot> compared;
    for (const Take& take : takes) {
        const QString path = m_library->audioPath(take);
        if (take.audioMissing || !QFileInfo::exists(path)) {
            showNotice(tr("The audio of “%1” is missing (%2), so it cannot be compared. Leave it out of the "
                          "selection, or use “Same settings again” to make it anew.")
                           .arg(take.prompt.simplified().left(40), QDir::toNativeSeparators(path)));
            return;
        }
        compared.append({take.id, path, take.loudnessLufs});
    }
    m_player->pause();
    if (QString error; !m_compare->start(compared, &error)) {
        showNotice(error);
        return;
    }
    m_compareStrip->showTakes(takes);
    for (int slot = 0; slot < takes.size(); ++slot) {
        const Take& take = takes.at(slot);
        m_peaks->request(take.id, compared.at(slot).audioPath,
                         [this, slot, id = take.id](const AudioCodec::Peaks& peaks) {
                             if (m_compare->takeIdAt(slot) == id)
                                 m_compareStrip->setPeaks(slot, peaks);
                         });
    }
    m_ui->playerBar->hide();
    m_compareStrip->show();
    for (QShortcut* shortcut : std::as_const(m_compareShortcuts))
        shortcut->setEnabled(true);
    statusBar()->showMessage(compareHint(int(takes.size())), 10000);
}

QString MainWindow::compareHint(int takes) const
{
    return tr("Comparing: 1–%1 switch takes, Space pauses, F stars the take heard, Esc leaves").arg(takes);
}

void MainWindow::leaveCompare()
{
    if (!m_compare->isActive())
        return;
    if (statusBar()->currentMessage() == compareHint(m_compare->slotCount()))
        statusBar()->clearMessage(); // its keys are gone
    m_compare->leave();
    for (QShortcut* shortcut : std::as_const(m_compareShortcuts))
        shortcut->setEnabled(false);
    m_compareStrip->hide();
    m_ui->playerBar->show();
}

void MainWindow::openSettings(bool focusKey)
{
    const QString keyNote = m_session->keychainMessage().isEmpty()
                                ? tr("Stored in the system keychain, never in a file. SEGMIND_API_KEY in the "
                                     "environment takes precedence.")
                                : m_session->keychainMessage();
    SettingsDialog dialog(
        m_settings, m_session->apiKey(), keyNote, [this](const QByteArray& key) { return m_session->testKey(key); },
        this);
    if (focusKey)
        dialog.focusApiKey();
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.apiKey() != m_session->apiKey())
        m_session->saveApiKey(dialog.apiKey()); // applies the settings too
    else
        m_session->applySettings();
    m_ui->promptPanel->setTakesPerClick(m_settings->parallelTakes());
    m_ui->historyView->setAuditionOnSelect(m_settings->auditionOnSelect());
    updateStatus();
}

void MainWindow::deleteTake(const Take& take)
{
    m_library->moveToTrash(take.id);
    m_lastDeletedId = take.id;
    statusBar()->showMessage(tr("“%1” moved to the trash").arg(take.prompt.simplified().left(40)), 10000);
    m_undoButton->show();
    m_undoTimer.start();
}

void MainWindow::undoDelete()
{
    if (m_lastDeletedId.isEmpty())
        return;
    m_library->restore(m_lastDeletedId);
    m_lastDeletedId.clear();
    m_undoButton->hide();
    statusBar()->showMessage(tr("Restored"), 4000);
}

QString MainWindow::askExportPath(const QString& title, const QString& name, AudioFormat format)
{
    const QString extension = audioFormatExtension(format);
    QFileDialog dialog(this, title, QDir(m_settings->favouritesDir()).filePath(name + u'.' + extension),
                       tr("Audio (*.wav *.flac *.ogg *.mp3)"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    // A name typed without an extension gets the suggested one before the dialog asks about replacing a file, so
    // that it asks about the file that will be written.
    dialog.setDefaultSuffix(extension);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    const QString chosen = dialog.selectedFiles().constFirst();
    if (audioFormatFromName(chosen) != AudioFormat::Unknown)
        return chosen;
    // Another extension ("groove.take"): the suggested one follows it, and says the format. The dialog did not see
    // that name, so replacing a file by it is asked here.
    const QString path = chosen + u'.' + extension;
    if (QFileInfo::exists(path) &&
        QMessageBox::question(this, title, tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path))) !=
            QMessageBox::Yes)
        return {};
    return path;
}

void MainWindow::exportTake(const Take& take)
{
    const QString path = askExportPath(tr("Export take"), FileNames::fromTemplate(m_settings->fileNameTemplate(), take),
                                       m_settings->exportFormat());
    if (!path.isEmpty())
        m_library->exportTake(take.id, path, audioFormatFromName(path));
}

void MainWindow::exportLoop(const TakeLoops::Loop& loop)
{
    // WAV first: its smpl and acid chunks make samplers and DAWs loop it by themselves.
    const QString name = FileNames::fromTemplate(
        LibraryService::loopNameTemplate(m_settings->fileNameTemplate(), loop.recipe.loopBars), loop.recipe);
    const QString path = askExportPath(tr("Export loop"), name, AudioFormat::Wav);
    if (!path.isEmpty())
        m_library->addLoop(loop.recipe, loop.wav, path, audioFormatFromName(path));
}

void MainWindow::showInFolder(const Take& take)
{
    const QString path = !take.favouritePath.isEmpty() && QFileInfo::exists(take.favouritePath)
                             ? take.favouritePath
                             : m_library->audioPath(take);
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
}

void MainWindow::updateStatus()
{
    m_providerStatus->setText(m_session->providerName());
    const std::optional<double> credits = m_session->credits();
    m_creditsStatus->setText(credits ? tr("Credits: %1").arg(*credits, 0, 'f', 2) : QString());
    m_creditsStatus->setVisible(credits.has_value() && !m_session->isOffline());
    m_spendStatus->setText(tr("Spent this session: %1").arg(formatDollars(m_session->spend())));
}

void MainWindow::showNotice(const QString& text)
{
    m_ui->noticeLabel->setText(text);
    m_ui->noticeLabel->show();
}
