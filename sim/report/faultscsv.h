// SPDX-License-Identifier: Apache-2.0
// faults.csv and attacks.csv: one row per fault order / attack order of a run.
#pragma once

#include "sim/report/runresult.h"

#include <QByteArray>

namespace otalab::sim {

// UTF-8, LF line endings, header first; empty (no bytes) without faults. Columns:
//   id, kind, fleet, target, at_s (empty: never fired), detail, effect, outcome,
//   recovered (1/0), not_fired_reason.
QByteArray faultsCsv(const RunResult& result);

// Empty without attacks. Columns: id, attack, fleet, target, at_s (empty: never reached
// the device), accepted (1/0), reason.
QByteArray attacksCsv(const RunResult& result);

} // namespace otalab::sim
