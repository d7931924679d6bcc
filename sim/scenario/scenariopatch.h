// SPDX-License-Identifier: Apache-2.0
// Scenario patches: set one value of a scenario document by its JSON path, for runs that
// vary a parameter (otalab-cli fuota redundancy; parameter sweeps).
#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <variant>
#include <vector>

namespace otalab::sim {

// One step of a path: an object key or an array index.
using ScenarioPathStep = std::variant<QString, int>;

// The steps of `path` (syntax below), or an error naming the character that is wrong;
// a path must end in a key.
Result<std::vector<ScenarioPathStep>> scenarioPathSteps(const QString& path);

// Sets `value` at `path` inside `root`. Path syntax: "$" then ".key" or "[index]" steps,
// e.g. "$.fleets[0].campaign.redundancyPercent" (the leading "$." may be omitted).
// Missing objects on the way are created (a scenario may leave a whole section at its
// defaults); array elements must already exist. Errors name the step that failed
// ("$.fleets[3]: the array has 1 element") and leave `root` unchanged. This only edits
// the document: whether the key exists in the schema is the loader's to say.
Result<void> setScenarioValue(QJsonObject& root, const QString& path, const QJsonValue& value);

// The value at `path`, or an error naming the missing step.
Result<QJsonValue> scenarioValue(const QJsonObject& root, const QString& path);

} // namespace otalab::sim
