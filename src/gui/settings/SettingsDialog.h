#pragma once

#include <QDialog>

#include <functional>
#include <memory>

class CreditsQuery;
class Settings;

namespace Ui {
class SettingsDialog;
}

/// Provider, API key, timeout, parallel takes, cost, auto-play, audition on select, favourites folder, file-name
/// template and export format. Values are written to Settings on OK; the key is handed back to the caller, never to the
/// settings file.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    /// Asks the credits endpoint whether a key works.
    using KeyTester = std::function<CreditsQuery*(const QByteArray& key)>;

    /// `keyNote` says where the key is kept (the keychain, or memory only when no keychain runs).
    SettingsDialog(Settings* settings, const QByteArray& apiKey, const QString& keyNote, KeyTester tester,
                   QWidget* parent = nullptr);
    ~SettingsDialog() override;

    QByteArray apiKey() const;
    void focusApiKey();
    void accept() override;

private:
    void updateEnabled();
    void testKey();

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    Settings* m_settings;
    KeyTester m_tester;
};
