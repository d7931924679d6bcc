// SPDX-License-Identifier: Apache-2.0
// The faults and attacks of a run counted (RunResult::faults / attacks): the CLI summary
// lines, the report's count tables, the lab's rows.
#pragma once

#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace otalab::sim {

struct FaultKindCount {
    QString kind;          // "powerLoss", "tamperedImage", … (order of first appearance)
    int orders = 0;        // faults: injected orders; attacks: orders
    int happened = 0;      // faults: fired; attacks: reached the device
    int good = 0;          // faults: recovered; attacks: rejected
    int accepted = 0;      // attacks only
};

struct FaultsSummary {
    int injected = 0;      // fault orders (one per device hit, or per node / fleet-wide outage)
    int fired = 0;         // of those, the moment came
    int recovered = 0;     // of those fired, recovered (FaultResult::recovered)
    int attacks = 0;       // attack orders
    int tried = 0;         // reached the device
    int rejected = 0;      // tried and not accepted
    int accepted = 0;      // the findings
    int attackedDevices = 0;   // distinct devices (fleet + target) an attack reached
    std::vector<FaultKindCount> faultKinds;
    std::vector<FaultKindCount> attackKinds;
};

// nullopt when the run had neither faults nor attacks.
std::optional<FaultsSummary> summarizeFaults(const RunResult& result);

// "faults: 20 injected, 20 fired, 20 recovered" and "attacks: 35 tried, 35 rejected,
// accepted: 0" (", 2 never reached the device" when some did not); each line only when
// the run had that section. Empty without either.
QStringList faultsSummaryLines(const RunResult& result);

} // namespace otalab::sim
