#pragma once

#include "model/GenerationRequest.h"

#include <QWidget>

#include <memory>

namespace Ui {
class PromptPanel;
}

/// The form a take is made from: prompt, duration, seed, takes per click, and the Generate button.
class PromptPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit PromptPanel(QWidget* parent = nullptr);
    ~PromptPanel() override;

    /// What the form says now (seed -1 means random).
    GenerationRequest request() const;
    /// Fills the form, e.g. from a take in the history.
    void setRequest(const GenerationRequest& request);
    int takesPerClick() const;
    void setTakesPerClick(int takes);
    bool newSeedForEveryTake() const;
    void setNewSeedForEveryTake(bool on);
    /// Shows the seed a take was actually made with, so the musician can note or reuse it.
    void showUsedSeed(int seed);
    void focusPrompt();

signals:
    void generateRequested();

private:
    std::unique_ptr<Ui::PromptPanel> m_ui;
};
