#pragma once

#include "model/GenerationResult.h"

/// musicgen-cli's exit codes: a public contract that scripts depend on (README, "Exit codes").
enum ExitCode : int
{
    ExitOk = 0,
    /// Something on this machine failed: the library could not be opened or written, a take's audio is missing,
    /// or a take that arrived could not be written where asked (it is kept elsewhere).
    ExitLocalFailure = 1,
    ExitInvalidInput = 2,   ///< nothing was sent
    ExitAuthentication = 3, ///< HTTP 401/403, or no key
    ExitInsufficientCredits = 4,
    ExitRateLimited = 5,     ///< still rate-limited after the retries
    ExitServerOrNetwork = 6, ///< server, network or bad-audio error; also a retired model or a failed generation
    ExitTimeout = 7,
    ExitInterrupted = 130,
};

inline int exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None: return ExitOk;
    case ErrorKind::InvalidInput: return ExitInvalidInput;
    case ErrorKind::Authentication: return ExitAuthentication;
    case ErrorKind::InsufficientCredits: return ExitInsufficientCredits;
    case ErrorKind::RateLimited: return ExitRateLimited;
    case ErrorKind::Timeout: return ExitTimeout;
    case ErrorKind::Cancelled: return ExitInterrupted;
    case ErrorKind::InvalidRequest:
    case ErrorKind::NotFound:
    case ErrorKind::Server:
    case ErrorKind::Network:
    case ErrorKind::BadAudio:
    case ErrorKind::ModelRetired:
    case ErrorKind::GenerationFailed: return ExitServerOrNetwork;
    }
    return ExitServerOrNetwork;
}
