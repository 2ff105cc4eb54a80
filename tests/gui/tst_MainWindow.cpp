#include "FakePlayerBackend.h"
#include "ScriptedHttpServer.h"
#include "TestAudio.h"
#include "TestTakes.h"
#include "audio/AudioTags.h"
#include "generation/GenerationService.h"
#include "generation/Session.h"
#include "gui/MainWindow.h"
#include "gui/Studio.h"
#include "gui/history/TakeDelegate.h"
#include "library/HistoryModel.h"
#include "library/Library.h"
#include "library/LibraryService.h"
#include "platform/Settings.h"
#include "playback/Player.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Behaviour = ScriptedResponse::Behaviour;

/// The real window, offscreen: typed into, clicked and read back by object name.
class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void thePromptHasTheFocus();
    void generateAddsATakeThatPlays();
    void ctrlReturnGeneratesFromAnywhere();
    void favouritesLandOnDisk();
    void cancelLeavesNothing();
    void errorsShowTheirAction_data();
    void errorsShowTheirAction();
    void rateLimitsShowTheCountdown();
    void retryAfterANetworkError();
    void parallelTakesHaveDistinctSeeds();
    void historySearchFilters();
    void anEmptyLibrarySaysHowToMakeATake();
    void twoFailedTakesShowWithoutScrolling();
    void takesShowTempoKeyAndLoudness();
    void takesKeptBeforeTheAnalysisAreAnalysed();
    void takesFromTheCommandLineAppear();
    void theFormIsRememberedAcrossRestarts();
    void authenticationErrorOpensSettingsAtTheKey();
    void testKeyReportsValidAndInvalid();
    void arrowKeysAuditionFromTheSamePosition();

private:
    void open(Settings::ProviderChoice provider);
    void typePrompt(const QString& text, int duration);
    template <typename T> T* find(const char* name) const { return m_window->findChild<T*>(QString::fromLatin1(name)); }
    QWidget* jobRow() const;

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    FakePlayerBackend* m_backend = nullptr;
};

void TestMainWindow::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ScriptedHttpServer>();
    QVERIFY(m_server->listen());
    // Favourites and every other standard location go into the temporary home.
    qputenv("XDG_MUSIC_DIR", m_home->filePath(u"music"_s).toUtf8());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_studio.reset();
    m_server.reset();
}

