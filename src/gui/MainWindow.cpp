#include "gui/MainWindow.h"

#include "generation/GenerationService.h"
#include "generation/Providers.h"
#include "gui/Studio.h"
#include "gui/settings/SettingsDialog.h"
#include "library/FavouriteExporter.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryWorker.h"
#include "net/SegmindProvider.h"
#include "platform/Settings.h"
#include "playback/Player.h"
#include "ui_MainWindow.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QShortcut>
#include <QToolButton>
#include <QtConcurrentRun>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr int PeakBuckets = 2048;
constexpr int RecentTakesForEstimate = 9;

QString formatDollars(double dollars)
{
    return u"$"_s + QString::number(dollars, 'f', dollars < 1 ? 3 : 2);
}

} // namespace

MainWindow::MainWindow(Studio* studio, QWidget* parent)
    : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_studio(studio),
      m_history(new HistoryModel(&studio->library(), this)), m_providerStatus(new QLabel(this)),
      m_creditsStatus(new QLabel(this)), m_spendStatus(new QLabel(this)), m_undoButton(new QToolButton(this))
{
    m_ui->setupUi(this);
    m_ui->historyView->setModel(m_history);
    m_ui->playerBar->setPlayer(&studio->player());
    m_ui->mainSplitter->setStretchFactor(0, 2);
    m_ui->mainSplitter->setStretchFactor(1, 3);
    m_providerStatus->setObjectName(u"providerStatus"_s);
    m_creditsStatus->setObjectName(u"creditsStatus"_s);
    m_spendStatus->setObjectName(u"spendStatus"_s);
    m_undoButton->setObjectName(u"undoButton"_s);
    m_undoButton->setText(tr("Undo"));
    m_undoButton->hide();
    statusBar()->addPermanentWidget(m_undoButton);
    statusBar()->addPermanentWidget(m_providerStatus);
    statusBar()->addPermanentWidget(m_creditsStatus);
    statusBar()->addPermanentWidget(m_spendStatus);

    // What the musician left last time.
    Settings& settings = studio->settings();
    m_ui->promptPanel->setRequest({settings.lastPrompt(), settings.lastDuration(), settings.lastSeed()});
    m_ui->promptPanel->setNewSeedForEveryTake(settings.newSeedEveryTake());
    m_ui->promptPanel->setTakesPerClick(settings.parallelTakes());
    m_ui->playerBar->selectDevice(settings.outputDeviceId());
    restoreGeometry(settings.windowGeometry());
    restoreState(settings.windowState());
    m_ui->mainSplitter->restoreState(settings.splitterState());

    // Keyboard: Ctrl+Return generates from anywhere, Space plays/pauses outside text fields, Ctrl+F searches.
    auto* generateShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(generateShortcut, &QShortcut::activated, this, &MainWindow::generate);
    auto* generateEnter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    connect(generateEnter, &QShortcut::activated, this, &MainWindow::generate);
    auto* playShortcut = new QShortcut(QKeySequence(Qt::Key_Space), this);
    connect(playShortcut, &QShortcut::activated, &studio->player(), &Player::togglePlayPause);
    auto* searchShortcut = new QShortcut(QKeySequence::Find, this);
    connect(searchShortcut, &QShortcut::activated, m_ui->historyView, &HistoryView::focusSearch);
    auto* undoShortcut = new QShortcut(QKeySequence::Undo, this);
    connect(undoShortcut, &QShortcut::activated, this, &MainWindow::undoDelete);

    connect(m_ui->promptPanel, &PromptPanel::generateRequested, this, &MainWindow::generate);
    connect(m_ui->settingsAction, &QAction::triggered, this, [this] { openSettings(false); });
    connect(m_ui->quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About MusicGen Studio"),
                           tr("<h3>MusicGen Studio %1</h3><p>Make music clips from text prompts with Segmind's "
                              "Meta MusicGen Medium, or offline with the built-in sketch engine.</p>")
                               .arg(QApplication::applicationVersion()));
    });

    GenerationService& service = studio->service();
    connect(&service, &GenerationService::jobStatusChanged, m_ui->jobsView, &JobsView::updateJob);
    connect(&service, &GenerationService::jobFinished, this, &MainWindow::onJobFinished);
    connect(m_ui->jobsView, &JobsView::cancelRequested, &service, &GenerationService::cancel);
    connect(m_ui->jobsView, &JobsView::retryRequested, this,
            [this](const GenerationRequest& request) { submit(request, {}); });
    connect(m_ui->jobsView, &JobsView::openSettingsRequested, this, [this] { openSettings(true); });

    LibraryWorker& worker = studio->worker();
    connect(&worker, &LibraryWorker::added, this, &MainWindow::onTakeAdded);
    connect(&worker, &LibraryWorker::changed, m_history, &HistoryModel::onTakeChanged);
    connect(&worker, &LibraryWorker::removed, m_history, &HistoryModel::refresh);
    connect(&worker, &LibraryWorker::failed, this, &MainWindow::showNotice);
    connect(&worker, &LibraryWorker::favouriteSaved, this, [this](const Take&, const QString& path) {
        statusBar()->showMessage(tr("Saved to %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    connect(&worker, &LibraryWorker::exported, this, [this](const Take&, const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
    });

    HistoryView* history = m_ui->historyView;
    connect(history, &HistoryView::playRequested, this, [this](const Take& take) { play(take, true); });
    connect(history, &HistoryView::favouriteToggled, &worker,
            [&worker](const Take& take) { worker.setFavourite(take.id, !take.favourite); });
    connect(history, &HistoryView::sameAgainRequested, this,
            [this](const Take& take) { submit(take.request(), take.id); });
    connect(history, &HistoryView::newSeedRequested, this, [this](const Take& take) {
        GenerationRequest request = take.request();
        request.seed = GenerationService::drawSeed();
        submit(request, take.id);
    });
    connect(history, &HistoryView::loadSettingsRequested, this, [this](const Take& take) {
        m_ui->promptPanel->setRequest(take.request());
        m_ui->promptPanel->focusPrompt();
    });
    connect(history, &HistoryView::showInFolderRequested, this, &MainWindow::showInFolder);
    connect(history, &HistoryView::exportRequested, this, &MainWindow::exportTake);
    connect(history, &HistoryView::deleteRequested, this, &MainWindow::deleteTake);

    connect(m_ui->playerBar, &PlayerBar::deviceChosen, this, [this](const QByteArray& id) {
        m_studio->player().setOutputDevice(id);
        m_studio->settings().setOutputDeviceId(id);
    });
    connect(&studio->player(), &Player::failed, this,
            [this](const QString& message) { showNotice(tr("Cannot play this take: %1").arg(message)); });

    m_arrivalTimer.setSingleShot(true);
    m_arrivalTimer.setInterval(0);
    connect(&m_arrivalTimer, &QTimer::timeout, this, [this] {
        if (m_newestArrival)
            play(*std::exchange(m_newestArrival, std::nullopt), m_studio->settings().autoPlay());
    });
    m_undoTimer.setSingleShot(true);
    m_undoTimer.setInterval(10000);
    connect(&m_undoTimer, &QTimer::timeout, m_undoButton, &QWidget::hide);
    connect(m_undoButton, &QToolButton::clicked, this, &MainWindow::undoDelete);

    // Takes added by musicgen-cli while the window is open: SQLite's data_version moves when another
    // connection commits, which costs one cheap query to notice.
    connect(studio, &Studio::keychainUnavailable, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(studio, &Studio::apiKeyChanged, this, [this] {
        m_credits.reset();
        updateStatus();
        queryCredits();
    });
    m_pollTimer.setInterval(1500);
    connect(&m_pollTimer, &QTimer::timeout, this, &MainWindow::pollForOtherProcesses);
    m_pollTimer.start();

    // Recent generation times give the "about N s" estimate.
    TakeQuery recent;
    recent.limit = RecentTakesForEstimate;
    recent.provider = studio->providers().isOffline() ? u"offline"_s : u"segmind"_s;
    for (const Take& take : studio->library().takes(recent))
        m_recentGenerationMs.append(take.generationMs);

    const OpenReport& report = studio->openReport();
    if (!report.message.isEmpty())
        showNotice(report.message);
    else if (!studio->providers().offlineReason().isEmpty())
        showNotice(studio->providers().offlineReason());
    updateStatus();
    queryCredits();
    // The newest take is ready to audition with Space, as the musician left it.
    if (m_history->rowCount() > 0)
        play(m_history->takeAt(0), false);
    m_ui->promptPanel->focusPrompt();
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent* event)
{
    Settings& settings = m_studio->settings();
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
    GenerationRequest request = m_ui->promptPanel->request();
    if (const QString error = validationError(request); !error.isEmpty()) {
        showNotice(error);
        m_ui->promptPanel->focusPrompt();
        return;
    }
    const int takes = m_ui->promptPanel->takesPerClick();
    const bool freshSeeds = m_ui->promptPanel->newSeedForEveryTake();
    // Every take of one click gets its own seed: the form's seed first (unless fresh seeds are asked for),
    // then seeds drawn so that no two are the same.
    QList<int> seeds;
    if (!freshSeeds && request.seed != GenerationRequest::RandomSeed)
        seeds.append(request.seed);
    while (seeds.size() < takes) {
        const int seed = GenerationService::drawSeed();
        if (!seeds.contains(seed))
            seeds.append(seed);
    }
    for (const int seed : std::as_const(seeds)) {
        request.seed = seed;
        submit(request, {});
    }
    if (freshSeeds)
        m_ui->promptPanel->showUsedSeed(seeds.constLast());
    m_ui->noticeLabel->hide();
}

void MainWindow::submit(GenerationRequest request, const QString& parentId)
{
    const auto submission = m_studio->service().submit(request);
    if (!submission.accepted()) {
        showNotice(submission.error);
        return;
    }
    if (!parentId.isEmpty())
        m_parentOfJob.insert(submission.jobId, parentId);
    m_ui->jobsView->addJob(submission.jobId, submission.request, estimateMs());
}

void MainWindow::onJobFinished(quint64 jobId, const GenerationResult& result)
{
    const QString parentId = m_parentOfJob.take(jobId);
    m_ui->jobsView->finishJob(jobId, result);
    if (result.remainingCredits) {
        m_credits = result.remainingCredits;
        updateStatus();
    }
    if (!result.ok())
        return;
    if (result.providerId == "segmind"_L1) {
        m_spend += m_studio->settings().costPerTake();
        updateStatus();
    }
    m_recentGenerationMs.prepend(result.elapsedMs);
    if (m_recentGenerationMs.size() > RecentTakesForEstimate)
        m_recentGenerationMs.removeLast();
    m_studio->worker().add(result, parentId);
}

void MainWindow::onTakeAdded(const Take& take)
{
    m_history->onTakeAdded(take);
    m_ui->historyView->selectTake(take.id);
    // Takes that land together (several per click) would each cut the previous one off after a moment and cost
    // the player a pipeline change each: only the newest is loaded, once the burst has been handled.
    m_newestArrival = take;
    m_arrivalTimer.start();
}

void MainWindow::play(const Take& take, bool start)
{
    const QString path = m_studio->library().audioPath(take);
    if (take.audioMissing || !QFileInfo::exists(path)) {
        showNotice(tr("The audio of this take is missing (%1). Its recipe is kept: use “Same settings again” "
                      "to make it anew.")
                       .arg(QDir::toNativeSeparators(path)));
        return;
    }
    m_studio->player().load(take.id, path, start);
    m_ui->playerBar->setNowPlaying(
        tr("“%1” · %2 s · seed %3").arg(take.prompt.simplified()).arg(take.requestedDuration).arg(take.seed));
    loadPeaks(take);
}

void MainWindow::loadPeaks(const Take& take)
{
    if (const auto cached = m_peaks.constFind(take.id); cached != m_peaks.cend()) {
        m_ui->playerBar->setPeaks(*cached);
        return;
    }
    m_ui->playerBar->clearPeaks();
    const QString path = m_studio->library().audioPath(take);
    const QString id = take.id;
    auto* watcher = new QFutureWatcher<std::optional<AudioCodec::Peaks>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        const auto peaks = watcher->result();
        if (!peaks)
            return;
        if (m_peaks.size() > 64)
            m_peaks.clear();
        m_peaks.insert(id, *peaks);
        if (m_studio->player().currentTakeId() == id)
            m_ui->playerBar->setPeaks(*peaks);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return std::optional<AudioCodec::Peaks>();
        return AudioCodec::peaks(file.readAll(), PeakBuckets);
    }));
}

