#include "platform/KeyStore.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace {

const QString Service = u"musicgen-studio"_s;
const QString Entry = u"segmind-api-key"_s;

} // namespace

QString KeyStore::unavailableMessage()
{
    return tr("No keychain service is running, so the API key is kept in memory until MusicGen Studio quits. "
              "SEGMIND_API_KEY in the environment works too.");
}

// Jobs have no parent: libsecret calls back into a job even after its owner is gone, so a job must outlive
// whoever started it. It deletes itself when finished; the connection's context drops the callback when the
// KeyStore went first.

void KeyStore::load()
{
    auto* job = new QKeychain::ReadPasswordJob(Service);
    job->setKey(Entry);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            emit loaded(job->binaryData().isEmpty() ? job->textData().toUtf8() : job->binaryData());
        else if (job->error() == QKeychain::EntryNotFound)
            emit loaded({});
        else
            emit unavailable(unavailableMessage());
    });
    job->start();
}

void KeyStore::save(const QByteArray& key)
{
    QKeychain::Job* job = nullptr;
    if (key.isEmpty()) {
        auto* remove = new QKeychain::DeletePasswordJob(Service);
        remove->setKey(Entry);
        job = remove;
    } else {
        auto* write = new QKeychain::WritePasswordJob(Service);
        write->setKey(Entry);
        write->setTextData(QString::fromUtf8(key));
        job = write;
    }
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (job->error() == QKeychain::NoError || (key.isEmpty() && job->error() == QKeychain::EntryNotFound))
            emit saved();
        else
            emit unavailable(unavailableMessage());
    });
    job->start();
}
