// SPDX-License-Identifier: Apache-2.0
// The form's keys of one jobs fleet (resources/scenario.schema.json $defs.jobsFleet;
// sim/scenario/jobsfleetreader.cpp), by the object each part edits.
#pragma once

#include "scenario/jsontextpatch.h"
#include "scenario/scenariofieldspec.h"

#include <QJsonObject>
#include <QList>

namespace otalab::app::scenariofields {

QList<ScenarioFieldSpec> jobsFleet();        // "$.fleets[i]": name
QList<ScenarioFieldSpec> jobsDeviceGroup();  // one devices[] element: count, preset (= link kind), link figures, power saving
QList<ScenarioFieldSpec> jobsImage();        // image.*
QList<ScenarioFieldSpec> jobsAgent();        // agent.*
QList<ScenarioFieldSpec> jobsBroker();       // broker.*
QList<ScenarioFieldSpec> jobsFaults();       // faults.* (badImage share, badSignature share, disconnects)
QJsonObject newJobsDeviceGroup(int index);

// A device group's new "preset" changes its link kind: the edits also remove the link
// settings the reader refuses on that kind ("dtimMs" on cellular; "psm", "edrx",
// "rrcInactivityS" on Wi-Fi). Other edits pass unchanged, in order.
QList<JsonEdit> jobsPresetEdits(QList<JsonEdit> edits);

} // namespace otalab::app::scenariofields
