// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/rollout.h"

namespace otalab::sim {

Rollout::~Rollout() = default;

Result<std::unique_ptr<Rollout>> Rollout::build(const RolloutConfig& config, const QString& baseDir)
{
    auto run = FleetRun::build(ScenarioConfig::fromRollout(config), baseDir);
    if (!run)
        return fail(run.error());
    std::unique_ptr<Rollout> rollout(new Rollout());
    rollout->m_run = std::move(*run);
    rollout->m_fleet = static_cast<ZigbeeFleet*>(rollout->m_run->fleets().front().get());
    return rollout;
}

RolloutSnapshot Rollout::snapshot() const
{
    const FleetRunSnapshot f = m_run->snapshot();
    RolloutSnapshot s;
    s.timeS = f.timeS;
    s.clients = f.devices;
    s.upgraded = f.count(FleetPhase::Upgraded);
    s.downloading = f.count(FleetPhase::Downloading);
    s.failed = f.count(FleetPhase::Failed);
    s.refused = f.count(FleetPhase::Refused);
    s.eventsExecuted = f.eventsExecuted;
    s.finished = f.finished;
    s.stopReason = f.stopReason;
    return s;
}

Result<RunResult> runRollout(const RolloutConfig& config, SimObserver* extraObserver,
                             std::function<void(const FleetSample&)> progress, const QString& baseDir)
{
    return runScenario(ScenarioConfig::fromRollout(config), extraObserver, std::move(progress), baseDir);
}

} // namespace otalab::sim
