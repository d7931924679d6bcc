// SPDX-License-Identifier: Apache-2.0
// The list of OTA families: the one place that knows every family's builder.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/fleet.h"
#include "sim/fleet/scenarioconfig.h"

#include <memory>

namespace otalab::sim {

class Simulator;

// What a family builder gets. Nodes it creates are numbered from firstNode on (so
// NodeIds stay unique across fleets and a fleet's random streams do not depend on
// the fleets after it). Errors name the field below `field` ("$.fleets[1].boards.count").
struct FleetBuildContext {
    Simulator& sim;
    NodeId firstNode = 0;
    FleetListener* listener = nullptr;
    QString baseDir;                 // relative image paths resolve against it
    QString field;                   // config path of this fleet, for errors
    std::uint64_t seed = 1;          // the scenario's master seed
    QString jobId;                   // the rollout's jobId when the scenario has one (a family that
                                     // names its job on the wire uses it), else empty
};

// Builds the fleet of `config`'s family on ctx.sim; runs nothing (Fleet::start() does).
Result<std::unique_ptr<Fleet>> buildFleet(const FleetConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