void MainWindow::openSettings(bool focusKey)
{
    const QString keyNote = m_studio->keychainMessage().isEmpty()
                                ? tr("Stored in the system keychain, never in a file. SEGMIND_API_KEY in the "
                                     "environment takes precedence.")
                                : m_studio->keychainMessage();
    SettingsDialog dialog(
        &m_studio->settings(), m_studio->apiKey(), keyNote,
        [this](const QByteArray& key) { return m_studio->testKey(key); }, this);
    if (focusKey)
        dialog.focusApiKey();
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.apiKey() != m_studio->apiKey())
        m_studio->saveApiKey(dialog.apiKey()); // reports through apiKeyChanged
    else
        m_studio->applySettings();
    m_ui->promptPanel->setTakesPerClick(m_studio->settings().parallelTakes());
    updateStatus();
}

void MainWindow::deleteTake(const Take& take)
{
    m_studio->worker().moveToTrash(take.id);
    m_lastDeletedId = take.id;
    statusBar()->showMessage(tr("“%1” moved to the trash").arg(take.prompt.simplified().left(40)), 10000);
    m_undoButton->show();
    m_undoTimer.start();
}

void MainWindow::undoDelete()
{
    if (m_lastDeletedId.isEmpty())
        return;
    m_studio->worker().restore(m_lastDeletedId);
    m_lastDeletedId.clear();
    m_undoButton->hide();
    statusBar()->showMessage(tr("Restored"), 4000);
}

