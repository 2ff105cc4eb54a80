#pragma once

#include <QDialog>

#include <memory>

class Settings;

namespace Ui {
class SettingsDialog;
}

/// Provider, API key, timeout, parallel takes, cost, auto-play, favourites folder, file-name template and export
/// format. Values are written to Settings on OK; the key is handed back to the caller, never to the settings file.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(Settings* settings, const QByteArray& apiKey, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    QByteArray apiKey() const;
    void focusApiKey();
    void accept() override;

private:
    void updateEnabled();

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    Settings* m_settings;
};
