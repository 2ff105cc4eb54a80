#include "gui/settings/SettingsDialog.h"

#include "net/SegmindProvider.h"
#include "platform/FileNames.h"
#include "platform/Settings.h"
#include "ui_SettingsDialog.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

SettingsDialog::SettingsDialog(Settings* settings, const QByteArray& apiKey, const QString& keyNote, KeyTester tester,
                               QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>()), m_settings(settings), m_tester(std::move(tester))
{
    m_ui->setupUi(this);
    using Choice = Settings::ProviderChoice;
    m_ui->providerCombo->addItem(tr("Automatic: Segmind when a key is set, otherwise offline"),
                                 QVariant::fromValue(Choice::Automatic));
    m_ui->providerCombo->addItem(tr("Segmind · Meta MusicGen Medium"), QVariant::fromValue(Choice::Segmind));
    m_ui->providerCombo->addItem(tr("Offline sketch engine (built in, not MusicGen)"),
                                 QVariant::fromValue(Choice::Offline));
    m_ui->providerCombo->addItem(tr("Custom Segmind-compatible endpoint"), QVariant::fromValue(Choice::CustomEndpoint));
    m_ui->providerCombo->setCurrentIndex(m_ui->providerCombo->findData(QVariant::fromValue(settings->provider())));
    m_ui->customUrlEdit->setText(settings->customApiBase().toString());
    m_ui->apiKeyEdit->setText(QString::fromUtf8(apiKey));
    m_ui->apiKeyNote->setText(keyNote);
    connect(m_ui->testKeyButton, &QPushButton::clicked, this, &SettingsDialog::testKey);
    m_ui->timeoutSpin->setValue(settings->timeoutSeconds());
    m_ui->parallelSpin->setValue(settings->parallelTakes());
    m_ui->costSpin->setValue(settings->costPerTake());
    m_ui->autoPlayCheck->setChecked(settings->autoPlay());
    m_ui->auditionCheck->setChecked(settings->auditionOnSelect());
    m_ui->favouritesDirEdit->setText(settings->favouritesDir());
    m_ui->templateEdit->setText(settings->fileNameTemplate());
    for (const AudioFormat format : {AudioFormat::Wav, AudioFormat::Flac, AudioFormat::Ogg, AudioFormat::Mp3})
        m_ui->exportFormatCombo->addItem(audioFormatExtension(format).toUpper(), QVariant::fromValue(format));
    m_ui->exportFormatCombo->setCurrentIndex(
        m_ui->exportFormatCombo->findData(QVariant::fromValue(settings->exportFormat())));

    connect(m_ui->providerCombo, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateEnabled);
    connect(m_ui->browseButton, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Favourites folder"), m_ui->favouritesDirEdit->text());
        if (!dir.isEmpty())
            m_ui->favouritesDirEdit->setText(dir);
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    updateEnabled();
}

SettingsDialog::~SettingsDialog() = default;

QByteArray SettingsDialog::apiKey() const
{
    return m_ui->apiKeyEdit->text().trimmed().toUtf8();
}

void SettingsDialog::focusApiKey()
{
    m_ui->apiKeyEdit->setFocus(Qt::OtherFocusReason);
    m_ui->apiKeyEdit->selectAll();
}

void SettingsDialog::updateEnabled()
{
    const auto choice = m_ui->providerCombo->currentData().value<Settings::ProviderChoice>();
    m_ui->customUrlEdit->setEnabled(choice == Settings::ProviderChoice::CustomEndpoint);
}

void SettingsDialog::testKey()
{
    const QByteArray key = apiKey();
    if (key.isEmpty()) {
        m_ui->apiKeyNote->setText(tr("Enter a key to test."));
        return;
    }
    m_ui->testKeyButton->setEnabled(false);
    m_ui->apiKeyNote->setText(tr("Testing…"));
    CreditsQuery* query = m_tester(key);
    connect(query, &CreditsQuery::finished, this, [this](const CreditsResult& result) {
        m_ui->testKeyButton->setEnabled(true);
        if (result.credits)
            m_ui->apiKeyNote->setText(tr("Valid: %1 credits left.").arg(result.credits->credits, 0, 'f', 2));
        else if (result.error.kind == ErrorKind::Authentication && !result.error.advice.isEmpty())
            m_ui->apiKeyNote->setText(result.error.toUserText()); // the key never arrived: another key will not help
        else if (result.error.kind == ErrorKind::Authentication)
            m_ui->apiKeyNote->setText(
                tr("Invalid: Segmind does not accept this key (HTTP %1).").arg(result.error.httpStatus));
        else
            m_ui->apiKeyNote->setText(tr("Unreachable: %1").arg(result.error.toUserText()));
    });
}

void SettingsDialog::accept()
{
    const auto choice = m_ui->providerCombo->currentData().value<Settings::ProviderChoice>();
    const QUrl url(m_ui->customUrlEdit->text().trimmed(), QUrl::StrictMode);
    if (choice == Settings::ProviderChoice::CustomEndpoint && !Settings::isUsableApiBase(url)) {
        m_ui->customUrlEdit->setFocus();
        QMessageBox::warning(this, tr("Endpoint URL"),
                             tr("Enter an http or https URL such as http://127.0.0.1:8765/v1."));
        return;
    }
    if (m_ui->templateEdit->text().trimmed().isEmpty())
        m_ui->templateEdit->setText(FileNames::DefaultTemplate);
    m_settings->setProvider(choice);
    if (choice == Settings::ProviderChoice::CustomEndpoint)
        m_settings->setCustomApiBase(url);
    m_settings->setTimeoutSeconds(m_ui->timeoutSpin->value());
    m_settings->setParallelTakes(m_ui->parallelSpin->value());
    m_settings->setCostPerTake(m_ui->costSpin->value());
    m_settings->setAutoPlay(m_ui->autoPlayCheck->isChecked());
    m_settings->setAuditionOnSelect(m_ui->auditionCheck->isChecked());
    m_settings->setFavouritesDir(m_ui->favouritesDirEdit->text().trimmed());
    m_settings->setFileNameTemplate(m_ui->templateEdit->text().trimmed());
    m_settings->setExportFormat(m_ui->exportFormatCombo->currentData().value<AudioFormat>());
    m_settings->sync();
    QDialog::accept();
}
