// SPDX-License-Identifier: Apache-2.0
#include "sim/ocf/ocffleetbuilder.h"

namespace otalab::sim {

Result<std::unique_ptr<Fleet>> buildOcfFleet(const OcfFleetConfig& config, const FleetBuildContext& ctx)
{
    (void)config;
    return fail(Error::at(-1, ctx.field, QStringLiteral("the ocf family is not built yet")));
}

} // namespace otalab::sim
