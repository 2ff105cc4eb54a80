#include "FakePlayerBackend.h"
#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/Player.h"

#include <QDirIterator>
#include <QLabel>
#include <QLoggingCategory>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QByteArray Canary = QByteArrayLiteral("canary-KEY-7f3a91e0-do-not-leak");
QStringList g_log;

void capture(QtMsgType, const QMessageLogContext& context, const QString& message)
{
    g_log.append(QString::fromLatin1(context.category ? context.category : "") + u": "_s + message);
}

} // namespace

/// A recognisable key goes through the window, the library and the command line with every logging category
/// on; afterwards it may be found in the requests sent to the API and nowhere else.
class TestKeyNeverLeaks final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void theKeyAppearsOnlyInRequests();

private:
    QTemporaryDir m_home;
};

void TestKeyNeverLeaks::initTestCase()
{
    for (const char* folder : {"config", "data", "cache", "music"})
        qputenv(QByteArray("XDG_") + QByteArray(folder).toUpper() + (qstrcmp(folder, "music") ? "_HOME" : "_DIR"),
                m_home.filePath(QString::fromLatin1(folder)).toUtf8());
    qputenv("SEGMIND_API_KEY", Canary);
    QLoggingCategory::setFilterRules(u"*=true"_s);
    qInstallMessageHandler(capture);
}

void TestKeyNeverLeaks::theKeyAppearsOnlyInRequests()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    const QByteArray echo = R"({"error":"the key )" + Canary + R"( is not valid"})";
    server.setFallback(ScriptedResponse::json(200, R"({"credits": 5, "free-credits": 0})"));

    {
        Settings settings;
        settings.setProvider(Settings::ProviderChoice::CustomEndpoint);
        settings.setCustomApiBase(QUrl(server.baseUrl().toString() + u"/v1"_s));
        settings.setApiTransport(Settings::ApiTransport::V1); // the scripted server answers as v1 does
        settings.sync();
    }
    {
        Studio studio({m_home.filePath(u"data/musicgen-studio"_s), {}}, std::make_unique<FakePlayerBackend>());
        QCOMPARE(studio.session().apiKey(), Canary);
        MainWindow window(studio.windowParts());
        window.show();
        QTRY_COMPARE(server.requestCount(), 1); // the window asks for the balance at start
        server.enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)).withHeader("x-remaining-credits", "5"));
        window.findChild<QPlainTextEdit*>(u"promptEdit"_s)->setPlainText(u"jazz"_s);
        window.findChild<QSlider*>(u"durationSlider"_s)->setValue(1);
        QTest::mouseClick(window.findChild<QPushButton*>(u"generateButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.historyModel()->rowCount(), 1, 10000);
        const Take take = window.historyModel()->takeAt(0);
        studio.library().setFavourite(take.id, true);
        studio.library().exportTake(take.id, m_home.filePath(u"music/export.flac"_s), AudioFormat::Flac);
        QTRY_VERIFY(QFile::exists(m_home.filePath(u"music/export.flac"_s)));
        // A server that echoes the key back in its error: the window shows the error, not the key.
        server.enqueue(ScriptedResponse::json(401, echo));
        QTest::mouseClick(window.findChild<QPushButton*>(u"generateButton"_s), Qt::LeftButton);
        QLabel* status = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((status = window.findChild<QLabel*>(u"statusLabel"_s)) &&
                                     status->text().contains(u"authentication"_s),
                                 10000);
        for (const QLabel* label : window.findChildren<QLabel*>())
            QVERIFY2(!label->text().toUtf8().contains(Canary), qPrintable(label->objectName()));
        window.close();
    }

    // The command line, with every Qt logging category printing.
    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_s, u"*=true"_s);
    environment.insert(u"MUSICGEN_API_BASE"_s, server.baseUrl().toString() + u"/v1"_s);
    cli.setProcessEnvironment(environment);
    cli.setWorkingDirectory(m_home.path());
    cli.setProcessChannelMode(QProcess::MergedChannels);
    QByteArray output;
    server.enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    server.enqueue(ScriptedResponse::json(401, echo));
    for (const QStringList& arguments : {QStringList{u"generate"_s, u"--prompt"_s, u"x"_s, u"--provider"_s,
                                                     u"segmind"_s, u"--json"_s, u"--output"_s, u"cli.wav"_s},
                                         QStringList{u"generate"_s, u"--prompt"_s, u"x"_s, u"--provider"_s,
                                                     u"segmind"_s, u"--output"_s, u"cli2.wav"_s},
                                         QStringList{u"credits"_s}, QStringList{u"history"_s, u"--json"_s}}) {
        QSignalSpy finished(&cli, &QProcess::finished); // the server answers from this event loop
        cli.start(QString::fromUtf8(MUSICGEN_CLI_PATH), arguments);
        QVERIFY(finished.wait(30000));
        output += cli.readAll();
    }
    QVERIFY2(output.contains("authentication failed (HTTP 401)"), output.constData());
    QVERIFY2(!output.contains(Canary), "the command line printed the key");

    // Positive control: the key really was in play.
    int sentWithKey = 0;
    for (const RecordedRequest& request : server.requests())
        sentWithKey += request.header("x-api-key") == Canary ? 1 : 0;
    QVERIFY(sentWithKey >= 5);
    QVERIFY(!g_log.isEmpty());
    for (const QString& line : std::as_const(g_log))
        QVERIFY2(!line.toUtf8().contains(Canary), qPrintable(line));

    // No file anywhere in the app's folders: settings, database and its WAL, sidecars, clips, favourites, exports.
    int files = 0;
    QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(Canary), qPrintable(file.fileName()));
        ++files;
    }
    qInfo("checked %d log lines and %d files", int(g_log.size()), files);
    QVERIFY(files >= 8);
}

QTEST_MAIN(TestKeyNeverLeaks)
#include "tst_KeyNeverLeaks.moc"
