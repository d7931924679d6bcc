// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariolocator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace otalab::app {

namespace {

QStringList candidateDirs()
{
    QStringList dirs;
    const QString fromEnv = qEnvironmentVariable("OTALAB_SCENARIO_DIR");
    if (!fromEnv.isEmpty())
        dirs << fromEnv;
    if (QCoreApplication::instance()) {
        const QString exeDir = QCoreApplication::applicationDirPath();
        dirs << exeDir + QStringLiteral("/../share/otalab/scenarios");
        QString up = exeDir;
        for (int level = 0; level <= 4; ++level, up += QStringLiteral("/.."))
            dirs << up + QStringLiteral("/resources/scenarios");
    }
    // __FILE__ is absolute under CMake: <source>/app/gui/scenario/scenariolocator.cpp.
    dirs << QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/../../../resources/scenarios");
    return dirs;
}

} // namespace

QString bundledScenarioDir()
{
    for (const QString& dir : candidateDirs()) {
        const QFileInfo info(dir);
        if (info.isDir() && !QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files).isEmpty())
            return QDir::cleanPath(info.absoluteFilePath());
    }
    return {};
}

QString bundledScenarioPath(const QString& fileName)
{
    for (const QString& dir : candidateDirs()) {
        const QFileInfo info(QDir(dir).filePath(fileName));
        if (info.isFile())
            return QDir::cleanPath(info.absoluteFilePath());
    }
    return {};
}

QStringList bundledScenarios()
{
    const QString dir = bundledScenarioDir();
    if (dir.isEmpty())
        return {};
    QStringList out;
    for (const QString& name : QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        out << QDir(dir).filePath(name);
    return out;
}

} // namespace otalab::app
