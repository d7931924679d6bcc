// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/rollout/rolloutengine.h"

#include "sim/fleet/rollout/jobrollout.h"

namespace otalab::sim::rollout {

Result<std::unique_ptr<RolloutEngine>> RolloutEngine::create(const RolloutPolicyConfig& config, std::uint32_t devices,
                                                             std::uint64_t seed)
{
    if (auto valid = config.validate(); !valid)
        return fail(valid.error());
    if (devices >= 0x8000'0000u)
        return fail(Error{QStringLiteral("%1 devices; expected fewer than 2^31").arg(devices), QStringLiteral("rollout"), -1});
    return std::unique_ptr<RolloutEngine>(std::make_unique<JobRollout>(config, devices, seed));
}

} // namespace otalab::sim::rollout
