#include "gui/player/PlayerBar.h"

#include "gui/Theme.h"
#include "playback/Player.h"
#include "ui_PlayerBar.h"

#include <QAudioDevice>
#include <QEvent>
#include <QMediaDevices>

using namespace Qt::StringLiterals;

namespace {

QString clock(qint64 ms)
{
    const qint64 seconds = (ms + 500) / 1000;
    return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

PlayerBar::PlayerBar(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::PlayerBar>()), m_devices(new QMediaDevices(this))
{
    m_ui->setupUi(this);
    applyIcons();
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
