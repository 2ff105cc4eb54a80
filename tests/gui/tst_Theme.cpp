#include "TestPalettes.h"

#include "gui/Theme.h"

#include <QLabel>
#include <QTest>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

using TestPalettes::contrast;
using TestPalettes::palette;

} // namespace

/// Error text and icons in the palette's terms.
class TestTheme final : public QObject
{
    Q_OBJECT

private slots:
    void errorsAreRedAndReadable_data();
    void errorsAreRedAndReadable();
    void errorTextComesAndGoes();
    void iconsFallBackOnTheAppsDrawings();
};

void TestTheme::errorsAreRedAndReadable_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("red");
    QTest::newRow("light") << TestPalettes::light() << true;
    QTest::newRow("dark") << TestPalettes::dark() << true;
    QTest::newRow("white on black") << palette(Qt::black, Qt::white, Qt::black) << true;
    QTest::newRow("black on white") << palette(Qt::white, Qt::black, Qt::white) << true;
    // Where hardly any red reads, readable wins over red.
    QTest::newRow("mid grey") << palette(QColor(0x80, 0x80, 0x80), Qt::black, QColor(0x90, 0x90, 0x90)) << false;
}

void TestTheme::errorsAreRedAndReadable()
{
    QFETCH(QPalette, palette);
    QFETCH(bool, red);
    const QColor error = Theme::errorColor(palette);
    QVERIFY2(error != QColor(Qt::magenta), qPrintable(error.name()));
    QVERIFY2(contrast(error, palette.color(QPalette::Window)) >= 4.5, qPrintable(error.name()));
    QVERIFY2(contrast(error, palette.color(QPalette::Base)) >= 4.5, qPrintable(error.name()));
    if (red)
        QVERIFY2(error.red() > error.green() + 40 && error.red() > error.blue() + 40, qPrintable(error.name()));
}

void TestTheme::errorTextComesAndGoes()
{
    QWidget parent;
    parent.setPalette(TestPalettes::light());
    auto* label = new QLabel(u"The history could not be read"_s, &parent);
    Theme::setErrorText(label, true);
    QCOMPARE(label->palette().color(QPalette::WindowText), Theme::errorColor(parent.palette()));
    Theme::setErrorText(label, true); // twice is once
    QCOMPARE(label->findChildren<QObject*>(QString(), Qt::FindDirectChildrenOnly).size(), 1);
    Theme::setErrorText(label, false);
    QCOMPARE(label->palette().color(QPalette::WindowText), QColor(Qt::black));
    const QPalette dark = TestPalettes::dark();
    parent.setPalette(dark); // no longer an error: follows the palette like any text
    QCOMPARE(label->palette().color(QPalette::WindowText), QColor(0xEE, 0xEE, 0xEE));
}

void TestTheme::iconsFallBackOnTheAppsDrawings()
{
    const QPalette light = TestPalettes::light();
    for (const QString& name :
         {u"media-playback-start"_s, u"media-playback-pause"_s, u"media-playback-stop"_s, u"media-playlist-repeat"_s}) {
        QVERIFY2(QFile::exists(u":/icons/%1.svg"_s.arg(name)), qPrintable(name));
        const QIcon icon = Theme::icon(name, light);
        QVERIFY2(!icon.isNull(), qPrintable(name));
        const QImage image = icon.pixmap(QSize(24, 24)).toImage();
        int ink = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                ink += image.pixelColor(x, y).alpha() > 128;
        }
        // A shape, not a blank and not a filled square.
        QVERIFY2(ink > image.width() * image.height() / 10 && ink < image.width() * image.height() * 9 / 10,
                 qPrintable(u"%1: %2 pixels of ink"_s.arg(name).arg(ink)));
    }
    QVERIFY(QFile::exists(u":/icons/io.github.musicgen_studio.MusicGenStudio.png"_s)); // the window's icon
}

QTEST_MAIN(TestTheme)
#include "tst_Theme.moc"
