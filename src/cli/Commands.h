#pragma once

#include <QStringList>

/// Each sub-command takes the whole argument list (program name and command first) and returns the exit code.
int runGenerate(const QStringList& arguments);
int runCredits(const QStringList& arguments);
int runServe(const QStringList& arguments);
