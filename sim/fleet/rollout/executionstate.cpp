// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/rollout/executionstate.h"

#include <array>

namespace otalab::sim::rollout {

namespace {
constexpr std::array<const char*, kExecutionStateCount> kNames = {
    "QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"};
constexpr std::array<const char*, kExecutionStateCount> kWords = {
    "queued", "in progress", "succeeded", "failed", "timed out", "rejected", "removed", "canceled"};
} // namespace

QString executionStateName(ExecutionState state)
{
    return QString::fromLatin1(kNames[static_cast<std::size_t>(state)]);
}

std::optional<ExecutionState> executionStateFromName(const QString& name)
{
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (name == QLatin1String(kNames[i]))
            return static_cast<ExecutionState>(i);
    return std::nullopt;
}

QString executionStateWords(ExecutionState state)
{
    return QString::fromLatin1(kWords[static_cast<std::size_t>(state)]);
}

} // namespace otalab::sim::rollout
