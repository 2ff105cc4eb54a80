#pragma once

#include <QStringList>

/// Each sub-command takes the whole argument list (program name and command first) and returns the exit code.
int runGenerate(const QStringList& arguments);
int runCredits(const QStringList& arguments);
int runServe(const QStringList& arguments);
int runHistory(const QStringList& arguments);
int runFavourite(const QStringList& arguments);
int runExport(const QStringList& arguments);
int runLoop(const QStringList& arguments);
int runDelete(const QStringList& arguments);
int runRestore(const QStringList& arguments);
int runPlay(const QStringList& arguments);
int runLibrary(const QStringList& arguments);
int runResume(const QStringList& arguments);
int runAnalyze(const QStringList& arguments);
