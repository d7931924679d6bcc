// SPDX-License-Identifier: Apache-2.0
// planFaults: the scenario's FaultSpecs / AttackSpecs resolved onto the built fleets as
// FaultOrders / AttackOrders (faultlog.h), checked against what each family supports.
// faultOutcome / faultRecovered: FleetRun's rule for a FaultResult when the family gives
// no verdict of its own.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/faults/faultlog.h"
#include "sim/fleet/fleet.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace otalab::sim::faults {

// What the planner needs of one fleet (FleetRun fills it from Fleet; tests and the fuzzer
// write it by hand).
struct PlannerFleet {
    QString name;                         // Fleet::name()
    QString family;                       // Fleet::family()
    std::size_t devices = 0;              // Fleet::deviceCount()
    QStringList nodeNames;                // names of Fleet::nodes() (a node fault's "target" must be one)
    Fleet::FaultSupport support;          // Fleet::faultSupport()
};

// The orders of one fleet (index = the fleet's index in the scenario).
struct FleetFaultOrders {
    std::vector<FaultOrder> faults;
    std::vector<AttackOrder> attacks;
};

// Kinds that hit devices (a selection, a condition); the others hit a node ("target").
bool isDeviceFault(FaultKind kind);
// forS when the scenario gives none: powerLoss 10 s, serverCrash 30 s, outages 600 s (0 for the others).
double defaultFaultDurationS(FaultKind kind);

// Resolves every spec, in scenario order, and adds one FaultLog entry per order (its id
// is the entry's; the entry's fleet is the fleet's name):
//  - fleet: the spec's, or the scenario's only fleet; an unknown name lists the fleets.
//  - devices: "devices" as given (each < the fleet's size), "count" / "share" drawn
//    without replacement (share: round(share × n), at least 1) from
//    RandomStream(seed, 0, 'FLTS' + spec index) (attacks: 'ATKS' + index), so adding a
//    spec never changes another's draws; none: every device. One order per device, in
//    device order — except a linkOutage with no selection: one order for the whole fleet
//    (device nullopt). Node faults: one order (device nullopt, target as given).
//  - moment: atS as given; betweenS drawn per order (uniform in [a, b], same stream,
//    after the device draw); atFlashWrite / atProgress passed on (atS nullopt); none:
//    atS 0 (the start), except badImage (nullopt: the family arms it) and attacks
//    (nullopt: when the campaign first offers the image).
//  - forS: the kind's default when 0.
// Each is checked against the fleet's FaultSupport: an unsupported kind, condition or
// attack is an Error naming the spec ("$.faults[2].kind"), its id, the family and what it
// can do. The log is written only when the whole plan succeeds.
Result<std::vector<FleetFaultOrders>> planFaults(const FaultsConfig& config, const std::vector<PlannerFleet>& fleets,
                                                 std::uint64_t seed, FaultLog& log);

// A device's end in words for FaultResult::outcome: "upgraded 2.0.0",
// "failed: <reason> (runs 1.0.0)", "rolled back: <reason> (runs 1.0.0)", "unfinished (runs 1.0.0)".
QString faultOutcomeText(const DeviceResult& device);
// A device still runs a valid old image: Failed / Refused / RolledBack / NotStarted with
// versionAfter equal to versionBefore (or not reported).
bool runsOldImage(const DeviceResult& device);
// FleetRun's rule for a device fault without a family verdict: recovered iff the device
// ends Upgraded or runsOldImage(); never when Unfinished (off, bricked or still going).
bool deviceRecovered(const DeviceResult& device);

} // namespace otalab::sim::faults
