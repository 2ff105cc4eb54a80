#include "TestTakes.h"
#include "platform/FileNames.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using TestTakes::sampleTake;

class TestFileNames final : public QObject
{
    Q_OBJECT

private slots:
    void slug_data();
    void slug();
    void templateFields_data();
    void templateFields();
    void hostilePromptsMakeSafeNames_data();
    void hostilePromptsMakeSafeNames();
    void windowsDeviceNames_data();
    void windowsDeviceNames();
};

void TestFileNames::slug_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"lo-fi music with a soothing melody"_s << u"lo-fi-music-with-a-soothing-melody"_s;
    QTest::newRow("case and punctuation") << u"Epic, ORCHESTRAL!!  (cinematic)"_s << u"epic-orchestral-cinematic"_s;
    QTest::newRow("path traversal") << u"../../x"_s << u"x"_s;
    QTest::newRow("windows reserved") << u"a<b>c:d\"e/f\\g|h?i*j"_s << u"a-b-c-d-e-f-g-h-i-j"_s;
    QTest::newRow("emoji only") << u"🎹🎶"_s << u"take"_s;
    QTest::newRow("empty") << QString() << u"take"_s;
    QTest::newRow("nul and controls") << QString(u"a\u0000b\u0007\nc"_s) << u"a-b-c"_s;
    QTest::newRow("accents kept") << u"Café Crème"_s << u"café-crème"_s;
    QTest::newRow("rtl kept") << u"موسيقى هادئة"_s << u"موسيقى-هادئة"_s;
    QTest::newRow("long") << u"a"_s.repeated(500) << u"a"_s.repeated(60);
    QTest::newRow("cut before a dash") << (u"a"_s.repeated(59) + u" bb"_s) << u"a"_s.repeated(59);
    QTest::newRow("cut between characters") << u"é"_s.repeated(40) << u"é"_s.repeated(30);
}

void TestFileNames::slug()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const QString result = FileNames::slug(text);
    QCOMPARE(result, expected);
    QVERIFY(result.toUtf8().size() <= 60);
    QVERIFY(!result.contains(u'/') && !result.contains(u'\\') && !result.startsWith(u'.'));
}

void TestFileNames::templateFields_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << QString(FileNames::DefaultTemplate) << u"Lo-fi hip hop_42_12s"_s;
    QTest::newRow("every field") << u"{date} {id} {provider} {prompt} {seed} {duration}"_s
                                 << u"2024-03-09 abcd234567 segmind Lo-fi hip hop 42 12"_s;
    QTest::newRow("repeated") << u"{seed}-{seed}"_s << u"42-42"_s;
    QTest::newRow("unknown field kept") << u"{prompt} {mood}"_s << u"Lo-fi hip hop {mood}"_s;
    QTest::newRow("folders are not made") << u"{date}/{prompt}"_s << u"2024-03-09 Lo-fi hip hop"_s;
    QTest::newRow("empty template") << u""_s << u"Lo-fi hip hop_42_12s"_s;
}

void TestFileNames::templateFields()
{
    QFETCH(QString, pattern);
    QFETCH(QString, expected);
    QCOMPARE(FileNames::fromTemplate(pattern, sampleTake()), expected);
}

