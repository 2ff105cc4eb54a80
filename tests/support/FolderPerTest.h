#pragma once

#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>

/// A Qt Test object whose every test function runs with a new, empty temporary folder, removed after it, so that
/// no test sees what another left. Derive the test class from it instead of QObject; it owns init() and cleanup().
class FolderPerTest : public QObject
{
    Q_OBJECT

protected:
    /// The current test function's folder.
    QString folderPath() const { return m_dir->path(); }
    /// `name` in the current test function's folder.
    QString filePath(const QString& name) const { return m_dir->filePath(name); }

private slots:
    void init();
    void cleanup();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};
