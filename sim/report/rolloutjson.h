// SPDX-License-Identifier: Apache-2.0
// report.json's "rollout" object: RunResult::rollout with its derived figures, and back.
#pragma once

#include "core/common/error.h"
#include "sim/report/runresult.h"

#include <QJsonObject>

namespace otalab::sim {

// {
//   "policy": "aws-jobs" | "hawkbit" | "mender", "jobStatus": "COMPLETED" | …,
//   "targets": [fleet names], "targetedDevices": int,
//   "abortedAtS": num | null, "abortReason": str,
//   "executionStates": ["QUEUED", "IN_PROGRESS", …]   (the order of every count array below),
//   "executionsAtAbort": [8 ints], "executionsAtEnd": [8 ints] (from the devices' executions),
//   "byAbort": {"started": int, "failedOrRolledBack": int}   (devices, by abortedAtS; 0 without an abort),
//   "rows": [{"name", "value"}]   (headline figures, display order),
//   "groups": [{"name", "devices", "startS" | null, "endS" | null, "succeeded", "failed", "endReason"}],
//   "samples": [{"timeS", "executions": [8 ints], "notified", "ratePerMinute", "group"}]
// }
// Empty object without a rollout.
QJsonObject rolloutToJson(const RunResult& result);

// The RolloutResult part of rolloutToJson()'s object (derived figures are ignored).
// Errors name the member below `field` ("rollout.samples[3].executions": expected 8 integers).
Result<RolloutResult> rolloutFromJson(const QJsonObject& object, const QString& field = QStringLiteral("rollout"));

} // namespace otalab::sim