void TestFileNames::hostilePromptsMakeSafeNames_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("expected"); // empty: only the rules are checked
    QTest::newRow("path traversal") << u"../../x"_s << u"x_42_12s"_s;
    QTest::newRow("absolute path") << u"/etc/passwd"_s << u"etc passwd_42_12s"_s;
    QTest::newRow("backslashes") << u"..\\..\\windows\\system32"_s << u"windows system32_42_12s"_s;
    QTest::newRow("300 characters") << QString(300, u'a') << QString();
    QTest::newRow("2000 characters of words") << u"drum and bass "_s.repeated(143) << QString();
    QTest::newRow("emoji") << u"🎸🔥 rock 🥁"_s << u"🎸🔥 rock 🥁_42_12s"_s;
    QTest::newRow("300 emoji") << u"🎵"_s.repeated(300) << QString();
    QTest::newRow("rtl") << u"موسيقى هادئة"_s << u"موسيقى هادئة_42_12s"_s;
    QTest::newRow("rtl override") << u"evil\u202Egnp.exe"_s << u"evilgnp.exe_42_12s"_s;
    QTest::newRow("quotes") << u"\"quoted\" 'single'"_s << u"'quoted' 'single'_42_12s"_s;
    QTest::newRow("nul") << QString::fromUtf16(u"a\0b", 3) << u"a b_42_12s"_s;
    QTest::newRow("control characters") << u"a\tb\nc\rd\x1b"_s << u"a b c d_42_12s"_s;
    QTest::newRow("windows forbidden") << u"a:b*c?d<e>f|g"_s << u"a b c d e f g_42_12s"_s;
    QTest::newRow("CON") << u"CON"_s << u"CON_42_12s"_s;
    QTest::newRow("trailing dots and spaces") << u"x. . .  "_s << u"x_42_12s"_s;
    QTest::newRow("leading dots") << u"...hidden"_s << u"hidden_42_12s"_s;
    QTest::newRow("leading dash") << u"-rf"_s << u"rf_42_12s"_s;
    QTest::newRow("only punctuation") << u"?!*<>|..."_s << u"take_42_12s"_s;
    QTest::newRow("only dots") << u"..."_s << u"take_42_12s"_s;
    QTest::newRow("empty") << QString() << u"take_42_12s"_s;
    QTest::newRow("decomposed accents") << u"Cafe\u0301"_s << u"Café_42_12s"_s;
    QTest::newRow("lone surrogate") << (u"a"_s + QChar(0xD800) + u"b"_s) << u"ab_42_12s"_s;
    QTest::newRow("zero width no-break space") << u"\uFEFFbom"_s << u"bom_42_12s"_s;
}

void TestFileNames::hostilePromptsMakeSafeNames()
{
    QFETCH(QString, prompt);
    QFETCH(QString, expected);
    const QString name = FileNames::fromTemplate(QString(FileNames::DefaultTemplate), sampleTake(prompt)) + u".flac"_s;
    if (!expected.isEmpty())
        QCOMPARE(name, expected + u".flac"_s);

    QVERIFY(!name.isEmpty());
    QVERIFY(name.toUtf8().size() <= FileNames::MaxBytes + 5);
    QVERIFY2(name.endsWith(u"_42_12s.flac"_s), qPrintable(name)); // the prompt never eats the rest
    QVERIFY(!name.startsWith(u'.'));
    QVERIFY(!name.startsWith(u' '));
    QVERIFY(!name.startsWith(u'-'));
    QCOMPARE(QString::fromUtf8(name.toUtf8()), name); // valid UTF-16: no lone surrogates
    for (const QChar c : name) {
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(name));
        QVERIFY2(!u"/\\:*?\"<>|"_s.contains(c), qPrintable(name));
        QVERIFY(!(c.unicode() >= 0x202A && c.unicode() <= 0x202E));
    }
    const QString stem = name.section(u'.', 0, 0).toUpper();
    QVERIFY(!QStringList({u"CON"_s, u"PRN"_s, u"AUX"_s, u"NUL"_s, u"COM1"_s, u"LPT1"_s}).contains(stem));
    // And the filesystem takes it.
    QTemporaryDir dir;
    QFile file(dir.filePath(name));
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{name});
}

void TestFileNames::windowsDeviceNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("CON") << u"CON"_s << u"CON_"_s;
    QTest::newRow("lower case with extension") << u"con.wav"_s << u"con_.wav"_s;
    QTest::newRow("NUL") << u"nul"_s << u"nul_"_s;
    QTest::newRow("COM1") << u"COM1"_s << u"COM1_"_s;
    QTest::newRow("LPT9") << u"lpt9.flac"_s << u"lpt9_.flac"_s;
    QTest::newRow("not a device") << u"CONSOLE"_s << u"CONSOLE"_s;
    QTest::newRow("COM10 is fine") << u"COM10"_s << u"COM10"_s;
}

void TestFileNames::windowsDeviceNames()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(FileNames::safeName(text), expected);
}

QTEST_GUILESS_MAIN(TestFileNames)
#include "tst_FileNames.moc"
