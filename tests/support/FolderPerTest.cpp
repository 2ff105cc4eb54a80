#include "FolderPerTest.h"

#include <QTest>

void FolderPerTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY2(m_dir->isValid(), qPrintable(m_dir->errorString()));
}

void FolderPerTest::cleanup()
{
    m_dir.reset();
}
