#include "model/GenerationRequest.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestGenerationRequest final : public QObject
{
    Q_OBJECT

private slots:
    void validation_data();
    void validation();
};

void TestGenerationRequest::validation_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("duration");
    QTest::addColumn<int>("seed");
    QTest::addColumn<QString>("errorMentions"); // empty: the request is valid

    const QString lofi = u"lo-fi music with a soothing melody"_s;
    QTest::newRow("documentation example") << lofi << 10 << 42 << QString();
    QTest::newRow("shortest") << lofi << 1 << 0 << QString();
    QTest::newRow("longest") << lofi << 30 << 9999 << QString();
    QTest::newRow("random seed") << lofi << 10 << -1 << QString();
    QTest::newRow("unicode prompt") << u"Klavier 🎹 مقطوعة حزينة «tranquille»"_s << 10 << 1 << QString();
    QTest::newRow("2000 code points of emoji") << QString(u"🎵"_s).repeated(2000) << 10 << 1 << QString();

    QTest::newRow("empty prompt") << QString() << 10 << 42 << u"prompt"_s;
    QTest::newRow("blank prompt") << u" \t\n "_s << 10 << 42 << u"prompt"_s;
    QTest::newRow("2001 characters") << u"a"_s.repeated(2001) << 10 << 42 << u"2000"_s;
    QTest::newRow("2001 emoji") << u"🎵"_s.repeated(2001) << 10 << 42 << u"2000"_s;
    QTest::newRow("duration 0") << lofi << 0 << 42 << u"duration"_s;
    QTest::newRow("duration 31") << lofi << 31 << 42 << u"duration"_s;
    QTest::newRow("negative duration") << lofi << -5 << 42 << u"duration"_s;
    QTest::newRow("seed -2") << lofi << 10 << -2 << u"seed"_s;
    QTest::newRow("seed 10000") << lofi << 10 << 10000 << u"seed"_s;
}

void TestGenerationRequest::validation()
{
    QFETCH(QString, prompt);
    QFETCH(int, duration);
    QFETCH(int, seed);
    QFETCH(QString, errorMentions);

    const QString error = validationError(GenerationRequest{prompt, duration, seed});
    if (errorMentions.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
    } else {
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(errorMentions, Qt::CaseInsensitive), qPrintable(error));
    }
}

QTEST_GUILESS_MAIN(TestGenerationRequest)
#include "tst_GenerationRequest.moc"
