// SPDX-License-Identifier: Apache-2.0
// Where the bundled scenarios (resources/scenarios/*.json) are found at run time.
#pragma once

#include <QString>
#include <QStringList>

namespace otalab::app {

// The folder holding the bundled scenarios, first match of:
//  1. $OTALAB_SCENARIO_DIR (for packagers and tests);
//  2. <executable dir>/../share/otalab/scenarios (installed layout);
//  3. resources/scenarios in the executable's folder or up to four levels above it
//     (build trees inside the source tree: build-x/app/gui/otalab → ../../../resources);
//  4. resources/scenarios of the source tree this file was compiled from.
// Empty when none exists. Any thread.
QString bundledScenarioDir();

// Absolute path of bundled scenario `fileName` ("starter.json"), empty when not found.
QString bundledScenarioPath(const QString& fileName = QStringLiteral("starter.json"));

// Absolute paths of all bundled *.json scenarios, sorted by name.
QStringList bundledScenarios();

} // namespace otalab::app