void MainWindow::exportTake(const Take& take)
{
    const AudioFormat format = m_studio->settings().exportFormat();
    const QString extension = audioFormatExtension(format);
    const QString suggested =
        QDir(m_studio->settings().favouritesDir())
            .filePath(FavouriteExporter::baseName(m_studio->settings().fileNameTemplate(), take) + u'.' + extension);
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export take"), suggested, tr("Audio (*.wav *.flac *.ogg *.mp3)"));
    if (path.isEmpty())
        return;
    const AudioFormat chosen = audioFormatFromName(path);
    m_studio->worker().exportTake(take.id, chosen == AudioFormat::Unknown ? path + u'.' + extension : path,
                                  chosen == AudioFormat::Unknown ? format : chosen);
}

void MainWindow::showInFolder(const Take& take)
{
    const QString path = !take.favouritePath.isEmpty() && QFileInfo::exists(take.favouritePath)
                             ? take.favouritePath
                             : m_studio->library().audioPath(take);
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
}

void MainWindow::pollForOtherProcesses()
{
    const qint64 version = m_studio->library().dataVersion();
    if (m_dataVersion >= 0 && version != m_dataVersion) {
        // Only a take this window has not seen yet needs a re-read; its own writes arrive by signal.
        TakeQuery newest;
        newest.limit = 1;
        const QList<Take> latest = m_studio->library().takes(newest);
        if (!latest.isEmpty() && m_history->rowOf(latest.constFirst().id) < 0)
            m_history->refresh();
    }
    m_dataVersion = version;
}

