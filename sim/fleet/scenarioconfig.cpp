// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/scenarioconfig.h"

namespace otalab::sim {

QString FleetConfig::familyId() const
{
    if (std::holds_alternative<SmpFleetConfig>(family))
        return QStringLiteral("smp");
    if (std::holds_alternative<LorawanFleetConfig>(family))
        return QStringLiteral("lorawan");
    if (std::holds_alternative<JobsFleetConfig>(family))
        return QStringLiteral("jobs");
    if (std::holds_alternative<OcfFleetConfig>(family))
        return QStringLiteral("ocf");
    return QStringLiteral("zigbee");
}

ScenarioConfig ScenarioConfig::fromRollout(const RolloutConfig& rollout)
{
    ScenarioConfig s;
    s.name = rollout.name;
    s.seed = rollout.seed;
    s.stop = rollout.stop;
    s.sampleIntervalS = rollout.sampleIntervalS;
    s.fingerprint = rollout.fingerprint;
    s.fleets.push_back(FleetConfig{rollout.name, rollout});
    return s;
}

const RolloutConfig* ScenarioConfig::singleZigbee() const
{
    return fleets.size() == 1 ? std::get_if<RolloutConfig>(&fleets.front().family) : nullptr;
}

RolloutConfig* ScenarioConfig::singleZigbee()
{
    return fleets.size() == 1 ? std::get_if<RolloutConfig>(&fleets.front().family) : nullptr;
}

} // namespace otalab::sim
