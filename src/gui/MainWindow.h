#pragma once

#include <QMainWindow>

class GenerationService;
class QLabel;
class QMediaPlayer;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTemporaryDir;

/// The studio window: a prompt, a duration and a seed in; a take out, played at once.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(GenerationService* service, QWidget* parent = nullptr);
    ~MainWindow() override;

private:
    void generate();

    GenerationService* m_service;
    QPlainTextEdit* m_prompt;
    QSlider* m_duration;
    QLabel* m_durationLabel;
    QSpinBox* m_seed;
    QPushButton* m_generate;
    QLabel* m_status;
    QMediaPlayer* m_player;
    QTemporaryDir* m_takes;
};
