// SPDX-License-Identifier: Apache-2.0
// One line per family: where a new family (lorawan, jobs, ocf) plugs in.
#include "sim/fleet/families.h"

#include "sim/jobs/jobsfleet.h"
#include "sim/lorawan/lorawanfleet.h"
#include "sim/ocf/ocffleetbuilder.h"
#include "sim/smp/smpfleet.h"
#include "sim/zigbee/zigbeefleet.h"

namespace otalab::sim {

Result<std::unique_ptr<Fleet>> buildFleet(const FleetConfig& config, const FleetBuildContext& ctx)
{
    Result<std::unique_ptr<Fleet>> fleet = std::visit(
        [&](const auto& family) -> Result<std::unique_ptr<Fleet>> {
            using T = std::decay_t<decltype(family)>;
            if constexpr (std::is_same_v<T, RolloutConfig>)
                return buildZigbeeFleet(family, ctx);
            else if constexpr (std::is_same_v<T, LorawanFleetConfig>)
                return buildLorawanFleet(family, ctx);
            else if constexpr (std::is_same_v<T, JobsFleetConfig>)
                return buildJobsFleet(family, ctx);
            else if constexpr (std::is_same_v<T, OcfFleetConfig>)
                return buildOcfFleet(family, ctx);
            else
                return buildSmpFleet(family, ctx);
        },
        config.family);
    if (fleet)
        (*fleet)->setName(config.name);
    return fleet;
}

} // namespace otalab::sim
