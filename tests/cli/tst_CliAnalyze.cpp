#include "CliRun.h"
#include "engine/SketchEngine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// `musicgen-cli analyze` and the analysis in `history`, as scripts use them: separate processes on a real library in
/// a temporary XDG home, on real audio files.
class TestCliAnalyze final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void generatedTakesKnowTheirTempoKeyAndLoudness();
    void historySearchesByTempoAndKey();
    void analyzesAudioFiles();
    void badInputIsAClearError();

private:
    CliRun cli(const QStringList& arguments);
    QJsonArray json(const QStringList& arguments);
    QString path(const QString& name) const { return m_home->filePath(name); }
    /// The offline engine's take of `prompt` written as a WAV file; its plan says what it composed.
    QString writeSketch(const QString& name, const QString& prompt, int seconds, engine::SketchPlan* plan);

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestCliAnalyze::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
}

CliRun TestCliAnalyze::cli(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"SEGMIND_API_KEY"_s);
    for (const auto folder : {"DATA"_L1, "CONFIG"_L1, "CACHE"_L1, "MUSIC"_L1})
        environment.insert(u"XDG_%1_HOME"_s.arg(folder), path(folder.toString().toLower()));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_home->path());
    process.setProgram(QString::fromUtf8(MUSICGEN_CLI_PATH));
    process.setArguments(arguments);
    return CliRun::of(process, 60000);
}

