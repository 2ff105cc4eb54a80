#include "platform/FileNames.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestFileNames final : public QObject
{
    Q_OBJECT

private slots:
    void slug_data();
    void slug();
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

QTEST_GUILESS_MAIN(TestFileNames)
#include "tst_FileNames.moc"
