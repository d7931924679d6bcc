// SPDX-License-Identifier: Apache-2.0
// SweepPlan: a sweep's runs as an indexed list — the base scenario, the varied keys, the seeds.
#pragma once

#include "core/common/error.h"
#include "sim/sweep/sweepaxis.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// One run of a sweep: a point of the parameter grid and a seed.
struct SweepRunSpec {
    int index = 0;              // 0 .. runCount()-1: the Slurm array / Kubernetes completion index
    int pointIndex = 0;         // index of the parameter point (same for every seed of a point)
    QList<QJsonValue> point;    // one value per axis, in axis order
    std::uint64_t seed = 0;
};

// Every run of a sweep, written once to DIR/plan.json and read by every worker (local
// processes, Slurm array tasks, Kubernetes indexed pods), so all agree on what index N is.
//
// Run order (index): the cartesian product of the axes, the first axis varying slowest,
// then the seeds fastest: index = pointIndex * seeds.size() + seedIndex.
// Value type; the plan is immutable once written.
struct SweepPlan {
    static constexpr int kFormatVersion = 1;

    QJsonObject scenario;          // the base scenario document, as read
    QString scenarioPath;          // as given on the command line (for people; not re-read)
    QString baseDir;               // absolute: where the scenario's relative paths (images) resolve
    QList<SweepAxis> axes;         // may be empty (a seeds-only sweep)
    std::vector<std::uint64_t> seeds; // at least one
    std::optional<double> untilS;  // overrides the scenario's stop.until (virtual seconds)

    std::size_t pointCount() const; // product of the axes' sizes (1 without axes)
    std::size_t runCount() const { return pointCount() * seeds.size(); }
    SweepRunSpec run(int index) const;  // precondition: 0 <= index < runCount()
    QList<QJsonValue> point(int pointIndex) const;

    // The scenario document of one run: the base with every axis value set
    // (setScenarioValue) and "seed" set to the run's seed; the error names the key.
    Result<QJsonObject> scenarioFor(const SweepRunSpec& run) const;

    // Hex SHA-256 over the canonical JSON of scenario, axes, seeds and untilS: two plans
    // with the same identity run the same runs. A folder whose plan.json has another
    // identity holds another sweep.
    QString identity() const;

    QJsonObject toJson() const;   // {"format": 1, "identity": ..., "scenario": {...}, ...}
    static Result<SweepPlan> fromJson(const QJsonObject& object); // errors name the field
};

struct SweepLimits {
    std::size_t maxRuns = 10000; // more runs than this are refused unless raised (--max-runs)
};

// Builds and validates a plan before anything runs: the product of runs within
// `limits`, and every parameter point loads as a scenario (loadScenarioConfig with the
// point's values; the error names the point, e.g. "blockSize=64, pollIntervalMs=0: $.client
// .pollIntervalMs: must be > 0"). Seeds are firstSeed, firstSeed+1, ..., firstSeed+seedCount-1.
Result<SweepPlan> buildSweepPlan(QJsonObject scenario, QString scenarioPath, QString baseDir, QList<SweepAxis> axes,
                                 int seedCount, std::uint64_t firstSeed, std::optional<double> untilS,
                                 const SweepLimits& limits = {});

// --- The sweep folder (a shared folder on a cluster: NFS or a volume) ---
//   DIR/plan.json                 the plan (writeSweepPlan)
//   DIR/runs/NNNNNN/result.json   one run's figures (SweepRunResult), NNNNNN = index, 6 digits
//   DIR/runs/NNNNNN/report.*      the run's full report (sim/report/reportwriter.h), so the
//                                 lab can open any run; written before result.json
//   DIR/sweep-runs.csv|json, sweep-summary.csv|json, sweep-*.svg, sweep.html   the merge
//   DIR/slurm/sweep.sbatch, DIR/kubernetes/sweep-job.yaml                     --plan
// A run counts as done when runs/NNNNNN/result.json exists: workers write it atomically
// (a temporary name in the same folder, then rename), so an interrupted run leaves none.
QString sweepRunDir(const QString& sweepDir, int index);   // DIR/runs/NNNNNN
QString sweepPlanPath(const QString& sweepDir);            // DIR/plan.json

// Writes DIR/plan.json (atomically). Refused when DIR already holds a plan with another
// identity ("DIR holds another sweep (plan.json: <scenario>, <axes>); choose another --out
// or delete it"); an identical plan is left as is (a resumed sweep).
Result<void> writeSweepPlan(const SweepPlan& plan, const QString& sweepDir);
Result<SweepPlan> readSweepPlan(const QString& sweepDir);

} // namespace otalab::sim