void TestMainWindow::open(Settings::ProviderChoice provider)
{
    {
        Settings settings(m_home->filePath(u"settings.ini"_s));
        settings.setProvider(provider);
        settings.setCustomApiBase(QUrl(m_server->baseUrl().toString() + u"/v1"_s));
        settings.setApiTransport(Settings::ApiTransport::V1); // the scripted server answers as v1 does
        settings.setFavouritesDir(m_home->filePath(u"music/MusicGen Studio"_s));
        settings.setRetries(2);
        settings.sync();
    }
    auto backend = std::make_unique<FakePlayerBackend>();
    m_backend = backend.get();
    m_studio = std::make_unique<Studio>(Studio::Paths{m_home->filePath(u"data"_s), m_home->filePath(u"settings.ini"_s)},
                                        std::move(backend));
    m_window = std::make_unique<MainWindow>(m_studio->windowParts());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::typePrompt(const QString& text, int duration)
{
    auto* prompt = find<QPlainTextEdit>("promptEdit");
    prompt->clear();
    prompt->setFocus();
    // QTest types Latin-1 only; the rest arrives as one input-method commit, as from a real keyboard layout.
    const QString typeable = text.toLatin1() == text.toUtf8() ? text : QString();
    if (!typeable.isEmpty())
        QTest::keyClicks(prompt, typeable);
    else
        prompt->insertPlainText(text);
    find<QSlider>("durationSlider")->setValue(duration);
}

QWidget* TestMainWindow::jobRow() const
{
    const auto rows = m_window->findChildren<QWidget*>(QRegularExpression(u"^jobRow_"_s));
    return rows.isEmpty() ? nullptr : rows.constFirst();
}

void TestMainWindow::thePromptHasTheFocus()
{
    open(Settings::ProviderChoice::Offline);
    QTRY_COMPARE(QApplication::focusWidget(), find<QPlainTextEdit>("promptEdit"));
    QCOMPARE(find<QPlainTextEdit>("promptEdit")->placeholderText(), u"lo-fi music with a soothing melody"_s);
    QCOMPARE(find<QSlider>("durationSlider")->value(), 10);
    QCOMPARE(find<QSpinBox>("seedSpin")->value(), 42);
    QCOMPARE(find<QSpinBox>("seedSpin")->minimum(), -1);
    QCOMPARE(find<QSpinBox>("seedSpin")->maximum(), 9999);
    QVERIFY(!find<QPushButton>("generateButton")->accessibleName().isEmpty());
}

void TestMainWindow::generateAddsATakeThatPlays()
{
    open(Settings::ProviderChoice::Offline);
    typePrompt(u"lo-fi hip hop with a soothing piano"_s, 2);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 20000);
    const Take take = m_window->historyModel()->takeAt(0);
    QCOMPARE(take.prompt, u"lo-fi hip hop with a soothing piano"_s);
    QCOMPARE(take.requestedDuration, 2);
    QCOMPARE(take.seed, 42);
    QCOMPARE(take.provider, u"offline"_s);
    QTRY_COMPARE(m_backend->current, PlayerBackend::State::Playing);
    QCOMPARE(m_backend->source, QUrl::fromLocalFile(m_studio->library().audioPath(take)));
    QTRY_VERIFY(jobRow() == nullptr); // a finished take leaves the jobs area
    // Dragged out of the history, the selected take is a copy of its audio tagged with its tempo and key, made in
    // the background (the clip itself until then).
    const auto draggedTempo = [this] {
        const std::unique_ptr<QMimeData> drag(m_window->historyModel()->mimeData({m_window->historyModel()->index(0)}));
        QFile file(drag && drag->urls().size() == 1 ? drag->urls().constFirst().toLocalFile() : QString());
        const bool copy =
            QFileInfo(file).absolutePath() == QFileInfo(m_studio->library().rootDir() + u"/drag"_s).absoluteFilePath();
        const auto tags = copy && file.open(QIODevice::ReadOnly) ? AudioTags::read(file.readAll()) : std::nullopt;
        return tags ? tags->bpm : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(draggedTempo(), qRound(m_window->historyModel()->takeAt(0).tempo()), 10000);
    QVERIFY(find<QLabel>("spendStatus")->text().contains(u"$0.000"_s)); // offline takes cost nothing
}

void TestMainWindow::ctrlReturnGeneratesFromAnywhere()
{
    open(Settings::ProviderChoice::Offline);
    typePrompt(u"techno at 128 bpm"_s, 1);
    find<QSpinBox>("seedSpin")->setFocus();
    QTest::keyClick(find<QSpinBox>("seedSpin"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 20000);
    find<QPlainTextEdit>("promptEdit")->setFocus();
    QTest::keyClick(find<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 2, 20000);
    QVERIFY(!find<QPlainTextEdit>("promptEdit")->toPlainText().contains(u'\n'));
}

void TestMainWindow::favouritesLandOnDisk()
{
    open(Settings::ProviderChoice::Offline);
    typePrompt(u"dreamy ambient pads"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 20000);
    auto* list = find<QListView>("historyList");
    const QRect row = list->visualRect(m_window->historyModel()->index(0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, QPoint(row.left() + 14, row.center().y())); // the star
    const QDir favourites(m_home->filePath(u"music/MusicGen Studio"_s));
    QTRY_COMPARE_WITH_TIMEOUT(favourites.entryList(QDir::Files).size(), 1, 10000);
    QVERIFY(favourites.entryList(QDir::Files).constFirst().startsWith(u"dreamy ambient pads_42_1s"_s));
    QTRY_VERIFY(m_window->historyModel()->takeAt(0).favourite);
    find<QCheckBox>("favouritesOnlyCheck")->setChecked(true);
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 1);
}

void TestMainWindow::cancelLeavesNothing()
{
    ScriptedResponse stalled = ScriptedResponse::audio(TestAudio::sineWav(1.0)).withBehaviour(Behaviour::StallBody);
    stalled.stallAfterBytes = 100;
    m_server->enqueue(stalled);
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"slow one"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_VERIFY(jobRow() != nullptr);
    QTRY_COMPARE(m_server->requestCount(), 1);
    auto* cancel = jobRow()->findChild<QPushButton*>(u"cancelButton"_s);
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY(jobRow() == nullptr);
    QTest::qWait(300);
    QCOMPARE(m_window->historyModel()->rowCount(), 0);
    QCOMPARE(m_studio->library().count({}), 0);
    QTRY_COMPARE(m_server->openConnectionCount(), 0);
}

void TestMainWindow::errorsShowTheirAction_data()
{
    QTest::addColumn<ScriptedResponse>("response");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("says");
    QTest::newRow("401") << ScriptedResponse::json(401, R"({"error":"Invalid API key"})") << u"Open settings"_s
                         << u"authentication failed"_s;
    QTest::newRow("406") << ScriptedResponse::json(406, R"({"error":"Not enough credits"})") << u"Top up credits"_s
                         << u"insufficient credits"_s;
    QTest::newRow("502") << ScriptedResponse::html(502, "<html>bad gateway</html>") << u"Retry"_s << u"server error"_s;
    QTest::newRow("bad audio") << ScriptedResponse::html(200, "<html>hello</html>") << u"Retry"_s
                               << u"did not send playable audio"_s;
}

void TestMainWindow::errorsShowTheirAction()
{
    QFETCH(ScriptedResponse, response);
    QFETCH(QString, action);
    QFETCH(QString, says);
    m_server->setFallback(response.withHeader("Retry-After", "0"));
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"x"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(jobRow() && jobRow()->findChild<QPushButton*>(u"actionButton"_s), 10000);
    QCOMPARE(jobRow()->findChild<QPushButton*>(u"actionButton"_s)->text(), action);
    const QString status = jobRow()->findChild<QLabel*>(u"statusLabel"_s)->text();
    QVERIFY2(status.contains(says), qPrintable(status));
    QVERIFY(!jobRow()->findChild<QPushButton*>(u"cancelButton"_s)->isVisible());
    QCOMPARE(m_studio->library().count({}), 0);
}

void TestMainWindow::rateLimitsShowTheCountdown()
{
    m_server->enqueue(ScriptedResponse::json(429, R"({"error":"Too many requests"})").withHeader("Retry-After", "3"));
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"x"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        jobRow() && jobRow()->findChild<QLabel*>(u"statusLabel"_s)->text().contains(u"retrying in"_s), 5000);
    QVERIFY(jobRow()->findChild<QLabel*>(u"statusLabel"_s)->text().contains(u"Rate limited"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 10000);
}

void TestMainWindow::retryAfterANetworkError()
{
    for (int i = 0; i < 3; ++i)
        m_server->enqueue(ScriptedResponse::json(500, R"({"error":"boom"})").withHeader("Retry-After", "0"));
    m_server->enqueue(ScriptedResponse::audio(TestAudio::sineWav(1.0)));
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"x"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(jobRow() && jobRow()->findChild<QPushButton*>(u"actionButton"_s), 10000);
    QTest::mouseClick(jobRow()->findChild<QPushButton*>(u"actionButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 10000);
    QCOMPARE(m_server->requestCount(), 4);
}

void TestMainWindow::parallelTakesHaveDistinctSeeds()
{
    m_server->setFallback(ScriptedResponse::audio(TestAudio::sineWav(1.0)).withHeader("x-remaining-credits", "4.963"));
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"four at once"_s, 1);
    find<QSpinBox>("takesSpin")->setValue(4);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 4, 20000);
    QSet<int> seeds;
    for (const RecordedRequest& request : m_server->requests())
        seeds.insert(QJsonDocument::fromJson(request.body).object().value("seed"_L1).toInt());
    QCOMPARE(seeds.size(), 4);
    QVERIFY(seeds.contains(42)); // the form's seed is the first take's
    QTRY_VERIFY(find<QLabel>("spendStatus")->text().contains(u"$0.148"_s));
    QTRY_COMPARE(find<QLabel>("creditsStatus")->text(), u"Credits: 4.96"_s);
}

void TestMainWindow::historySearchFilters()
{
    open(Settings::ProviderChoice::Offline);
    for (const QString& prompt : {u"jazz trio with brass"_s, u"dark techno"_s, u"jazz ballad"_s}) {
        typePrompt(prompt, 1);
        QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(jobRow() == nullptr, 20000);
    }
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 3);
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    auto* search = find<QLineEdit>("searchEdit");
    QTRY_COMPARE(QApplication::focusWidget(), search);
    QTest::keyClicks(search, u"jazz"_s);
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 2);
    search->clear();
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 3);
}

