// SPDX-License-Identifier: Apache-2.0
// The form's keys of the scenario's top-level "rollout" section (resources/scenario.schema.json
// $defs.rollout; sim/scenario/rolloutreader.h), by the object each part edits.
#pragma once

#include "scenario/scenariofieldspec.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace otalab::app::scenariofields {

QList<ScenarioFieldSpec> rolloutJob();          // "$.rollout": policy, jobId, order, maxDevices (mender), timeoutConfig.*
QList<ScenarioFieldSpec> rolloutRate();         // "$.rollout.jobExecutionsRolloutConfig": maximumPerMinute
QList<ScenarioFieldSpec> rolloutExponential();  // "...jobExecutionsRolloutConfig.exponentialRate"
QList<ScenarioFieldSpec> rolloutAbortCriterion();   // one abortConfig.criteriaList[] element
QList<ScenarioFieldSpec> rolloutRetryCriterion();   // one jobExecutionsRetryConfig.criteriaList[] element
QList<ScenarioFieldSpec> rolloutScheduling();       // "$.rollout.schedulingConfig" but its windows
QList<ScenarioFieldSpec> rolloutMaintenanceWindow(); // one schedulingConfig.maintenanceWindows[] element
QList<ScenarioFieldSpec> rolloutHawkbitGroup();     // one groups[] element (policy hawkbit)
QList<ScenarioFieldSpec> rolloutMenderPhase();      // one phases[] element (policy mender)

// New elements the list editors add (every key the reader requires, with AWS-like values).
QJsonObject newAbortCriterion();
QJsonObject newRetryCriterion();
QJsonObject newMaintenanceWindow();
QJsonObject newHawkbitGroup(int index);
QJsonObject newMenderPhase(int index);
// What "Exponential rate" on writes: {baseRatePerMinute, incrementFactor, rateIncreaseCriteria}.
QJsonObject newExponentialRate();
// A fresh "rollout" section (Add rollout policy).
QJsonObject newRollout();

// The top-level keys of "rollout" only `policy` accepts (the reader refuses them with
// another policy, even empty): "abortConfig", "jobExecutionsRetryConfig", "groups",
// "phases", "maxDevices", and the rate config (aws-jobs only in the form).
bool rolloutKeyAllowed(const QString& key, const QString& policy);
QStringList rolloutPolicySpecificKeys();

} // namespace otalab::app::scenariofields
