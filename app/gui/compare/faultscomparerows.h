// SPDX-License-Identifier: Apache-2.0
// The Compare panel's rows for two runs' faults and attacks (RunResult::faults / attacks).
#pragma once

#include "compare/comparecontroller.h"
#include "sim/report/runresult.h"

#include <vector>

namespace otalab::app {

// Appends, when either run had faults or attacks: a "faults and attacks" heading, faults
// injected / fired / recovered, attacks tried / rejected and accepted (highlighted
// whenever a run has an accepted attack, whatever the other). Nothing when neither had any.
void appendFaultsRows(std::vector<CompareRow>& rows, const sim::RunResult& a, const sim::RunResult& b);

} // namespace otalab::app
