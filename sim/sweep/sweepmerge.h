// SPDX-License-Identifier: Apache-2.0
// Sweep merge: every run's result into one table, and statistics per parameter point.
#pragma once

#include "core/common/error.h"
#include "sim/sweep/sweepplan.h"
#include "sim/sweep/sweepresult.h"

#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace otalab::sim {

// What the workers have written so far.
struct SweepTable {
    std::vector<SweepRunResult> runs; // finished runs (ok or failed), ascending index
    std::vector<int> missing;         // indices without result.json yet
    int failedRuns() const;
};

// Reads every DIR/runs/*/result.json of the plan. A malformed result.json is an error
// naming the file (it is not silently skipped).
Result<SweepTable> readSweepTable(const SweepPlan& plan, const QString& sweepDir);

// One metric over the seeds of one point (ok runs with a value only).
struct SweepStats {
    int n = 0;
    double mean = 0;
    double p5 = 0, p50 = 0, p95 = 0;     // nearest-rank percentiles
    double ciLow = 0, ciHigh = 0;        // 95 % confidence interval of the mean (Student t, n-1 dof; = mean when n < 2)
    double min = 0, max = 0;
};
SweepStats sweepStatsOf(std::vector<double> values);

struct SweepPointSummary {
    int pointIndex = 0;
    QList<QJsonValue> point;          // one value per axis
    int runs = 0;                     // finished runs of this point
    int failedRuns = 0;
    std::array<std::optional<SweepStats>, kSweepMetricCount> stats{}; // nullopt: no value in any run
};
std::vector<SweepPointSummary> summarizeSweep(const SweepPlan& plan, const SweepTable& table);

// Writes DIR/sweep-runs.csv, sweep-runs.json (one row per run: index, point, seed, every
// axis by label, every metric, fingerprint, ok, error), sweep-summary.csv and
// sweep-summary.json (one row per point: axis values, runs, failed, then per metric
// mean/p5/p50/p95/ci_low/ci_high), each atomically, and returns the paths written.
// Numbers are written with round-trip precision so a merge of the same runs is byte-identical
// wherever it ran, except the wall_s column (wall time is not deterministic); `withWallTime`
// false leaves wall_s out (for comparisons between machines).
Result<QStringList> writeSweepTables(const SweepPlan& plan, const SweepTable& table,
                                     const std::vector<SweepPointSummary>& summary, const QString& sweepDir,
                                     bool withWallTime = true);

} // namespace otalab::sim
