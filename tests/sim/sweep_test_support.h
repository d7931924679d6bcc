// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the sweep tests: the bundled starter scenario as a document.
#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace otalab::sim::sweeptest {

inline QString scenariosDir() { return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"); }

inline QJsonObject scenarioDocument(const QString& name)
{
    QFile file(scenariosDir() + QLatin1Char('/') + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline QJsonObject starter() { return scenarioDocument(QStringLiteral("starter.json")); }

} // namespace otalab::sim::sweeptest