void TestMainWindow::anEmptyLibrarySaysHowToMakeATake()
{
    open(Settings::ProviderChoice::Offline);
    auto* empty = find<QLabel>("emptyLabel");
    QVERIFY(empty->isVisible());
    QVERIFY2(empty->text().startsWith(u"No takes yet."_s) && empty->text().contains(u"Generate (Ctrl+Return)"_s),
             qPrintable(empty->text()));
    QVERIFY(find<QWidget>("jobsView")->isHidden()); // nothing in progress takes no room

    typePrompt(u"jazz ballad"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 20000);
    QTRY_VERIFY(empty->isHidden());
    QCOMPARE(find<QLabel>("countLabel")->text(), u"1 take"_s);
    QTRY_VERIFY(find<QWidget>("jobsView")->isHidden());

    find<QLineEdit>("searchEdit")->setText(u"techno"_s); // a search that finds nothing is not an empty library
    QTRY_VERIFY(empty->isVisible());
    QCOMPARE(empty->text(), u"No takes match."_s);
    find<QLineEdit>("searchEdit")->clear();
    QTRY_VERIFY(empty->isHidden());
}

void TestMainWindow::twoFailedTakesShowWithoutScrolling()
{
    m_server->setFallback(ScriptedResponse::json(406, R"({"error":"Not enough credits"})")); // not retried
    open(Settings::ProviderChoice::CustomEndpoint);
    QCOMPARE(m_window->size(), QSize(1040, 680)); // the window's default size
    typePrompt(u"two at once"_s, 1);
    find<QSpinBox>("takesSpin")->setValue(2);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    const auto failedRows = [this] {
        const auto rows = m_window->findChildren<QWidget*>(QRegularExpression(u"^jobRow_"_s));
        return std::count_if(rows.begin(), rows.end(), [](QWidget* row) { return row->property("failed").toBool(); });
    };
    QTRY_COMPARE_WITH_TIMEOUT(failedRows(), 2, 10000);
    auto* scroll = find<QScrollArea>("jobsScroll");
    QTRY_VERIFY(!scroll->verticalScrollBar()->isVisible());
    for (QWidget* row : m_window->findChildren<QWidget*>(QRegularExpression(u"^jobRow_"_s))) {
        const QRect shown(row->mapTo(scroll->viewport(), QPoint()), row->size());
        QTRY_VERIFY2(scroll->viewport()->rect().contains(shown), qPrintable(row->objectName()));
        QVERIFY(row->findChild<QPushButton*>(u"dismissButton"_s)->isVisible());
    }
}

