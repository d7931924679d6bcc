// SPDX-License-Identifier: Apache-2.0
// Completion-time CDF as a step line, shared by the charts and the compare panel.
#pragma once

#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace otalab::app {

// Step curve of "share of all `total` devices (%) upgraded by time t". x in virtual
// seconds, y in percent (0..100). Starts at (0, 0); each completion adds a vertical
// step; the last point's y is 100 × times.size() / total (the upgraded fraction).
// More than maxSteps completions are sampled at maxSteps evenly spaced ranks (the
// last completion always included), so points() has at most 2 × maxSteps + 1 points.
struct CdfCurve {
    QList<QPointF> points;
    double lastCompletionS = 0;   // 0 when none
    int completions = 0;
    int total = 0;
    double finalPercent() const { return total > 0 ? 100.0 * completions / total : 0.0; }
};

// `times`: completion times in virtual seconds, any order (negative / NaN ignored).
CdfCurve completionCdf(std::vector<double> times, int total, int maxSteps = 1000);

// Nearest-rank percentile (0..100) of sorted `times` (same rule as RunResult::completionPercentile).
double nearestRank(const std::vector<double>& sortedTimes, double percentile);

} // namespace otalab::app
