#include "cli/CliSupport.h"

#include "cli/ExitCode.h"
#include "library/Library.h"
#include "net/SegmindApi.h"
#include "platform/AppPaths.h"
#include "platform/KeyStore.h"
#include "platform/Settings.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace CliSupport {

QCommandLineOption apiBaseOption()
{
    return QCommandLineOption(u"api-base"_s,
                              QCoreApplication::translate("cli", "API base URL (default: $MUSICGEN_API_BASE or %1).")
                                  .arg(QString::fromLatin1(SegmindApi::DefaultApiBase)),
                              u"url"_s);
}

QUrl apiBase(const QCommandLineParser& parser, QString* error)
{
    const QString option = parser.value(u"api-base"_s);
    const QUrl url = option.isEmpty() ? SegmindApi::defaultApiBase() : QUrl(option, QUrl::StrictMode);
    if (Settings::isUsableApiBase(url))
        return url;
    const QString example = QString::fromLatin1(SegmindApi::DefaultApiBase);
    *error =
        option.isEmpty()
            ? QCoreApplication::translate("cli", "MUSICGEN_API_BASE must be an http or https URL, e.g. %1").arg(example)
            : QCoreApplication::translate("cli", "--api-base must be an http or https URL, e.g. %1 (got \"%2\")")
                  .arg(example, option);
    return {};
}

QByteArray apiKey()
{
    const QByteArray fromEnvironment = qgetenv("SEGMIND_API_KEY").trimmed();
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    KeyStore store;
    QByteArray stored;
    QEventLoop loop;
    QObject::connect(&store, &KeyStore::loaded, &loop, [&](const QByteArray& key) {
        stored = key;
        loop.quit();
    });
    QObject::connect(&store, &KeyStore::unavailable, &loop, &QEventLoop::quit);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit); // a keychain that never answers must not hang a script
    store.load();
    loop.exec();
    return stored;
}

QCommandLineParser& describe(QCommandLineParser& parser, const QString& command, const QString& description,
                             const QString& syntax)
{
    parser.setApplicationDescription(description);
    parser.addPositionalArgument(command, description, syntax);
    return parser;
}

bool parse(QCommandLineParser& parser, const QStringList& arguments)
{
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments)) {
        printError(parser.errorText() + QCoreApplication::translate("cli", " (see --help)"));
        return false;
    }
    if (parser.isSet(help))
        parser.showHelp(0);
    return true;
}

void printError(const QString& text)
{
    std::fprintf(stderr, "error: %s\n", text.toUtf8().constData());
    std::fflush(stderr);
}

void printNotice(const QString& text)
{
    std::fprintf(stderr, "%s\n", text.toUtf8().constData());
    std::fflush(stderr);
}

void printLine(const QString& text)
{
    std::fprintf(stdout, "%s\n", text.toUtf8().constData());
    std::fflush(stdout);
}

QString forTerminal(const QString& text)
{
    static constexpr char16_t BidiControls[] =
        u"\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || QStringView(BidiControls).contains(c))
            safe += u"\\u{%1}"_s.arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            safe += c;
    }
    return safe;
}

int intOption(const QCommandLineParser& parser, const QCommandLineOption& option, int fallback, int min, int max,
              QString* error)
{
    if (!parser.isSet(option))
        return fallback;
    const QString text = parser.value(option);
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max) {
        *error = QCoreApplication::translate("cli", "--%1 takes a whole number from %2 to %3 (got \"%4\")")
                     .arg(option.names().constFirst())
                     .arg(min)
                     .arg(max)
                     .arg(text);
        return fallback;
    }
    return value;
}

std::unique_ptr<Library> openLibrary(int* exitCode)
{
    auto library = std::make_unique<Library>(AppPaths::dataDir(), libraryOptionsFrom(Settings()));
    const OpenReport report = library->open();
    if (!report.ok) {
        printError(report.message);
        *exitCode = ExitLocalFailure;
        return nullptr;
    }
    if (!report.message.isEmpty())
        printNotice(report.message);
    return library;
}

} // namespace CliSupport