void TestMainWindow::takesShowTempoKeyAndLoudness()
{
    open(Settings::ProviderChoice::Offline);
    typePrompt(u"techno at 128 bpm in F minor"_s, 4);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 20000);
    const Take take = m_window->historyModel()->takeAt(0);
    QCOMPARE(take.bpm, 128.0);
    QCOMPARE(take.key().shortName(), u"Fm"_s);
    const QStringList chips = TakeDelegate::chipsOf(take);
    QCOMPARE(chips.mid(0, 2), (QStringList{u"128 BPM"_s, u"F minor"_s}));
    QVERIFY2(chips.value(2).endsWith(u" LUFS"_s) && chips.value(2).startsWith(u"−1"_s), qPrintable(chips.join(u'|')));
    auto* nowPlaying = find<QLabel>("nowPlayingLabel");
    QTRY_VERIFY2(nowPlaying->text().contains(u"128 BPM · F minor · −1"_s), qPrintable(nowPlaying->text()));

    // The detector's commonest mistake is an octave: / halves the tempo, * doubles it, and the choice is kept.
    auto* list = find<QListView>("historyList");
    list->setCurrentIndex(m_window->historyModel()->index(0));
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Slash);
    QTRY_COMPARE(m_window->historyModel()->takeAt(0).bpmByUser, std::optional(64.0));
    QTRY_VERIFY2(nowPlaying->text().contains(u"64 BPM"_s), qPrintable(nowPlaying->text()));
    // Now the take differs from what the prompt asked, and says so.
    QVERIFY(TakeDelegate::chipsOf(m_window->historyModel()->takeAt(0)).contains(u"asked 128 BPM, got 64"_s));
    QTest::keyClick(list, Qt::Key_Asterisk);
    QTRY_COMPARE(m_window->historyModel()->takeAt(0).bpmByUser, std::nullopt); // back at the detected tempo

    auto* search = find<QLineEdit>("searchEdit");
    search->setText(u"bpm:120-130 key:Fm"_s);
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 1);
    search->setText(u"compatible:Cm"_s); // F minor is a fifth below C minor
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 1);
    search->setText(u"key:Am"_s);
    QTRY_COMPARE(m_window->historyModel()->rowCount(), 0);
}

