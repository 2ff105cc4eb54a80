#pragma once

#include <QObject>

/// The Segmind API key in the system keychain (QtKeychain: Secret Service or KWallet), never in a file: there is
/// no insecure fallback. Every call is asynchronous, so the window never waits for a keychain.
class KeyStore final : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Reads the stored key: `loaded` follows (with an empty key when none is stored), or `unavailable`.
    void load();
    /// Stores `key`, or removes the stored key when it is empty: `saved` or `unavailable` follows.
    void save(const QByteArray& key);

    /// Where no keychain service runs: what the app does instead, in a musician's words.
    static QString unavailableMessage();

signals:
    void loaded(const QByteArray& key);
    void saved();
    void unavailable(const QString& message);
};
