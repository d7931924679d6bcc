// SPDX-License-Identifier: Apache-2.0
// The Compare panel's rows for two runs' rollout policies (RunResult::rollout).
#pragma once

#include "compare/comparecontroller.h"
#include "sim/report/runresult.h"

#include <vector>

namespace otalab::app {

// Appends, when either run had a rollout section: a "rollout policy" heading, the
// policy, the job status, the abort (or pause) moment and the executions per state at
// the end of the run (the states either run ever held). Nothing when neither had one.
void appendRolloutRows(std::vector<CompareRow>& rows, const sim::RunResult& a, const sim::RunResult& b);

} // namespace otalab::app
