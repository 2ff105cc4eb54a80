#include "model/GenerationRequest.h"

#include <QCoreApplication>

QString validationError(const GenerationRequest& request)
{
    if (request.prompt.trimmed().isEmpty())
        return QCoreApplication::translate("Validation", "Type a prompt that describes the music you want.");
    const qsizetype codePoints = request.prompt.toUcs4().size();
    if (codePoints > GenerationRequest::MaxPromptLength)
        return QCoreApplication::translate("Validation", "Shorten the prompt to at most %1 characters (it has %2).")
            .arg(GenerationRequest::MaxPromptLength)
            .arg(codePoints);
    if (request.durationSeconds < GenerationRequest::MinDuration ||
        request.durationSeconds > GenerationRequest::MaxDuration)
        return QCoreApplication::translate("Validation", "Choose a duration from %1 to %2 seconds (got %3).")
            .arg(GenerationRequest::MinDuration)
            .arg(GenerationRequest::MaxDuration)
            .arg(request.durationSeconds);
    if (request.seed < GenerationRequest::MinSeed || request.seed > GenerationRequest::MaxSeed)
        return QCoreApplication::translate("Validation",
                                           "Choose a seed from %1 to %2, or -1 for a random one (got %3).")
            .arg(GenerationRequest::MinSeed)
            .arg(GenerationRequest::MaxSeed)
            .arg(request.seed);
    return {};
}
