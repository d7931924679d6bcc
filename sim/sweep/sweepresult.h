// SPDX-License-Identifier: Apache-2.0
// SweepRunResult: one run's headline figures; running one index of a plan.
#pragma once

#include "core/common/error.h"
#include "sim/sweep/sweepplan.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <functional>
#include <cstdint>
#include <optional>

namespace otalab::sim {

struct RunResult;

// The headline figures of a run, one column each in the merged table, in this order.
// Times are virtual seconds; energy per device in joules; percentages 0..100.
// Metrics without a value (no device upgraded → no percentile) are nullopt ("" in CSV,
// null in JSON).
enum class SweepMetric : int {
    Devices, Upgraded, Failed, Refused, RolledBack, Unfinished, NotStarted, UpgradedPct,
    P50S, P90S, P95S, MaxS, EndS, EnergyJMean, UpdateEnergyJMean, UpdateEnergyJMax, BatterySharePctMean,
    Events, WallS,
    Count
};
inline constexpr int kSweepMetricCount = int(SweepMetric::Count);
// Column name: "devices", "upgraded", ..., "upgraded_pct", "p50_s", ..., "update_energy_j_mean",
// "battery_share_pct_mean", "events", "wall_s".
QString sweepMetricName(SweepMetric metric);
// Unit for axis labels: "", "%", "s", "J".
QString sweepMetricUnit(SweepMetric metric);
std::optional<SweepMetric> sweepMetricFromName(const QString& name);
// Whether the metric is deterministic for a given (point, seed): everything but WallS.
bool sweepMetricIsDeterministic(SweepMetric metric);

struct SweepRunResult {
    SweepRunSpec run;
    bool ok = false;
    QString error;       // why the run failed (ok == false); the other runs go on
    std::array<std::optional<double>, kSweepMetricCount> metrics{};
    std::uint64_t fingerprint = 0; // RunResult::traceFingerprint (same seed → same value)
    QString stopReason;

    std::optional<double> metric(SweepMetric m) const { return metrics[std::size_t(m)]; }
    QJsonObject toJson(const SweepPlan& plan) const;   // params by axis label and path
    static Result<SweepRunResult> fromJson(const QJsonObject& object, const SweepPlan& plan);
};

// The figures of a finished run (FleetSummary of `result`).
SweepRunResult sweepRunResultOf(const SweepRunSpec& run, const RunResult& result);

// Runs index `index` of the plan in this process (virtual time; single thread) and writes
// DIR/runs/NNNNNN/ (report, then result.json, atomically). A run whose scenario does not
// load or build is written as a failed result (ok=false, error) and returned, not an
// error; the Result fails only when the index is out of range or the folder cannot be
// written. `progress`, if set, is called with the run's virtual-time fraction 0..1 at
// most ~10 times a second (wall), from this thread.
Result<SweepRunResult> runSweepIndex(const SweepPlan& plan, int index, const QString& sweepDir,
                                     const std::function<void(double)>& progress = {});

// Reads DIR/runs/NNNNNN/result.json; nullopt when the run has not finished.
Result<std::optional<SweepRunResult>> readSweepRunResult(const SweepPlan& plan, const QString& sweepDir, int index);

} // namespace otalab::sim
