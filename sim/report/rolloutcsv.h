// SPDX-License-Identifier: Apache-2.0
// rollout.csv: the rollout policy's samples, one row per sample.
#pragma once

#include "sim/report/runresult.h"

#include <QByteArray>

namespace otalab::sim {

// UTF-8, LF line endings, header first. Columns: time_s, then one per ExecutionState in
// its order (queued, in_progress, succeeded, failed, timed_out, rejected, removed,
// canceled: devices), notified (cumulative), rate_per_minute, group. Empty (no bytes)
// without a rollout.
QByteArray rolloutCsv(const RunResult& result);

} // namespace otalab::sim
