#include "gui/player/PlayerBar.h"

#include "gui/Theme.h"
#include "gui/player/RegionLoop.h"
#include "playback/Player.h"
#include "ui_PlayerBar.h"

#include <QAction>
#include <QAudioDevice>
#include <QEvent>
#include <QMediaDevices>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString clock(qint64 ms)
{
    const qint64 seconds = (ms + 500) / 1000;
    return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

PlayerBar::PlayerBar(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::PlayerBar>()), m_devices(new QMediaDevices(this)),
      m_exportLoopAction(new QAction(tr("Export loop…"), this)),
      m_loopRegionAction(new QAction(tr("Loop region"), this)),
      m_clearRegionAction(new QAction(tr("Clear region"), this))
{
    m_ui->setupUi(this);
    applyIcons();
    m_exportLoopAction->setObjectName(u"exportLoopAction"_s);
    m_exportLoopAction->setToolTip(tr("Save the region's bars as a loop that plays round and round without a click, "
                                      "and keep it in the history"));
    m_loopRegionAction->setObjectName(u"loopRegionAction"_s);
    m_loopRegionAction->setShortcut(QKeySequence(Qt::Key_L));
    m_loopRegionAction->setCheckable(true);
    m_loopRegionAction->setToolTip(tr("Play the region's bars round and round (L)"));
    m_clearRegionAction->setObjectName(u"clearRegionAction"_s);
    for (QAction* action : {m_exportLoopAction, m_loopRegionAction, m_clearRegionAction}) {
        action->setEnabled(false);
        m_ui->waveformView->addAction(action);
    }
    m_ui->waveformView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_ui->exportLoopButton->setDefaultAction(m_exportLoopAction);
    connect(m_ui->waveformView, &WaveformView::regionChanged, this, &PlayerBar::onRegionChanged);
    connect(m_exportLoopAction, &QAction::triggered, this, [this] {
        if (m_loop && m_loop->loop())
            emit exportLoopRequested(*m_loop->loop());
    });
    connect(m_loopRegionAction, &QAction::toggled, this, &PlayerBar::auditionLoop);
    connect(m_clearRegionAction, &QAction::triggered, m_ui->waveformView, &WaveformView::clearRegion);
    fillDevices();
    connect(m_devices, &QMediaDevices::audioOutputsChanged, this, &PlayerBar::fillDevices);
    connect(m_ui->deviceCombo, &QComboBox::activated, this, [this](int index) {
        m_wantedDevice = m_ui->deviceCombo->itemData(index).toByteArray();
        emit deviceChosen(m_wantedDevice);
    });
}

PlayerBar::~PlayerBar() = default;

void PlayerBar::setPlayer(Player* player)
{
    m_player = player;
    connect(m_ui->playButton, &QToolButton::clicked, player, &Player::togglePlayPause);
    connect(m_ui->stopButton, &QToolButton::clicked, player, &Player::stop);
    connect(m_ui->loopButton, &QToolButton::toggled, player, &Player::setLoop);
    connect(m_ui->volumeSlider, &QSlider::valueChanged, player, &Player::setVolume);
    connect(player, &Player::volumeChanged, m_ui->volumeSlider, &QSlider::setValue); // the desktop's controls too
    connect(m_ui->positionSlider, &QSlider::sliderMoved, player, [player](int ms) { player->seek(ms); });
    connect(m_ui->positionSlider, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove) // keyboard and page clicks
            m_player->seek(m_ui->positionSlider->sliderPosition());
    });
    connect(m_ui->waveformView, &WaveformView::seekRequested, player, &Player::seek);
    // The loop ended without L (a seek out of the region, another take): the toggle says so.
    connect(player, &Player::loopingRegionChanged, this, [this](bool looping) {
        const QSignalBlocker quiet(m_loopRegionAction);
        m_loopRegionAction->setChecked(looping);
    });
    connect(player, &Player::stateChanged, this, [this](PlayerBackend::State state) {
        m_playing = state == PlayerBackend::State::Playing;
        m_ui->playButton->setIcon(m_playing ? m_pauseIcon : m_playIcon);
        m_ui->playButton->setAccessibleName(m_playing ? tr("Pause") : tr("Play"));
    });
    connect(player, &Player::positionChanged, this, [this](qint64 ms) {
        if (!m_ui->positionSlider->isSliderDown())
            m_ui->positionSlider->setValue(int(ms));
        m_ui->waveformView->setPosition(ms);
        showTime();
    });
    connect(player, &Player::durationChanged, this, [this](qint64 ms) {
        m_ui->positionSlider->setMaximum(int(ms));
        m_ui->waveformView->setDuration(ms);
        showTime();
    });
    player->setVolume(m_ui->volumeSlider->value());
}

void PlayerBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyIcons(); // the app's own icons are painted in the palette's colours
    QWidget::changeEvent(event);
}

