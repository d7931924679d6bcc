// SPDX-License-Identifier: Apache-2.0
// report.json back into a RunResult: a run written to disk (a sweep's runs/NNNNNN/) opened again.
#pragma once

#include "core/common/error.h"
#include "sim/report/runresult.h"

#include <QJsonObject>
#include <QString>

namespace otalab::sim {

// The RunResult of reportToJson()'s document (sim/report/reportjson.h): the run's header
// (scenario, seed, fingerprint, stop reason, times, battery), every device, the fleet
// figures, the rollout (rolloutFromJson) and the faults and attacks. Not in report.json,
// so left empty: the progress samples (progress.csv), modelFingerprint; attribute and
// fleet-figure rows come back in key order (JSON objects keep no order).
// Errors name the member ("devices[3].outcome: expected one of upgraded, failed, …").
Result<RunResult> runResultFromReportJson(const QJsonObject& report);
// Reads and parses the file (`path`: report.json, or the folder holding it).
Result<RunResult> readReportJson(const QString& path);

} // namespace otalab::sim