void MainWindow::queryCredits()
{
    SegmindProvider* hosted = m_studio->providers().hosted();
    if (!hosted || m_studio->apiKey().isEmpty())
        return;
    CreditsQuery* query = hosted->queryCredits();
    connect(query, &CreditsQuery::finished, this, [this](const CreditsResult& result) {
        if (result.credits) {
            m_credits = result.credits->credits;
            updateStatus();
        }
    });
}

void MainWindow::updateStatus()
{
    const Providers& providers = m_studio->providers();
    m_providerStatus->setText(providers.current() ? providers.current()->displayName() : QString());
    m_creditsStatus->setText(m_credits ? tr("Credits: %1").arg(*m_credits, 0, 'f', 2) : QString());
    m_creditsStatus->setVisible(m_credits.has_value() && !providers.isOffline());
    m_spendStatus->setText(tr("Spent this session: %1").arg(formatDollars(m_spend)));
}

void MainWindow::showNotice(const QString& text)
{
    m_ui->noticeLabel->setText(text);
    m_ui->noticeLabel->show();
}

qint64 MainWindow::estimateMs() const
{
    if (m_recentGenerationMs.isEmpty())
        return m_studio->providers().isOffline() ? 0 : 22000; // Segmind's published average
    QList<qint64> sorted = m_recentGenerationMs;
    std::sort(sorted.begin(), sorted.end());
    return sorted.at(sorted.size() / 2);
}
