#include "platform/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void makeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

mode_t permissions(const QString& path)
{
    struct stat info;
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? (info.st_mode & 07777) : mode_t(-1);
}

// Sets the umask for one scope.
class UmaskScope
{
public:
    explicit UmaskScope(mode_t mask) : m_old(::umask(mask)) {}
    ~UmaskScope() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

class TestAtomicFile final : public QObject
{
    Q_OBJECT

private slots:
    void writesAndReplaces();
    void noReplaceLeavesAnExistingFile();
    void writeUniqueNumbersNames();
    void missingFolderGivesTheReason();
    void failedWriteLeavesTheOldFile();
    void failedRenameLeavesNoTemporary();
    void readOnlyFolder();
    void newFilesHonourTheUmask();
    void replacedFilesKeepTheirPermissions();
    void aLinkIsFollowedToTheFileItNames();
    void neverReplacesWhatIsNotAFile();
};

void TestAtomicFile::writesAndReplaces()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    AtomicFile::WriteResult result = AtomicFile::write(path, "first", AtomicFile::Mode::Replace);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.path, path);
    QCOMPARE(readFile(path), QByteArray("first"));
    result = AtomicFile::write(path, "second", AtomicFile::Mode::Replace);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(readFile(path), QByteArray("second"));
    result = AtomicFile::write(dir.filePath(u"empty"_s), QByteArray(), AtomicFile::Mode::NoReplace);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(QFileInfo(dir.filePath(u"empty"_s)).size(), 0);
    QCOMPARE(entries(dir.path()), (QStringList{u"empty"_s, u"take.wav"_s}));
}

void TestAtomicFile::noReplaceLeavesAnExistingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"mine.wav"_s);
    makeFile(path, "the user's own file");
    const AtomicFile::WriteResult result = AtomicFile::write(path, "ours", AtomicFile::Mode::NoReplace);
    QVERIFY(!result.ok());
    QVERIFY(result.alreadyExists);
    QVERIFY(result.path.isEmpty());
    QVERIFY2(result.error.contains(u"already exists"_s), qPrintable(result.error));
    QCOMPARE(readFile(path), QByteArray("the user's own file"));
    QCOMPARE(entries(dir.path()), QStringList{u"mine.wav"_s});

    const QString fresh = dir.filePath(u"new.wav"_s);
    const AtomicFile::WriteResult written = AtomicFile::write(fresh, "ours", AtomicFile::Mode::NoReplace);
    QVERIFY2(written.ok(), qPrintable(written.error));
    QVERIFY(!written.alreadyExists);
    QCOMPARE(readFile(fresh), QByteArray("ours"));
}

void TestAtomicFile::writeUniqueNumbersNames()
{
    QTemporaryDir dir;
    makeFile(dir.filePath(u"jazz (3).wav"_s), "mine");
    QStringList names;
    for (int i = 0; i < 4; ++i) {
        const AtomicFile::WriteResult result =
            AtomicFile::writeUnique(dir.path(), u"jazz"_s, u"wav"_s, "ours " + QByteArray::number(i));
        QVERIFY2(result.ok(), qPrintable(result.error));
        names << QFileInfo(result.path).fileName();
    }
    QCOMPARE(names, (QStringList{u"jazz.wav"_s, u"jazz (2).wav"_s, u"jazz (4).wav"_s, u"jazz (5).wav"_s}));
    QCOMPARE(readFile(dir.filePath(u"jazz (3).wav"_s)), QByteArray("mine"));
    QCOMPARE(readFile(dir.filePath(u"jazz (4).wav"_s)), QByteArray("ours 2"));
    QCOMPARE(entries(dir.path()).size(), 5);

    // The same bytes again are the copy already saved (its caller was stopped before noting it): no second copy.
    const AtomicFile::WriteResult again = AtomicFile::writeUnique(dir.path(), u"jazz"_s, u"wav"_s, "ours 2");
    QVERIFY2(again.ok(), qPrintable(again.error));
    QCOMPARE(QFileInfo(again.path).fileName(), u"jazz (4).wav"_s);
    QCOMPARE(entries(dir.path()).size(), 5);

    const AtomicFile::WriteResult failed =
        AtomicFile::writeUnique(dir.filePath(u"missing"_s), u"jazz"_s, u"wav"_s, "ours");
    QVERIFY(!failed.ok());
    QVERIFY(!failed.alreadyExists);
    QVERIFY2(failed.error.contains(u"No such file or directory"_s), qPrintable(failed.error));
}

void TestAtomicFile::missingFolderGivesTheReason()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"no/such/folder/take.wav"_s);
    for (const auto mode : {AtomicFile::Mode::Replace, AtomicFile::Mode::NoReplace}) {
        const AtomicFile::WriteResult result = AtomicFile::write(path, "x", mode);
        QVERIFY(!result.ok());
        QVERIFY(!result.alreadyExists);
        QVERIFY2(result.error.contains(QDir::toNativeSeparators(path)), qPrintable(result.error));
        QVERIFY2(result.error.contains(u"No such file or directory"_s), qPrintable(result.error));
        QVERIFY2(result.error.contains(u"folder exists"_s), qPrintable(result.error)); // what to do about it
    }
    QCOMPARE(entries(dir.path()), QStringList());
}

