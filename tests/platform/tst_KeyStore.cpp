#include "generation/Session.h"
#include "library/LibraryService.h"
#include "net/NetworkGateway.h"
#include "platform/KeyStore.h"
#include "platform/Settings.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// The key in the system keychain. Run plainly, no keychain service is reachable and the store says so; run
/// under tests/support/with-keyring (MUSICGEN_TEST_KEYCHAIN=1), a real Secret Service keeps the key.
class TestKeyStore final : public QObject
{
    Q_OBJECT

private slots:
    void withoutAKeychainItSaysSo();
    void theKeychainKeepsTheKey();

private:
    static bool haveKeychain() { return qEnvironmentVariableIntValue("MUSICGEN_TEST_KEYCHAIN") == 1; }
};

void TestKeyStore::withoutAKeychainItSaysSo()
{
    if (haveKeychain())
        QSKIP("a keychain is running in this session");
    KeyStore store;
    QSignalSpy unavailable(&store, &KeyStore::unavailable);
    QSignalSpy loaded(&store, &KeyStore::loaded);
    store.load();
    QVERIFY(unavailable.wait(10000));
    QCOMPARE(loaded.size(), 0);
    QVERIFY(unavailable.constFirst().constFirst().toString().contains(u"kept in memory"_s));
    store.save("sk-should-go-nowhere");
    QVERIFY(unavailable.wait(10000)); // and no insecure fallback file was written instead
}

void TestKeyStore::theKeychainKeepsTheKey()
{
    if (!haveKeychain())
        QSKIP("no keychain in this session; the suite runs this under tests/support/with-keyring");
    const QByteArray key = "sg-test-key-4242";
    KeyStore store;
    QSignalSpy saved(&store, &KeyStore::saved);
    QSignalSpy loaded(&store, &KeyStore::loaded);
    QSignalSpy unavailable(&store, &KeyStore::unavailable);
    store.save(key);
    QVERIFY(saved.wait(10000));
    QCOMPARE(unavailable.size(), 0);
    store.load();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.constLast().constFirst().toByteArray(), key);

    // The session picks the stored key up by itself when the environment has none.
    qunsetenv("SEGMIND_API_KEY");
    QTemporaryDir home;
    Settings settings(home.filePath(u"settings.ini"_s));
    LibraryService library(home.filePath(u"data"_s), {});
    QVERIFY(library.open().ok);
    NetworkGateway gateway;
    Session session(&settings, &library, &gateway, &store);
    QTRY_COMPARE_WITH_TIMEOUT(session.apiKey(), key, 10000);
    QVERIFY(session.keychainMessage().isEmpty());

    store.save({}); // removes it
    QVERIFY(saved.wait(10000));
    store.load();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.constLast().constFirst().toByteArray(), QByteArray());
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_KeyStore.moc"
