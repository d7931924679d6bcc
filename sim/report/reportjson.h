// SPDX-License-Identifier: Apache-2.0
// report.json: a RunResult and its FleetSummary as one JSON document.
#pragma once

#include "sim/report/runresult.h"

#include <QJsonObject>

namespace otalab::sim {

// {
//   "format": "otalab-report/1",
//   "scenario": str, "seed": int (a decimal string when above 2^53), "fingerprint": "%016x",
//   "stopReason": str, "endTimeS": num, "eventsExecuted": int, "wallSeconds": num,
//   "imageBytes": int, "battery": str,
//   "fleet": {
//     "devices": int,
//     "outcomes": {"upgraded": int, "failed": int, "refused": int, "unfinished": int, "not-started": int},
//     "completionS": {"p50", "p90", "p95", "p99", "max"}   (virtual s; null when none upgraded),
//     "energy": {"totalJ": {"mean","max"}, "updateJ": {...}, "updateMah": {...},
//                "batteryShare": {...}, "batteryVoltageV": num, "batteryCapacityMah": num|null}
//   },
//   "devices": [{"node", "short" ("0x1A2B"), "role", "parent" ("0x0000"|null), "hops", "outcome",
//                "startS"|null, "finishS"|null, "bytes", "blockRequests", "retries", "energyJ",
//                "updateEnergyJ", "batteryShare", "initialVersion" ("0x%08X"), "finalVersion",
//                "failureReason"}]
// }
QJsonObject reportToJson(const RunResult& result);

} // namespace otalab::sim
