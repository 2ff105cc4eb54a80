#include "MainWindow.h"

#include "ClipFile.h"
#include "GenerationService.h"

#include <QAudioOutput>
#include <QFormLayout>
#include <QLabel>
#include <QMediaPlayer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(GenerationService* service, QWidget* parent)
    : QMainWindow(parent)
    , m_service(service)
    , m_prompt(new QPlainTextEdit(this))
    , m_duration(new QSlider(Qt::Horizontal, this))
    , m_durationLabel(new QLabel(this))
    , m_seed(new QSpinBox(this))
    , m_generate(new QPushButton(tr("&Generate"), this))
    , m_status(new QLabel(this))
    , m_player(new QMediaPlayer(this))
    , m_takes(new QTemporaryDir)
{
    setWindowTitle(tr("MusicGen Studio"));
    m_prompt->setObjectName(u"promptEdit"_s);
    m_prompt->setPlaceholderText(tr("lo-fi music with a soothing melody"));
    m_prompt->setAccessibleName(tr("Prompt"));
    m_duration->setObjectName(u"durationSlider"_s);
    m_duration->setRange(GenerationRequest::MinDuration, GenerationRequest::MaxDuration);
    m_duration->setValue(GenerationRequest::DefaultDuration);
    m_duration->setAccessibleName(tr("Duration in seconds"));
    m_seed->setObjectName(u"seedSpin"_s);
    m_seed->setRange(GenerationRequest::MinSeed, GenerationRequest::MaxSeed);
    m_seed->setValue(GenerationRequest::DefaultSeed);
    m_seed->setSpecialValueText(tr("random"));
    m_seed->setAccessibleName(tr("Seed"));
    m_generate->setObjectName(u"generateButton"_s);
    m_status->setObjectName(u"statusLabel"_s);
    m_status->setWordWrap(true);
    m_player->setAudioOutput(new QAudioOutput(this));

    auto updateDuration = [this](int seconds) { m_durationLabel->setText(tr("%n s", nullptr, seconds)); };
    updateDuration(m_duration->value());
    connect(m_duration, &QSlider::valueChanged, this, updateDuration);

    auto* durationRow = new QHBoxLayout;
    durationRow->addWidget(m_duration, 1);
    durationRow->addWidget(m_durationLabel);
    auto* form = new QFormLayout;
    form->addRow(tr("&Prompt"), m_prompt);
    form->addRow(tr("&Duration"), durationRow);
    form->addRow(tr("&Seed"), m_seed);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addLayout(form);
    layout->addWidget(m_generate);
    layout->addWidget(m_status);
    setCentralWidget(central);
    statusBar()->showMessage(service->provider() ? service->provider()->displayName() : QString());
    m_prompt->setFocus();

    connect(m_generate, &QPushButton::clicked, this, &MainWindow::generate);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &MainWindow::generate);

    connect(m_service, &GenerationService::jobStatusChanged, this, [this](quint64, const JobStatus& status) {
        if (status.phase == JobPhase::RetryWaiting)
            m_status->setText(tr("%1 — retrying in %2 s").arg(status.lastError.toUserText()).arg(status.retryInSeconds));
        else
            m_status->setText(tr("Generating…"));
    });
    connect(m_service, &GenerationService::jobFinished, this, [this](quint64, const GenerationResult& result) {
        m_generate->setEnabled(true);
        if (!result.ok()) {
            m_status->setText(result.error.toUserText());
            return;
        }
        const QString path = m_takes->filePath(ClipFile::defaultFileName(result.request, result.audioInfo.format));
        QString error;
        if (!ClipFile::write(result.audio, path, &error)) {
            m_status->setText(error);
            return;
        }
        m_status->setText(tr("Playing “%1” (seed %2, %3 s)")
                              .arg(result.request.prompt)
                              .arg(result.request.seed)
                              .arg(result.audioInfo.durationSeconds(), 0, 'f', 1));
        m_player->setSource(QUrl::fromLocalFile(path));
        m_player->play();
    });
}

MainWindow::~MainWindow()
{
    delete m_takes;
}

void MainWindow::generate()
{
    if (!m_generate->isEnabled())
        return;
    const GenerationRequest request{m_prompt->toPlainText(), m_duration->value(), m_seed->value()};
    const auto submission = m_service->submit(request);
    if (!submission.accepted()) {
        m_status->setText(submission.error);
        return;
    }
    m_generate->setEnabled(false);
    m_status->setText(tr("Sending…"));
}