void PlayerBar::applyIcons()
{
    m_playIcon = Theme::icon(u"media-playback-start"_s, palette());
    m_pauseIcon = Theme::icon(u"media-playback-pause"_s, palette());
    m_ui->playButton->setIcon(m_playing ? m_pauseIcon : m_playIcon);
    m_ui->stopButton->setIcon(Theme::icon(u"media-playback-stop"_s, palette()));
    m_ui->loopButton->setIcon(Theme::icon(u"media-playlist-repeat"_s, palette()));
}

void PlayerBar::setNowPlaying(const QString& text)
{
    m_ui->nowPlayingLabel->setText(text);
}

void PlayerBar::setPeaks(const AudioCodec::Peaks& peaks)
{
    m_ui->waveformView->setPeaks(peaks);
}

void PlayerBar::clearPeaks()
{
    m_ui->waveformView->setPeaks({});
}

void PlayerBar::selectDevice(const QByteArray& id)
{
    m_wantedDevice = id;
    fillDevices();
}

void PlayerBar::setLibrary(LibraryService* library)
{
    m_loop = new RegionLoop(library, this);
    connect(m_loop, &RegionLoop::cut, this, [this] {
        m_exportLoopAction->setEnabled(true);
        auditionLoop(); // a region moved while it loops: the new bars take over
    });
    connect(m_loop, &RegionLoop::dragCopyReady, m_ui->waveformView, &WaveformView::setRegionFile);
    connect(m_loop, &RegionLoop::failed, this, &PlayerBar::loopFailed);
    connect(m_ui->waveformView, &WaveformView::regionFileDropped, m_loop, &RegionLoop::keepDragged);
}

void PlayerBar::setTake(const Take& take)
{
    const AudioLoop::Grid grid = AudioLoop::grid(take.tempo(), take.downbeatSeconds,
                                                 std::llround(take.actualDuration * take.sampleRate), take.sampleRate);
    const bool sameBars = take.id == m_take.id && grid == m_ui->waveformView->grid();
    const bool changed = take != m_take;
    m_take = take;
    if (!sameBars)
        m_ui->waveformView->setGrid(grid);
    else if (changed)
        prepareLoop(); // the same bars, but the loop's recipe and tags follow the take (a key found meanwhile, say)
}

const std::optional<AudioLoop::Region>& PlayerBar::region() const
{
    return m_ui->waveformView->region();
}

void PlayerBar::onRegionChanged(const std::optional<AudioLoop::Region>& region)
{
    m_ui->exportLoopButton->setVisible(m_loop && region && region->bars > 0);
    const bool bars = m_loop && region && region->bars > 0;
    m_loopRegionAction->setEnabled(bars);
    if (!bars && m_loopRegionAction->isChecked())
        m_loopRegionAction->setChecked(false); // nothing left to loop: back to the take
    m_clearRegionAction->setEnabled(region.has_value());
    prepareLoop();
    emit regionChanged(region);
}

void PlayerBar::prepareLoop()
{
    m_exportLoopAction->setEnabled(false);
    if (!m_loop)
        return;
    if (const std::optional<AudioLoop::Region>& region = m_ui->waveformView->region(); region && region->bars > 0)
        m_loop->prepare(m_take, region->startBar, region->bars);
    else
        m_loop->clear();
}

void PlayerBar::auditionLoop()
{
    if (!m_player)
        return;
    if (!m_loopRegionAction->isChecked() || !region()) {
        if (m_player->isLoopingRegion())
            m_player->stopLoop();
        return;
    }
    if (!m_loop || !m_loop->loop())
        return; // still being cut: it starts when it is
    const Take& recipe = m_loop->loop()->recipe;
    const std::pair bars{recipe.loopStartBar, recipe.loopBars};
    // The same bars cut again (the take was starred, or its key found): the loop plays on rather than start over.
    if (m_player->isLoopingRegion() && bars == m_loopedBars)
        return;
    m_loopedBars = bars;
    QString error;
    if (!m_player->playLoop(m_loop->loop()->wav, std::llround(region()->startSeconds * 1000), &error)) {
        m_loopRegionAction->setChecked(false);
        emit loopFailed(error);
    }
}

void PlayerBar::fillDevices()
{
    const QSignalBlocker blocker(m_ui->deviceCombo);
    m_ui->deviceCombo->clear();
    m_ui->deviceCombo->addItem(tr("System default"), QByteArray());
    const QList<QAudioDevice> outputs = QMediaDevices::audioOutputs();
    for (const QAudioDevice& device : outputs)
        m_ui->deviceCombo->addItem(device.description(), device.id());
    const int wanted = m_ui->deviceCombo->findData(m_wantedDevice);
    // A vanished device falls back to the default; it is picked again when it comes back.
    m_ui->deviceCombo->setCurrentIndex(wanted >= 0 ? wanted : 0);
}

void PlayerBar::showTime()
{
    m_ui->timeLabel->setText(u"%1 / %2"_s.arg(clock(m_player->position()), clock(m_player->duration())));
}
