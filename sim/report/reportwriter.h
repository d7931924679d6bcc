// SPDX-License-Identifier: Apache-2.0
// writeReport: every report file of a run into one folder.
#pragma once

#include "core/common/error.h"
#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

namespace otalab::sim {

// Creates `outDir` (and parents) if needed and writes, each atomically (QSaveFile):
//   report.json          reportToJson()         — figures + per-device array
//   devices.csv          devicesCsv()           — one row per device
//   progress.csv         progressCsv()          — fleet samples
//   completion-cdf.svg   completionCdfSvg()
//   progress.svg         progressSvg()
//   energy.svg           energySvg()
//   report.html          reportHtml()           — self-contained page with the three plots
// Returns the absolute paths written, in that order. Existing files of those names are
// replaced; nothing else in outDir is touched. Error field = the file that failed.
Result<QStringList> writeReport(const RunResult& result, const QString& outDir);

} // namespace otalab::sim
