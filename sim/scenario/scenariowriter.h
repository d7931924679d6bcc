// SPDX-License-Identifier: Apache-2.0
// scenarioToJson: a RolloutConfig back into the scenario format (for editors and "save as").
#pragma once

#include "sim/zigbee/rolloutconfig.h"

#include <QJsonObject>

namespace otalab::sim {

// Every key written explicitly (defaults included), so the file documents the whole
// run; loadScenario(scenarioToJson(c)) gives back `c` (image paths stay as stored, i.e.
// absolute after loading). Short addresses, codes and versions as "0x…" strings; a seed
// above 2^53 as a decimal string.
QJsonObject scenarioToJson(const RolloutConfig& config);

} // namespace otalab::sim
