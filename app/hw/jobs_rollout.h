// SPDX-License-Identifier: Apache-2.0
// The rollout section a job is created with (the scenario "rollout" JSON section, as
// `jobs create --rollout FILE` / --max-per-minute / --exponential / --abort /
// --timeout-minutes build it) → the RolloutEngine's config for one real job.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/rollout/rolloutconfig.h"

#include <QJsonObject>
#include <QStringList>

namespace otalab::hw::jobs {

// jobId and targets come from the job; "order" defaults to "index" (targets in the order
// given). Read with the scenario reader (sim/scenario/rolloutreader.h) and validated as the
// service does; Error::field names the key
// ("rollout.jobExecutionsRolloutConfig.maximumPerMinute").
Result<sim::rollout::RolloutPolicyConfig> rolloutPolicyFromSection(const QJsonObject& section, const QString& jobId,
                                                                   const QStringList& targets);

} // namespace otalab::hw::jobs
