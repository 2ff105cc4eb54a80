#pragma once

#include <QMetaType>
#include <QString>

/// What a musician asks for: one take of `durationSeconds` from `prompt`, made with `seed`.
struct GenerationRequest
{
    static constexpr int MinDuration = 1;
    static constexpr int MaxDuration = 30;
    static constexpr int DefaultDuration = 10;
    static constexpr int RandomSeed = -1;
    static constexpr int MinSeed = -1;
    static constexpr int MaxSeed = 9999;
    static constexpr int DefaultSeed = 42;
    static constexpr int MaxPromptLength = 2000; ///< in Unicode code points

    QString prompt;
    int durationSeconds = DefaultDuration;
    int seed = DefaultSeed; ///< -1 asks for a random seed; the service draws one before sending

    friend bool operator==(const GenerationRequest&, const GenerationRequest&) = default;
};
Q_DECLARE_METATYPE(GenerationRequest)

/// Returns an empty string when `request` may be sent, otherwise one sentence saying what to change.
QString validationError(const GenerationRequest& request);
