#include "gui/prompt/PromptPanel.h"

#include "generation/GenerationService.h"
#include "ui_PromptPanel.h"

PromptPanel::PromptPanel(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::PromptPanel>())
{
    m_ui->setupUi(this);
    m_ui->durationSlider->setRange(GenerationRequest::MinDuration, GenerationRequest::MaxDuration);
    m_ui->seedSpin->setRange(GenerationRequest::MinSeed, GenerationRequest::MaxSeed);
    auto showDuration = [this](int seconds) { m_ui->durationValue->setText(tr("%1 s").arg(seconds)); };
    connect(m_ui->durationSlider, &QSlider::valueChanged, this, showDuration);
    showDuration(m_ui->durationSlider->value());
    connect(m_ui->randomSeedButton, &QToolButton::clicked, this,
            [this] { m_ui->seedSpin->setValue(GenerationService::drawSeed()); });
    connect(m_ui->generateButton, &QPushButton::clicked, this, &PromptPanel::generateRequested);
}

PromptPanel::~PromptPanel() = default;

GenerationRequest PromptPanel::request() const
{
    return GenerationRequest{m_ui->promptEdit->toPlainText(), m_ui->durationSlider->value(), m_ui->seedSpin->value()};
}

void PromptPanel::setRequest(const GenerationRequest& request)
{
    m_ui->promptEdit->setPlainText(request.prompt);
    m_ui->durationSlider->setValue(request.durationSeconds);
    m_ui->seedSpin->setValue(request.seed);
}

int PromptPanel::takesPerClick() const
{
    return m_ui->takesSpin->value();
}

void PromptPanel::setTakesPerClick(int takes)
{
    m_ui->takesSpin->setValue(takes);
}

bool PromptPanel::newSeedForEveryTake() const
{
    return m_ui->newSeedCheck->isChecked();
}

void PromptPanel::setNewSeedForEveryTake(bool on)
{
    m_ui->newSeedCheck->setChecked(on);
}

void PromptPanel::showUsedSeed(int seed)
{
    m_ui->seedSpin->setValue(seed);
}

void PromptPanel::focusPrompt()
{
    m_ui->promptEdit->setFocus(Qt::OtherFocusReason);
}