void TestMainWindow::takesKeptBeforeTheAnalysisAreAnalysed()
{
    {
        Library library(m_home->filePath(u"data"_s));
        QVERIFY(library.open().ok);
        for (int seed = 1; seed <= 3; ++seed)
            QVERIFY(library.add(TestTakes::result(u"kept before the analysis"_s, seed, 2, u"segmind", 2.0)));
    }
    open(Settings::ProviderChoice::Offline);
    auto* status = find<QLabel>("analysisStatus");
    QTRY_VERIFY_WITH_TIMEOUT(m_window->historyModel()->takeAt(0).analysisVersion > 0 &&
                                 m_window->historyModel()->takeAt(2).analysisVersion > 0,
                             20000);
    QTRY_VERIFY(status->isHidden());
    // A steady tone: loudness and a key, no tempo to find.
    const Take take = m_window->historyModel()->takeAt(1);
    QVERIFY(take.loudnessLufs);
    QCOMPARE(take.bpm, 0.0);
}

void TestMainWindow::takesFromTheCommandLineAppear()
{
    open(Settings::ProviderChoice::Offline);
    QCOMPARE(m_window->historyModel()->rowCount(), 0);
    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"XDG_DATA_HOME"_s, m_home->path());
    cli.setProcessEnvironment(environment);
    cli.setWorkingDirectory(m_home->path());
    // The window's library is <home>/data; the CLI's is $XDG_DATA_HOME/musicgen-studio, so link them.
    QVERIFY(QFile::link(m_home->filePath(u"data"_s), m_home->filePath(u"musicgen-studio"_s)));
    cli.start(QString::fromUtf8(MUSICGEN_CLI_PATH),
              {u"generate"_s, u"--prompt"_s, u"from the terminal"_s, u"--duration"_s, u"1"_s, u"--no-history"_s,
               u"--output"_s, u"t.wav"_s});
    QVERIFY(cli.waitForFinished(30000));
    QTest::qWait(2000);
    QCOMPARE(m_window->historyModel()->rowCount(), 0); // --no-history: nothing to show
    cli.start(QString::fromUtf8(MUSICGEN_CLI_PATH), {u"generate"_s, u"--prompt"_s, u"from the terminal"_s,
                                                     u"--duration"_s, u"1"_s, u"--output"_s, u"t2.wav"_s});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 1, 5000);
    QCOMPARE(m_window->historyModel()->takeAt(0).prompt, u"from the terminal"_s);
}

void TestMainWindow::theFormIsRememberedAcrossRestarts()
{
    open(Settings::ProviderChoice::Offline);
    typePrompt(u"remember me 🎹"_s, 23);
    find<QSpinBox>("seedSpin")->setValue(777);
    m_window->close();
    m_window.reset();
    m_studio.reset();
    open(Settings::ProviderChoice::Offline);
    QCOMPARE(find<QPlainTextEdit>("promptEdit")->toPlainText(), u"remember me 🎹"_s);
    QCOMPARE(find<QSlider>("durationSlider")->value(), 23);
    QCOMPARE(find<QSpinBox>("seedSpin")->value(), 777);
}

