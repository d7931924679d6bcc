// SPDX-License-Identifier: Apache-2.0
// The ocf family's builder (called from sim/fleet/families.cpp).
#pragma once

#include "core/common/error.h"
#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "sim/ocf/ocffleetconfig.h"

#include <memory>

namespace otalab::sim {

// Builds an OcfFleet (sim/ocf/ocffleet.h) on ctx.sim; runs nothing. Errors name the field
// below ctx.field ("fleets[0].image.version").
Result<std::unique_ptr<Fleet>> buildOcfFleet(const OcfFleetConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
