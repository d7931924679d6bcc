// SPDX-License-Identifier: Apache-2.0
// The scenario's "rollout" section (top level, beside "fleets"): reader and writer of a
// RolloutPolicyConfig (sim/fleet/rollout/rolloutconfig.h).
#pragma once

#include "core/common/error.h"
#include "sim/fleet/rollout/rolloutconfig.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace otalab::sim {

// Reads one "rollout" object. Keys (AWS-style camelCase, times in virtual seconds):
//   policy ("aws-jobs" | "hawkbit" | "mender"), jobId, targets [fleet names or "fleet/group"],
//   order ("random" | "index"),
//   jobExecutionsRolloutConfig {maximumPerMinute, exponentialRate {baseRatePerMinute,
//     incrementFactor, rateIncreaseCriteria {numberOfNotifiedThings | numberOfSucceededThings}}},
//   abortConfig {criteriaList [{failureType, action, thresholdPercentage, minNumberOfExecutedThings}]},
//   timeoutConfig {inProgressTimeoutInMinutes},
//   jobExecutionsRetryConfig {criteriaList [{failureType, numberOfRetries}]},
//   schedulingConfig {startS, endS, endBehavior, maintenanceWindows [{startS, durationS, periodS}]},
//   groups [{name, targetPercentage, successThreshold, errorThreshold}]  (hawkbit),
//   phases [{batchPercentage, startS}], maxDevices                      (mender).
// Keys AWS requires are required here too (exponentialRate's three, an abort criterion's
// failureType / thresholdPercentage / minNumberOfExecutedThings, a retry criterion's two);
// "action" defaults to "CANCEL". Strict: an unknown key (the error lists the known ones),
// a wrong type or a missing required key is an error whose field is the JSON path
// ("$.rollout.abortConfig.criteriaList[0].thresholdPercentage"); ranges are then checked
// by RolloutPolicyConfig::validate with `path` as its prefix, so its errors are JSON paths too.
Result<rollout::RolloutPolicyConfig> readRolloutPolicy(const QJsonObject& json, const QString& path = QStringLiteral("$.rollout"));

// The scenario loader's entry: `value` is the top-level "rollout" value (undefined when the
// key is absent → nullopt). Besides readRolloutPolicy, every target's fleet part (before
// a '/') must name one of `fleetNames` ("$.rollout.targets[1]"); an empty list skips
// that check (a one-fleet file without "name": its fleet is named after the file later).
Result<std::optional<rollout::RolloutPolicyConfig>> readScenarioRollout(const QJsonValue& value, const QStringList& fleetNames);

// Back to JSON: every key of the config written (optional ones when set, policy-specific
// ones with their policy), so readRolloutPolicy(rolloutPolicyToJson(c)) == c.
QJsonObject rolloutPolicyToJson(const rollout::RolloutPolicyConfig& config);

} // namespace otalab::sim
