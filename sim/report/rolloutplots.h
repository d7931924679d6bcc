// SPDX-License-Identifier: Apache-2.0
// The rollout policy's chart: job executions over time (rollout-executions.svg).
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// At most this many group / phase / wave markers carry a label (the rest are drawn unlabelled).
inline constexpr int kMaxLabelledGroupMarkers = 6;

// The chart is two SvgChart panels stacked in one SVG document, 800 × 900 user units:
// - top, "Devices working on the job": the outcomes (in progress, succeeded, failed, timed out,
//   rejected — each state ever non-zero; "succeeded" filled) on their own y scale, so the
//   hundred devices that got a bad build before the abort are not flattened by the thousands
//   that were never notified;
// - bottom, "Notification": "notified so far" (cumulative, filled) on the left axis and the
//   "notification rate" (per minute) on a right axis of its own whose ticks share the left
//   axis' grid lines; queued / removed / canceled as context lines when they fit within 10×
//   of the notified count, otherwise a legend entry names the state and its maximum
//   ("canceled 9883 (off scale)").
// Every series is a step line (a count holds until the next sample). When the job was
// aborted (or paused, hawkBit), a point at abortedAtS carries executionsAtAbort (the counts
// the criterion saw); for a CANCELED job a second point at the same moment moves the queued
// executions to canceled and the rate to 0, so the jump is drawn at the abort, not at the
// next sample. A dot marks each line's value at the abort; a red marker "abort 3.2 min" and a
// grey marker at each group's start cross both panels. A point at t = 0 with every execution
// queued (and the first sample's rate) is prepended when the first sample is later.
// Each panel is a <g class="panel" data-panel="working" | "notification">; series keep
// SvgChart's <g class="series" data-name="…">. Empty text without a rollout.
QString rolloutExecutionsSvg(const RunResult& result);

} // namespace otalab::sim
