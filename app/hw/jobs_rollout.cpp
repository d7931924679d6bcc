// SPDX-License-Identifier: Apache-2.0
// The job's rollout section → RolloutPolicyConfig (see the header).
#include "app/hw/jobs_rollout.h"

#include "sim/scenario/rolloutreader.h"

namespace otalab::hw::jobs {

Result<sim::rollout::RolloutPolicyConfig> rolloutPolicyFromSection(const QJsonObject& section, const QString& jobId,
                                                                   const QStringList& targets)
{
    // The scenario reader, strict: unknown keys, types and ranges are refused with the JSON
    // path. "targets" names fleets in a scenario; a real job's targets are its things, so a
    // section's own "targets" is dropped. Times (schedulingConfig, phases) are seconds since
    // the job was created.
    QJsonObject json = section;
    json.remove(QStringLiteral("targets"));
    if (!json.contains(QStringLiteral("order")))
        json.insert(QStringLiteral("order"), QStringLiteral("index"));
    json.insert(QStringLiteral("jobId"), jobId);
    auto config = sim::readRolloutPolicy(json, QStringLiteral("rollout"));
    if (!config)
        return fail(config.error());
    config->targets = targets;
    return *config;
}

} // namespace otalab::hw::jobs
