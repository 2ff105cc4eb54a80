#include "gui/compare/CompareStrip.h"

#include "gui/Theme.h"
#include "gui/history/TakeDelegate.h"
#include "gui/player/WaveformView.h"
#include "playback/ComparePlayer.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

/// A one-line label that shows as much of its text as its width holds, eliding the middle (of a long prompt, first),
/// with the whole text as its tooltip.
class ElidedLabel final : public QLabel
{
public:
    using QLabel::QLabel;

    void setFullText(const QString& text)
    {
        setToolTip(text);
        elide();
    }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QLabel::resizeEvent(event);
        elide();
    }
    void changeEvent(QEvent* event) override
    {
        QLabel::changeEvent(event);
        if (event->type() == QEvent::FontChange) // the slot heard is bold, and wider
            elide();
    }

private:
    void elide() { setText(fontMetrics().elidedText(toolTip(), Qt::ElideMiddle, width())); }
};

} // namespace

CompareStrip::CompareStrip(QWidget* parent)
    : QWidget(parent), m_numbers(new QButtonGroup(this)), m_title(new QLabel(this)),
      m_matchLoudness(new QCheckBox(tr("&Match loudness"), this)), m_playButton(new QToolButton(this)),
      m_leaveButton(new QToolButton(this))
{
    setObjectName(u"compareStrip"_s);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_title->setObjectName(u"compareTitle"_s);
    m_matchLoudness->setObjectName(u"matchLoudnessCheck"_s);
    m_matchLoudness->setChecked(true);
    m_matchLoudness->setToolTip(tr("Play every take at the loudness of the quietest, so none sounds better just by "
                                   "being louder"));
    m_playButton->setObjectName(u"comparePlayButton"_s);
    m_playButton->setToolTip(tr("Play / pause every take (Space)"));
    m_leaveButton->setObjectName(u"leaveCompareButton"_s);
    m_leaveButton->setText(tr("Leave"));
    m_leaveButton->setToolTip(tr("Leave the comparison (Esc)"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_matchLoudness);
    header->addWidget(m_playButton);
    header->addWidget(m_leaveButton);

    auto* rows = new QGridLayout;
    rows->setColumnStretch(1, 2);
    rows->setColumnStretch(3, 3);
    for (int slot = 0; slot < ComparePlayer::MaxSlots; ++slot) {
        SlotRow row{new QToolButton(this), new ElidedLabel(this), new QLabel(this), new WaveformView(this)};
        row.number->setObjectName(u"compareSlot%1"_s.arg(slot + 1));
        row.number->setText(QString::number(slot + 1));
        row.number->setCheckable(true);
        row.number->setToolTip(tr("Hear this take (%1)").arg(slot + 1));
        row.number->setAccessibleName(tr("Slot %1").arg(slot + 1));
        m_numbers->addButton(row.number, slot);
        row.about->setObjectName(u"compareAbout%1"_s.arg(slot + 1));
        row.about->setTextFormat(Qt::PlainText);
        row.about->setMinimumWidth(120);
        row.about->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // its column decides
        row.gain->setObjectName(u"compareGain%1"_s.arg(slot + 1));
        row.gain->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row.waveform->setObjectName(u"compareWaveform%1"_s.arg(slot + 1));
        row.waveform->setMinimumHeight(32);
        row.waveform->setRegionsEnabled(false); // a loop is cut from the player's waveform, one take at a time
        row.waveform->setAccessibleName(tr("Waveform of slot %1; click to move every take there").arg(slot + 1));
        rows->addWidget(row.number, slot, 0);
        rows->addWidget(row.about, slot, 1);
        rows->addWidget(row.gain, slot, 2);
        rows->addWidget(row.waveform, slot, 3);
        m_rows.append(row);
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addLayout(rows);
    showState();
}

void CompareStrip::setPlayer(ComparePlayer* player)
{
    m_player = player;
    connect(m_numbers, &QButtonGroup::idClicked, player, &ComparePlayer::switchTo);
    connect(m_matchLoudness, &QCheckBox::toggled, player, &ComparePlayer::setMatchLoudness);
    connect(m_playButton, &QToolButton::clicked, player, &ComparePlayer::togglePlayPause);
    connect(m_leaveButton, &QToolButton::clicked, this, &CompareStrip::leaveRequested);
    connect(player, &ComparePlayer::currentChanged, this, &CompareStrip::showSlot);
    connect(player, &ComparePlayer::gainsChanged, this, &CompareStrip::showGains);
    connect(player, &ComparePlayer::stateChanged, this, &CompareStrip::showState);
    connect(player, &ComparePlayer::positionChanged, this, [this](qint64 ms) {
        for (const SlotRow& row : std::as_const(m_rows))
            row.waveform->setPosition(ms);
    });
    for (const SlotRow& row : std::as_const(m_rows))
        connect(row.waveform, &WaveformView::seekRequested, player, &ComparePlayer::seek);
}

void CompareStrip::showTakes(const QList<Take>& takes)
{
    m_takes = takes;
    m_title->setText(tr("<b>Comparing %1 takes</b>").arg(takes.size())); // two to four
    for (int slot = 0; slot < m_rows.size(); ++slot) {
        const SlotRow& row = m_rows.at(slot);
        const bool shown = slot < takes.size();
        for (QWidget* widget : {static_cast<QWidget*>(row.number), static_cast<QWidget*>(row.about),
                                static_cast<QWidget*>(row.gain), static_cast<QWidget*>(row.waveform)})
            widget->setVisible(shown);
        row.waveform->setPeaks({});
        if (shown) {
            updateTake(takes.at(slot));
            row.waveform->setDuration(qint64(std::lround(takes.at(slot).actualDuration * 1000)));
            row.waveform->setPosition(0);
        }
    }
    m_matchLoudness->setChecked(m_player->matchesLoudness());
    showSlot(m_player->current());
    showGains();
    showState();
}

void CompareStrip::updateTake(const Take& take)
{
    for (int slot = 0; slot < m_takes.size(); ++slot) {
        if (m_takes.at(slot).id != take.id)
            continue;
        m_takes[slot] = take;
        QStringList parts{(take.favourite ? u"★ "_s : QString()) + u"“%1”"_s.arg(take.prompt.simplified())};
        parts << TakeDelegate::chipsOf(take);
        static_cast<ElidedLabel*>(m_rows.at(slot).about)->setFullText(parts.join(u" · "_s));
    }
}

void CompareStrip::setPeaks(int slot, const AudioCodec::Peaks& peaks)
{
    if (slot >= 0 && slot < m_takes.size())
        m_rows.at(slot).waveform->setPeaks(peaks);
}

std::optional<Take> CompareStrip::heardTake() const
{
    if (!m_player || !m_player->isActive() || m_player->current() >= m_takes.size())
        return std::nullopt;
    return m_takes.at(m_player->current());
}

void CompareStrip::showSlot(int slot)
{
    for (int other = 0; other < m_rows.size(); ++other) {
        const SlotRow& row = m_rows.at(other);
        row.number->setChecked(other == slot);
        QFont font = row.about->font();
        font.setBold(other == slot);
        row.about->setFont(font);
    }
}

void CompareStrip::showGains()
{
    for (int slot = 0; slot < m_takes.size(); ++slot) {
        QLabel* gain = m_rows.at(slot).gain;
        const bool known = m_takes.at(slot).loudnessLufs.has_value();
        if (!m_player->matchesLoudness()) {
            gain->setText(tr("as made"));
            gain->setToolTip(tr("Played at the loudness it was made at"));
        } else if (!known) {
            gain->setText(tr("0.0 dB"));
            gain->setToolTip(tr("Its loudness is not measured yet: played as made"));
        } else {
            // A minus sign rather than a hyphen, and one decimal: what a mixing desk shows.
            const double applied = m_player->gainDb(slot);
            const double db = std::abs(applied) < 0.05 ? 0.0 : applied; // the quietest take shows 0.0, never −0.0
            gain->setText(QString::number(db, 'f', 1).replace(u'-', u'−') + tr(" dB"));
            gain->setToolTip(tr("Turned down to the loudness of the quietest take"));
        }
    }
}

void CompareStrip::showState()
{
    const bool playing = m_player && m_player->state() == PlayerBackend::State::Playing;
    m_playButton->setIcon(Theme::icon(playing ? u"media-playback-pause"_s : u"media-playback-start"_s, palette()));
    m_playButton->setAccessibleName(playing ? tr("Pause") : tr("Play"));
}

void CompareStrip::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        showState();
}
