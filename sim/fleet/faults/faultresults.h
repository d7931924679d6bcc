// SPDX-License-Identifier: Apache-2.0
// The FaultLog of a finished (or paused) run as RunResult rows: RunResult::faults and
// RunResult::attacks, with FleetRun's "recovered" rule where the family gave no verdict.
#pragma once

#include "sim/fleet/faults/faultconfig.h"
#include "sim/fleet/faults/faultlog.h"
#include "sim/report/runresult.h"

#include <cstddef>
#include <vector>

namespace otalab::sim::faults {

// One fleet as the rows need it: its name and where its DeviceResults start in
// RunResult::devices (Fleet::appendResults appends one per device, in device order).
struct ResultFleet {
    QString name;
    std::size_t firstDevice = 0;
    std::size_t devices = 0;
};

// Appends one FaultResult per log entry and one AttackResult per attack entry, in log
// order, to result.faults / result.attacks (result.devices must already be filled):
//  - id: the spec's id; target: the device's name, the node named by "target", or the
//    family's default ("server", "gateway", "every device" for a fleet-wide outage);
//  - outcome (device faults): faultOutcomeText of the device;
//  - recovered: the family's verdict when it gave one; else, once fired, a device fault
//    by deviceRecovered(), a node fault iff no device of its fleet ends Unfinished;
//    a fault that never fired is not recovered, and says why (the family's reason, or
//    "not reached: the run stopped at T"; mid-run: "not yet: the run is at T").
void appendFaultResults(const FaultLog& log, const FaultsConfig& config, const std::vector<ResultFleet>& fleets, RunResult& result);

} // namespace otalab::sim::faults
