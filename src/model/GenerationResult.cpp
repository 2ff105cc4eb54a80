#include "model/GenerationResult.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QString errorKindSummary(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None: return {};
    case ErrorKind::InvalidInput: return QCoreApplication::translate("Errors", "invalid input");
    case ErrorKind::InvalidRequest: return QCoreApplication::translate("Errors", "the server rejected the request");
    case ErrorKind::Authentication: return QCoreApplication::translate("Errors", "authentication failed");
    case ErrorKind::NotFound: return QCoreApplication::translate("Errors", "model or endpoint not found");
    case ErrorKind::InsufficientCredits: return QCoreApplication::translate("Errors", "insufficient credits");
    case ErrorKind::RateLimited: return QCoreApplication::translate("Errors", "rate limited");
    case ErrorKind::Server: return QCoreApplication::translate("Errors", "server error");
    case ErrorKind::Network: return QCoreApplication::translate("Errors", "network error");
    case ErrorKind::Timeout: return QCoreApplication::translate("Errors", "timed out");
    case ErrorKind::Cancelled: return QCoreApplication::translate("Errors", "cancelled");
    case ErrorKind::BadAudio: return QCoreApplication::translate("Errors", "the server did not send playable audio");
    case ErrorKind::ModelRetired: return QCoreApplication::translate("Errors", "the model was retired on Segmind");
    case ErrorKind::GenerationFailed: return QCoreApplication::translate("Errors", "Segmind could not make this take");
    }
    return {};
}

QString errorKindAdvice(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
    case ErrorKind::Cancelled: return {};
    case ErrorKind::InvalidInput:
    case ErrorKind::InvalidRequest: return QCoreApplication::translate("Errors", "check the prompt, duration and seed");
    case ErrorKind::Authentication:
        return QCoreApplication::translate("Errors", "check or replace your Segmind API key (SEGMIND_API_KEY)");
    case ErrorKind::NotFound: return QCoreApplication::translate("Errors", "check the API base URL");
    case ErrorKind::InsufficientCredits:
        return QCoreApplication::translate("Errors", "top up your Segmind credits, or use the offline sketch engine");
    case ErrorKind::RateLimited: return QCoreApplication::translate("Errors", "wait a minute and try again");
    case ErrorKind::Server:
    case ErrorKind::BadAudio: return QCoreApplication::translate("Errors", "try again in a moment");
    case ErrorKind::Network:
        return QCoreApplication::translate("Errors", "check your internet connection and try again");
    case ErrorKind::Timeout:
        return QCoreApplication::translate("Errors", "try again, or allow more time with a longer timeout");
    case ErrorKind::ModelRetired:
        return QCoreApplication::translate("Errors",
                                           "nothing was billed; choose the offline sketch engine or another endpoint");
    case ErrorKind::GenerationFailed:
        return QCoreApplication::translate("Errors", "nothing was billed; try again, or change the prompt or seed");
    }
    return {};
}

QString GenerationError::toUserText() const
{
    QString text = errorKindSummary(kind);
    if (httpStatus > 0)
        text += u" (HTTP %1)"_s.arg(httpStatus);
    const QString words = serverMessage.isEmpty() ? detail : serverMessage;
    if (!words.isEmpty())
        text += u": "_s + words;
    const QString next = advice.isEmpty() ? errorKindAdvice(kind) : advice;
    if (!next.isEmpty())
        text += u" — "_s + next;
    return text;
}