void TestMainWindow::authenticationErrorOpensSettingsAtTheKey()
{
    m_server->setFallback(ScriptedResponse::json(401, R"({"error":"Invalid API key"})"));
    open(Settings::ProviderChoice::CustomEndpoint);
    typePrompt(u"x"_s, 1);
    QTest::mouseClick(find<QPushButton>("generateButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(jobRow() && jobRow()->findChild<QPushButton*>(u"actionButton"_s), 10000);
    QString focusedName;
    QTimer::singleShot(200, this, [&focusedName] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        focusedName = QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : QString();
        dialog->reject();
    });
    QTest::mouseClick(jobRow()->findChild<QPushButton*>(u"actionButton"_s), Qt::LeftButton);
    QCOMPARE(focusedName, u"apiKeyEdit"_s);
}

void TestMainWindow::testKeyReportsValidAndInvalid()
{
    open(Settings::ProviderChoice::CustomEndpoint);
    m_server->enqueue(ScriptedResponse::json(200, R"({"credits": 12.5, "free-credits": 0})"));
    m_server->enqueue(ScriptedResponse::json(401, R"({"error":"Invalid API key"})"));
    QStringList answers;
    QTimer::singleShot(100, this, [this, &answers] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto* key = dialog->findChild<QLineEdit*>(u"apiKeyEdit"_s);
        auto* test = dialog->findChild<QPushButton*>(u"testKeyButton"_s);
        auto* note = dialog->findChild<QLabel*>(u"apiKeyNote"_s);
        key->setText(u"sg-good"_s);
        test->click();
        QTRY_VERIFY(note->text().startsWith(u"Valid"_s));
        answers << note->text();
        key->setText(u"sg-bad"_s);
        test->click();
        QTRY_VERIFY(note->text().startsWith(u"Invalid"_s));
        answers << note->text();
        dialog->reject();
    });
    m_window->findChild<QAction*>(u"settingsAction"_s)->trigger();
    QCOMPARE(answers.size(), 2);
    QVERIFY(answers.at(0).contains(u"12.50"_s));
    QVERIFY(answers.at(1).contains(u"401"_s));
    const auto requests = m_server->requests();
    QCOMPARE(requests.at(requests.size() - 2).header("x-api-key"), QByteArray("sg-good"));
    QCOMPARE(requests.constLast().header("x-api-key"), QByteArray("sg-bad"));
}

void TestMainWindow::arrowKeysAuditionFromTheSamePosition()
{
    {
        Library library(m_home->filePath(u"data"_s));
        QVERIFY(library.open().ok);
        QVERIFY(library.add(TestTakes::result(u"one idea, short"_s, 3, 1, u"offline", 1.0)));
        for (int seed = 2; seed >= 1; --seed)
            QVERIFY(library.add(TestTakes::result(u"one idea"_s, seed, 4, u"offline", 4.0)));
    }
    open(Settings::ProviderChoice::Offline);
    HistoryModel* history = m_window->historyModel();
    QCOMPARE(history->rowCount(), 3);
    const auto pathOf = [this, history](int row) {
        return QUrl::fromLocalFile(m_studio->library().audioPath(history->takeAt(row)));
    };
    auto* list = find<QListView>("historyList");
    list->setCurrentIndex(history->index(0));
    list->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), list);
    m_backend->calls.clear();
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(m_backend->calls, (QStringList{u"source"_s, u"play"_s})); // from the start
    m_backend->playTo(2500);
    m_backend->calls.clear();
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(m_studio->player().currentTakeId(), history->takeAt(1).id);
    QCOMPARE(m_backend->source, pathOf(1));
    QCOMPARE(m_backend->calls, (QStringList{u"source"_s, u"seek 2500"_s, u"play"_s})); // the same moment
    QTRY_VERIFY(find<QLabel>("nowPlayingLabel")->text().contains(u"seed 2"_s));
    // A take shorter than that moment plays from its start.
    m_backend->calls.clear();
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(m_backend->source, pathOf(2));
    QCOMPARE(m_backend->calls, (QStringList{u"source"_s, u"play"_s}));
    // Enter plays from the start wherever the take before was.
    QTest::keyClick(list, Qt::Key_Up);
    m_backend->playTo(3000);
    m_backend->calls.clear();
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(m_backend->source, pathOf(1));
    QCOMPARE(m_backend->calls, (QStringList{u"source"_s, u"play"_s}));

    // Off in the settings, the keys only move.
    QTimer::singleShot(0, this, [] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->findChild<QCheckBox*>(u"auditionCheck"_s)->setChecked(false);
        dialog->accept();
    });
    m_window->findChild<QAction*>(u"settingsAction"_s)->trigger();
    QVERIFY(!m_studio->settings().auditionOnSelect());
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_backend->calls.clear();
    QTest::keyClick(list, Qt::Key_Up);
    QCOMPARE(list->currentIndex().row(), 0);
    QCOMPARE(m_backend->calls, QStringList());
    QCOMPARE(m_backend->source, pathOf(1));
}

QTEST_MAIN(TestMainWindow)
#include "tst_MainWindow.moc"