void TestAtomicFile::failedWriteLeavesTheOldFile()
{
    // A file size limit makes write() fail part-way (EFBIG), as a full disk would, for root too.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    makeFile(path, "old take");
    struct rlimit old;
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
    struct rlimit small = old;
    small.rlim_cur = 4096;
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
    const AtomicFile::WriteResult replace =
        AtomicFile::write(path, QByteArray(1 << 20, 'x'), AtomicFile::Mode::Replace);
    const AtomicFile::WriteResult fresh =
        AtomicFile::write(dir.filePath(u"new.wav"_s), QByteArray(1 << 20, 'x'), AtomicFile::Mode::NoReplace);
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);

    for (const AtomicFile::WriteResult& result : {replace, fresh}) {
        QVERIFY(!result.ok());
        QVERIFY(!result.alreadyExists);
        QVERIFY2(result.error.contains(u"File too large"_s), qPrintable(result.error));
    }
    QCOMPARE(readFile(path), QByteArray("old take"));
    QCOMPARE(entries(dir.path()), QStringList{u"take.wav"_s}); // no temporary file left
}

void TestAtomicFile::failedRenameLeavesNoTemporary()
{
    // Renaming a file onto a folder that holds something fails in the very last step.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    QVERIFY(QDir(dir.path()).mkpath(u"take.wav/inside"_s));
    const AtomicFile::WriteResult result = AtomicFile::write(path, "x", AtomicFile::Mode::Replace);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(u"could not write"_s), qPrintable(result.error));
    QVERIFY(QFileInfo(path + u"/inside"_s).isDir());
    QCOMPARE(entries(dir.path()), QStringList{u"take.wav"_s});
}

void TestAtomicFile::readOnlyFolder()
{
    if (::geteuid() == 0)
        QSKIP("root writes into read-only folders (the file size limit test covers failing writes)");
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.wav"_s);
    makeFile(path, "old take");
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
    const AtomicFile::WriteResult result = AtomicFile::write(path, "new", AtomicFile::Mode::Replace);
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(u"Permission denied"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"folder you can write to"_s), qPrintable(result.error));
    QCOMPARE(readFile(path), QByteArray("old take"));
    QCOMPARE(entries(dir.path()), QStringList{u"take.wav"_s});
}

void TestAtomicFile::newFilesHonourTheUmask()
{
    QTemporaryDir dir;
    {
        const UmaskScope mask(022);
        QVERIFY(AtomicFile::write(dir.filePath(u"a.wav"_s), "x", AtomicFile::Mode::NoReplace).ok());
        QVERIFY(AtomicFile::write(dir.filePath(u"b.wav"_s), "x", AtomicFile::Mode::Replace).ok());
    }
    {
        const UmaskScope mask(077);
        QVERIFY(AtomicFile::writeUnique(dir.path(), u"c"_s, u"wav"_s, "x").ok());
    }
    QCOMPARE(permissions(dir.filePath(u"a.wav"_s)), mode_t(0644));
    QCOMPARE(permissions(dir.filePath(u"b.wav"_s)), mode_t(0644));
    QCOMPARE(permissions(dir.filePath(u"c.wav"_s)), mode_t(0600));
}

void TestAtomicFile::replacedFilesKeepTheirPermissions()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"take.json"_s);
    makeFile(path, "old");
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
    const UmaskScope mask(022);
    QVERIFY(AtomicFile::write(path, "new", AtomicFile::Mode::Replace).ok());
    QCOMPARE(readFile(path), QByteArray("new"));
    QCOMPARE(permissions(path), mode_t(0640));
}

void TestAtomicFile::aLinkIsFollowedToTheFileItNames()
{
    QTemporaryDir dir;
    const QString real = dir.filePath(u"real.wav"_s);
    const QString link = dir.filePath(u"link.wav"_s);
    makeFile(real, "old");
    QVERIFY(QFile::link(real, link));
    QVERIFY(AtomicFile::write(link, "new", AtomicFile::Mode::Replace).ok());
    QCOMPARE(readFile(real), QByteArray("new"));
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(entries(dir.path()), QStringList({u"link.wav"_s, u"real.wav"_s}));
}

void TestAtomicFile::neverReplacesWhatIsNotAFile()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(u"pipe"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString linkToFifo = dir.filePath(u"out.wav"_s);
    QVERIFY(QFile::link(fifo, linkToFifo));
    const QString folder = dir.filePath(u"folder"_s);
    QVERIFY(QDir().mkdir(folder));
    for (const QString& path : {fifo, linkToFifo, folder, QString(u"/dev/null"_s)}) {
        const AtomicFile::WriteResult result = AtomicFile::write(path, "audio", AtomicFile::Mode::Replace);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(u"not a regular file"_s), qPrintable(result.error));
    }
    // Everything is as it was, and no temporary file is left beside them.
    QVERIFY(QFileInfo(linkToFifo).isSymLink());
    QCOMPARE(QFileInfo(linkToFifo).symLinkTarget(), fifo);
    struct stat info;
    QCOMPARE(::stat(QFile::encodeName(fifo).constData(), &info), 0);
    QVERIFY(S_ISFIFO(info.st_mode));
    QVERIFY(QFileInfo(folder).isDir());
    QCOMPARE(entries(dir.path()), QStringList({u"folder"_s, u"out.wav"_s, u"pipe"_s}));
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_AtomicFile.moc"
