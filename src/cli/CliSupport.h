#pragma once

#include "model/GenerationResult.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QUrl>

#include <memory>

class Library;

/// What the sub-commands share: options for reaching the API, and how errors are printed.
namespace CliSupport {

/// --api-base URL (else MUSICGEN_API_BASE, else Segmind's).
QCommandLineOption apiBaseOption();

/// The API base from the option or the environment; an invalid URL leaves `error` set.
QUrl apiBase(const QCommandLineParser& parser, QString* error);

/// The key from SEGMIND_API_KEY (trimmed), else the one the app stored in the system keychain; empty when
/// neither has one.
QByteArray apiKey();

/// Sets up `parser` for the sub-command `command`: its description and its usage line `syntax`.
QCommandLineParser& describe(QCommandLineParser& parser, const QString& command, const QString& description,
                             const QString& syntax);

/// Parses `arguments` with the standard --help; on bad options prints the reason and returns false.
bool parse(QCommandLineParser& parser, const QStringList& arguments);

/// "error: <text>" on stderr.
void printError(const QString& text);
/// "<text>" on stderr, for notices that are not errors.
void printNotice(const QString& text);
/// A line on stdout.
void printLine(const QString& text);
/// `text` safe to show in a terminal: control characters (escape sequences among them) and the bidirectional
/// controls that reorder what follows are shown as \u{…} instead of acting on the terminal.
QString forTerminal(const QString& text);

/// The library at its usual place with the musician's settings (favourites folder, file names), opened; what
/// open() had to say goes to stderr. A library that will not open is a local failure (`exitCode` 1), like one that
/// cannot be written.
std::unique_ptr<Library> openLibrary(int* exitCode);
/// A whole number option in [min, max]; `error` is set when it is something else.
int intOption(const QCommandLineParser& parser, const QCommandLineOption& option, int fallback, int min, int max,
              QString* error);

} // namespace CliSupport