QJsonArray TestCliAnalyze::json(const QStringList& arguments)
{
    const CliRun run = cli(arguments + QStringList{u"--json"_s});
    if (run.exitCode != 0)
        qWarning("%s failed: %s", qPrintable(arguments.join(u' ')), qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

QString TestCliAnalyze::writeSketch(const QString& name, const QString& prompt, int seconds, engine::SketchPlan* plan)
{
    const engine::SketchParams params{prompt.toStdString(), seconds, 3};
    *plan = engine::plan(params);
    const std::vector<std::uint8_t> wav = engine::encodeWav(engine::renderPcm(*plan));
    QFile file(path(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(reinterpret_cast<const char*>(wav.data()), qint64(wav.size()));
    return file.fileName();
}

void TestCliAnalyze::generatedTakesKnowTheirTempoKeyAndLoudness()
{
    QCOMPARE(cli({u"generate"_s, u"--provider"_s, u"offline"_s, u"--prompt"_s, u"techno at 128 bpm in F minor"_s,
                  u"--duration"_s, u"8"_s})
                 .exitCode,
             0);
    const QJsonArray takes = json({u"history"_s});
    QCOMPARE(takes.size(), 1);
    const QJsonObject take = takes.first().toObject();
    QCOMPARE(take.value("bpm"_L1).toDouble(), 128.0);
    QCOMPARE(take.value("bpm_confidence"_L1).toDouble(), 1.0);
    QCOMPARE(take.value("key"_L1).toString(), u"F minor"_s);
    QCOMPARE(take.value("key_short"_L1).toString(), u"Fm"_s);
    QCOMPARE(take.value("camelot"_L1).toString(), u"4A"_s);
    QVERIFY(std::abs(take.value("lufs"_L1).toDouble() + 14.0) < 0.5);
    QVERIFY(take.value("true_peak_dbtp"_L1).toDouble() < -0.5);

    // The take by its id: the same figures, in words.
    const CliRun text = cli({u"analyze"_s, take.value("id"_L1).toString()});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"128 BPM"_s) && text.out.contains(u"F minor (Fm, 4A)"_s), qPrintable(text.out));
    const CliRun history = cli({u"history"_s});
    QVERIFY2(history.out.contains(u"128 BPM · F minor"_s), qPrintable(history.out));
}

void TestCliAnalyze::historySearchesByTempoAndKey()
{
    for (const QString& prompt : {u"house at 122 bpm in A minor"_s, u"drum and bass at 174 bpm in E minor"_s,
                                  u"ambient pad in C major at 70 bpm"_s})
        QCOMPARE(cli({u"generate"_s, u"--provider"_s, u"offline"_s, u"--prompt"_s, prompt, u"--duration"_s, u"4"_s})
                     .exitCode,
                 0);
    auto found = [this](const QString& search) {
        QStringList prompts;
        for (const QJsonValue& take : json({u"history"_s, u"--search"_s, search}))
            prompts << take.toObject().value("prompt"_L1).toString();
        return prompts;
    };
    QCOMPARE(found(u"bpm:120-125"_s), QStringList{u"house at 122 bpm in A minor"_s});
    QCOMPARE(found(u"key:Em"_s), QStringList{u"drum and bass at 174 bpm in E minor"_s});
    QCOMPARE(found(u"key:8B"_s), QStringList{u"ambient pad in C major at 70 bpm"_s});
    // A minor mixes with C major and E minor; house is in it.
    QCOMPARE(found(u"compatible:Am"_s).size(), 3);
    QCOMPARE(found(u"compatible:Am bpm:60-130"_s).size(), 2);
    const CliRun none = cli({u"history"_s, u"--search"_s, u"key:F#"_s});
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.err.contains(u"no takes match"_s));
}

void TestCliAnalyze::analyzesAudioFiles()
{
    engine::SketchPlan techno, folk;
    const QString first = writeSketch(u"techno.wav"_s, u"techno 126 bpm in G minor"_s, 12, &techno);
    const QString second = writeSketch(u"folk.wav"_s, u"acoustic folk guitar in D major at 96 bpm"_s, 12, &folk);
    const QJsonArray files = json({u"analyze"_s, first, second});
    QCOMPARE(files.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const engine::SketchPlan& plan = i == 0 ? techno : folk;
        const QJsonObject file = files.at(i).toObject();
        QCOMPARE(file.value("path"_L1).toString(), i == 0 ? first : second);
        QVERIFY2(std::abs(file.value("bpm"_L1).toDouble() - plan.bpm) <= 1.0,
                 qPrintable(QString::number(file.value("bpm"_L1).toDouble())));
        QCOMPARE(file.value("key"_L1).toString(), QString::fromStdString(engine::keyName(plan.keyRoot, plan.minor)));
        QVERIFY(file.value("bpm_confidence"_L1).toDouble() > 0);
        QVERIFY(std::abs(file.value("lufs"_L1).toDouble() + 14.0) < 0.5);
    }
    // Too short for a tempo: an honest note, not a guess.
    engine::SketchPlan blip;
    const QString shortFile = writeSketch(u"blip.wav"_s, u"piano"_s, 1, &blip);
    const QJsonObject shortOne = json({u"analyze"_s, shortFile}).first().toObject();
    QVERIFY(shortOne.value("bpm"_L1).isNull());
    QVERIFY2(!shortOne.value("tempo_note"_L1).toString().isEmpty(), qPrintable(shortFile));
}

void TestCliAnalyze::badInputIsAClearError()
{
    const CliRun nothing = cli({u"analyze"_s});
    QCOMPARE(nothing.exitCode, 2);
    QVERIFY(nothing.err.contains(u"give take ids or audio files"_s));

    QFile garbage(path(u"garbage.wav"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(5000, '\x7f'));
    garbage.close();
    engine::SketchPlan plan;
    const QString good = writeSketch(u"good.wav"_s, u"techno"_s, 4, &plan);
    const CliRun mixed = cli({u"analyze"_s, garbage.fileName(), path(u"missing.flac"_s), m_home->path(), good});
    // Every argument is looked at; the good one is still analysed, and the exit says something failed.
    QCOMPARE(mixed.exitCode, 1);
    QVERIFY2(mixed.err.contains(u"garbage.wav: "_s), qPrintable(mixed.err));
    QVERIFY2(mixed.err.contains(u"missing.flac: no such file"_s), qPrintable(mixed.err));
    QVERIFY2(mixed.err.contains(u": not an audio file"_s), qPrintable(mixed.err));
    QVERIFY2(mixed.out.contains(u"good.wav: "_s), qPrintable(mixed.out));

    // An id that names no take is bad input, as for the other commands that take one.
    const CliRun noTake = cli({u"analyze"_s, u"zzzz2345"_s});
    QCOMPARE(noTake.exitCode, 2);
    QVERIFY2(noTake.err.contains(u"no take zzzz2345"_s), qPrintable(noTake.err));

    // A name that would act on the terminal is shown escaped.
    const QString hostile = path(u"evil\x1b]0;pwned\x07.wav"_s);
    QFile evil(hostile);
    QVERIFY(evil.open(QIODevice::WriteOnly));
    evil.write("not audio");
    evil.close();
    const CliRun escaped = cli({u"analyze"_s, hostile});
    QCOMPARE(escaped.exitCode, 1);
    QVERIFY2(!escaped.err.contains(QChar(0x1b)) && escaped.err.contains(u"\\u{001b}"_s), qPrintable(escaped.err));
}

QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_CliAnalyze.moc"
