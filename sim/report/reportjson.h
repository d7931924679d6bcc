// SPDX-License-Identifier: Apache-2.0
// report.json: a RunResult and its FleetSummary as one JSON document.
#pragma once

#include "sim/report/runresult.h"

#include <QJsonObject>

namespace otalab::sim {

// {
//   "format": "otalab-report/2",
//   "scenario": str, "scenarioFile": str, "description": str,
//   "changedParameters": {"server.blockResponseDelayMs": "100", ...} (differs from the bundled defaults),
//   "families": ["zigbee", "smp"], "seed": int (a decimal string when above 2^53), "fingerprint": "%016x",
//   "stopReason": str, "endTimeS": num, "eventsExecuted": int, "wallSeconds": num,
//   "imageBytes": int, "battery": str,
//   "fleet": {
//     "devices": int,
//     "outcomes": {"upgraded", "failed", "refused", "rolled-back", "unfinished", "not-started": int},
//     "completionS": {"p50", "p90", "p95", "p99", "max"}   (virtual s; null when none upgraded),
//     "energy": {"totalJ": {"mean","max"}, "updateJ": {...}, "updateMah": {...},
//                "batteryShare": {...}, "batteryVoltageV": num, "batteryCapacityMah": num|null}
//   },
//   "devices": [{"node", "name" ("0x1A2B", "board-0017"), "fleet", "family", "role", "parent" (name|null),
//                "hops", "outcome", "startS"|null, "finishS"|null, "failedAtS"|null, "bytes", "requests",
//                "retries", "energyJ", "updateEnergyJ", "batteryShare", "versionBefore", "versionAfter",
//                "attributes": {name: value}, "failureReason",
//                "execution", "executionNumber" (only under a rollout policy, for the devices it targets)}],
//   "fleetFigures": [{"fleet", "family", "rows": {name: value},
//                     "timeline": [{"lane", "label", "startS", "endS"}]   (only when the fleet has one),
//                     "budgets": [{"name", "parts": [{"name", "share" (1 = the whole budget)}]}]   (idem)}],
//   "rollout": {...}   (only with a rollout policy: sim/report/rolloutjson.h)
//   "faults": [...], "attacks": [...], "faultCounts": {...}   (only with faults or attacks: sim/report/faultsjson.h)
// }
QJsonObject reportToJson(const RunResult& result);

} // namespace otalab::sim
