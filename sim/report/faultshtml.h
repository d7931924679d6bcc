// SPDX-License-Identifier: Apache-2.0
// report.html's "Faults and attacks" section.
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// "<h2>Faults and attacks</h2>" then: the attacks' headline — the accepted attacks in red
// (id, attack, fleet, device, at, how it got in) when any, else one green line "attacks:
// N tried on M devices — accepted: 0"; the count per kind (faults: injected, fired,
// recovered; attacks: tried, rejected, accepted); one row per fault (id, kind, target,
// at, detail, effect, outcome, recovered ✓/✗, or why it never fired) and one per attack
// (id, attack, target, at, result, reason), each list cut at kMaxListedFaults (the rest
// are in faults.csv / attacks.csv). Empty without faults and attacks, so a report
// without them is unchanged.
inline constexpr int kMaxListedFaults = 500;
QString faultsHtml(const RunResult& result);

} // namespace otalab::sim
