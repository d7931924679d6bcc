// SPDX-License-Identifier: Apache-2.0
// Merging a sweep folder and telling people what came out: shared by `sweep` (at the end
// of a local sweep) and `sweep merge` (after cluster tasks).
#pragma once

#include "app/cli/cli.h"
#include "core/common/error.h"
#include "sim/sweep/sweepmerge.h"
#include "sim/sweep/sweepplan.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace otalab::cli {

// "blockSize=64, blockResponseDelayMs=250, seed 1003"
QString sweepRunParams(const sim::SweepPlan& plan, const sim::SweepRunSpec& run);

// "3 of 40 runs: 4, 7-8" style list of indices (ranges collapsed; at most `maxItems`
// items, then "…").
QString indexRanges(const std::vector<int>& indices, int maxItems = 20);

struct SweepMerged {
    sim::SweepTable table;
    std::vector<sim::SweepPointSummary> summary;
    QStringList files;   // sweep.html first, then the tables, then the plots
};

// readSweepTable → summarizeSweep → writeSweepTables → writeSweepPlots.
Result<SweepMerged> mergeSweepFolder(const sim::SweepPlan& plan, const QString& sweepDir, bool withWallTime);

// One line per parameter point (runs, failed, mean % upgraded, p95, end, energy; at most
// 40 points, then a note), the failed runs with their parameters and errors (at most 20),
// the missing runs, then the files written (sweep.html first).
void printSweepMerge(const sim::SweepPlan& plan, const SweepMerged& merged, const QString& sweepDir, QTextStream& out);

} // namespace otalab::cli
