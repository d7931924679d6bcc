// SPDX-License-Identifier: Apache-2.0
// The rollout policy's chart: job executions per state over time (rollout-executions.svg).
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// At most this many group / phase / wave markers carry a label (the rest are drawn unlabelled).
inline constexpr int kMaxLabelledGroupMarkers = 6;

// One line per ExecutionState that is ever non-zero in RunResult::rollout->samples (series
// named by executionStateWords: "queued", "in progress", …; "succeeded" filled); the
// notification rate as a step line ("notification rate") on the same axis, scaled by a
// power of ten when its range differs from the devices' by more than 10× (the y title then
// says how to read it: "rate per min = axis ÷ 100"); a red marker "abort 12.5 min" at
// abortedAtS, with the reason in the subtitle; a grey marker at each group's start. A point
// at t = 0 with every execution queued (and the first sample's rate) is prepended when the
// first sample is later.
// Empty text without a rollout.
QString rolloutExecutionsSvg(const RunResult& result);

} // namespace otalab::sim
