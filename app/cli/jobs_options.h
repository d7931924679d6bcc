// SPDX-License-Identifier: Apache-2.0
// Command-line pieces shared by the `otalab-cli jobs …` commands: the rollout options of
// `jobs create` turned into the scenario "rollout" JSON section (the one
// sim/scenario/rolloutreader reads), and the broker option.
#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace otalab::cli {

struct JobsRolloutOptions {
    std::optional<QJsonObject> file;         // --rollout FILE.json, already read (a whole section)
    std::optional<QString> maxPerMinute;     // --max-per-minute N
    std::optional<QString> exponential;      // --exponential base,factor,succeeded:N|notified:N
    QStringList abort;                       // --abort TYPE:PERCENT:MIN (repeatable)
    std::optional<QString> timeoutMinutes;   // --timeout-minutes N
};

// The "rollout" section the service runs. --rollout is a base the other options add to
// (an option given on the command line replaces the file's value). Without any option:
// {} (every target notified at once). "order" defaults to "index" (targets in the order
// given). Errors name the option and say what was expected.
Result<QJsonObject> rolloutSectionFromOptions(const JobsRolloutOptions& options);

// "--exponential 2,1.5,succeeded:3" → {"baseRatePerMinute":2,"incrementFactor":1.5,
// "rateIncreaseCriteria":{"numberOfSucceededThings":3}}.
Result<QJsonObject> parseExponentialOption(const QString& text);
// "--abort FAILED:5:100" → {"failureType":"FAILED","action":"CANCEL","thresholdPercentage":5,
// "minNumberOfExecutedThings":100}.
Result<QJsonObject> parseAbortOption(const QString& text);

// Checks the section as the service will (same reader, same ranges); errors name the key.
Result<void> checkRolloutSection(const QJsonObject& section);

// The rollout section read from a file: the file is either the section itself or a
// scenario with a "rollout" member.
Result<QJsonObject> readRolloutFile(const QString& path);

} // namespace otalab::cli
