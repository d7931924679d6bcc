// SPDX-License-Identifier: Apache-2.0
// The charts of a fleet's own figures (FleetFiguresResult): its campaign on a timeline and
// its transmit budgets, as standalone SVG documents. Neutral: no family is named.
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// At most this many lanes in the timeline (the rest are counted in the subtitle) and this
// many budget bars (the busiest; the rest counted in the subtitle).
inline constexpr int kMaxTimelineLanes = 16;
inline constexpr int kMaxBudgetBars = 20;

// A Gantt chart of figures.timeline: one lane per TimelineSpan::lane, bars labelled with
// their span's label (one series per distinct label, one colour each), time axis in
// hours; a dashed marker at the last final outcome (finishS / failedAtS) of the fleet's
// devices in `result`. Empty text when the fleet has no timeline.
QString campaignTimelineSvg(const RunResult& result, const FleetFiguresResult& figures);

// Stacked horizontal bars of figures.budgets: one bar per BudgetBar, one series per part
// name, x in % of the budget (100 % = the whole budget), the total printed after each bar.
// More than kMaxBudgetBars: the busiest (largest total) first, "N more" in the subtitle.
QString transmitBudgetSvg(const FleetFiguresResult& figures);

} // namespace otalab::sim
