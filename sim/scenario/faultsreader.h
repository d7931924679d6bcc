// SPDX-License-Identifier: Apache-2.0
// The scenario's top-level "faults" and "attacks" sections (beside "fleets"): reader and
// writer of a faults::FaultsConfig (sim/fleet/faults/faultconfig.h; schema $defs.fault,
// $defs.attack; syntax and examples in sim/fleet/faults/README.md).
#pragma once

#include "core/common/error.h"
#include "sim/fleet/faults/faultconfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace otalab::sim {

// Reads the two top-level values (QJsonValue::Undefined when a key is absent: nothing).
//   "faults":  [{id, kind, fleet, devices | count | share, target,
//                atS | betweenS | atFlashWrite | atProgress, forS, jumpS, variant}]
//   "attacks": [{id, attack, fleet, devices | count | share, atS | betweenS}]
// Checked here (Error::field is the JSON path, "$.faults[2].betweenS"): types, unknown
// keys (listing the known ones), unknown kinds / attacks / variants (listing the valid
// ones), at most one device selection and one "when" form, ranges (share in (0, 1],
// count ≥ 1, devices unique and ≥ 0, atS / betweenS ≥ 0 with a ≤ b, atFlashWrite ≥ 1,
// atProgress in (0, 1), forS ≥ 0), a device selection or a condition (atFlashWrite /
// atProgress) only on a device fault (powerLoss, linkOutage, clockJump, badImage), target
// only on a node fault (serverCrash, gatewayOutage), jumpS (≠ 0, required) only on
// clockJump, variant only on badImage, no forS on clockJump / badImage, no moment on
// badImage, ids unique. Checked later, when the fleets exist (faultplanner.h): the fleet
// name, device indices and counts against the fleet's size, what the family supports.
// Absent ids become "faults[i]" / "attacks[i]".
Result<faults::FaultsConfig> readScenarioFaults(const QJsonValue& faults, const QJsonValue& attacks);

// Back to JSON: only the keys a spec sets (kind, fleet and id always), so
// readScenarioFaults(faultsToJson(c), attacksToJson(c)) == c.
QJsonArray faultsToJson(const faults::FaultsConfig& config);
QJsonArray attacksToJson(const faults::FaultsConfig& config);
// Inserts "faults" / "attacks" into a scenario's top-level object when non-empty.
void insertScenarioFaults(const faults::FaultsConfig& config, QJsonObject& top);

} // namespace otalab::sim
