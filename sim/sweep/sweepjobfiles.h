// SPDX-License-Identifier: Apache-2.0
// Cluster job files for a planned sweep: a Slurm array job and a Kubernetes Indexed Job.
#pragma once

#include "core/common/error.h"
#include "sim/sweep/sweepplan.h"

#include <QString>
#include <QStringList>

namespace otalab::sim {

struct SweepJobOptions {
    QString cliPath = QStringLiteral("otalab-cli"); // the command each task runs (on the cluster's PATH by default)
    int maxParallel = 0;        // Slurm %K and Kubernetes parallelism; 0 = no limit (Slurm) / 16 (Kubernetes)
    QString sweepDirOnCluster;  // the sweep folder as the tasks see it (shared folder); default: the local absolute path
    QString image = QStringLiteral("otalab:latest"); // Kubernetes container image holding otalab-cli
    QString volumeClaim = QStringLiteral("otalab-sweeps"); // Kubernetes PVC mounted at sweepDirOnCluster
    int retriesPerIndex = 2;    // Kubernetes backoffLimitPerIndex (needs the JobBackoffLimitPerIndex feature, 1.28+)
    QString slurmPartition;     // empty: the cluster's default
    QString timeLimit = QStringLiteral("01:00:00"); // per task (Slurm --time, Kubernetes activeDeadlineSeconds × runs)
};

// DIR/slurm/sweep.sbatch: `#SBATCH --array=0-(N-1)[%K]`, output per task under DIR/slurm/,
// each task running `otalab-cli sweep-run DIR --index $SLURM_ARRAY_TASK_ID`; submit with
// `sbatch DIR/slurm/sweep.sbatch`, then `otalab-cli sweep merge DIR`.
QString slurmArrayScript(const SweepPlan& plan, const SweepJobOptions& options);

// DIR/kubernetes/sweep-job.yaml: a batch/v1 Job with completionMode: Indexed,
// completions = N, the index from the JOB_COMPLETION_INDEX environment variable, per-index
// retries, the sweep folder from a PersistentVolumeClaim.
QString kubernetesIndexedJob(const SweepPlan& plan, const SweepJobOptions& options);

// Writes both files (atomically) and returns their paths.
Result<QStringList> writeSweepJobFiles(const SweepPlan& plan, const QString& sweepDir, const SweepJobOptions& options);

} // namespace otalab::sim
