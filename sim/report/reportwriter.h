// SPDX-License-Identifier: Apache-2.0
// writeReport: every report file of a run into one folder.
#pragma once

#include "core/common/error.h"
#include "sim/report/runresult.h"

#include <QString>
#include <QByteArray>
#include <QStringList>

#include <utility>
#include <vector>

namespace otalab::sim {

// Creates `outDir` (and parents) if needed and writes, each atomically (QSaveFile):
//   report.json          reportToJson()         — figures + per-device array
//   devices.csv          devicesCsv()           — one row per device
//   progress.csv         progressCsv()          — fleet samples
//   completion-cdf.svg   completionCdfSvg()
//   progress.svg         progressSvg()
//   energy.svg           energySvg()
//   campaign-timeline.svg campaignTimelineSvg() — only for a fleet with a timeline (2nd: -2.svg …)
//   gateway-airtime.svg  transmitBudgetSvg()    — only for a fleet with budgets (idem)
//   rollout.csv          rolloutCsv()           — only with a rollout policy (RunResult::rollout)
//   rollout-executions.svg rolloutExecutionsSvg() — idem
//   faults.csv           faultsCsv()            — only with faults (RunResult::faults)
//   attacks.csv          attacksCsv()           — only with attacks (RunResult::attacks)
//   report.html          reportHtml()           — self-contained page with every plot
// Returns the absolute paths written, in that order. Existing files of those names are
// replaced; nothing else in outDir is touched. Error field = the file that failed.
Result<QStringList> writeReport(const RunResult& result, const QString& outDir);

// Appends the fleet charts writeReport() writes (file name, SVG bytes): none for a run
// whose fleets have no timeline and no budgets.
void appendFleetCharts(const RunResult& result, std::vector<std::pair<QString, QByteArray>>& files);

} // namespace otalab::sim
