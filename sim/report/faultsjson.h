// SPDX-License-Identifier: Apache-2.0
// report.json's "faults", "attacks" and "faultCounts" members.
#pragma once

#include "sim/report/runresult.h"

#include <QJsonObject>

namespace otalab::sim {

// Inserts, only when the run had faults or attacks:
//   "faults": [{"id", "kind", "fleet", "target", "atS" | null, "detail", "effect", "outcome",
//               "recovered", "notFiredReason"}],
//   "attacks": [{"id", "attack", "fleet", "target", "atS" | null, "accepted", "reason"}],
//   "faultCounts": {"injected", "fired", "recovered", "attacks", "tried", "rejected", "accepted",
//                   "attackedDevices",
//                   "faultKinds": [{"kind", "injected", "fired", "recovered"}],
//                   "attackKinds": [{"attack", "orders", "tried", "rejected", "accepted"}]}
void insertFaultsJson(const RunResult& result, QJsonObject& report);

} // namespace otalab::sim
