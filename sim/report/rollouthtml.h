// SPDX-License-Identifier: Apache-2.0
// report.html's "Rollout" section.
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// "<h2>Rollout</h2>" and its cards: policy, job status, targets, the abort moment and
// reason, executions per state at the abort and at the end, "by the abort, N devices had
// started, M had failed or rolled back", the engine's headline rows; the executions chart
// inline (rolloutExecutionsSvg); the groups table (name, devices, start, end, succeeded,
// failed, end reason) when there are groups. Empty without a rollout, so a report
// without one is unchanged.
QString rolloutHtml(const RunResult& result);

} // namespace otalab::sim
