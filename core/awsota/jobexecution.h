// SPDX-License-Identifier: Apache-2.0
// JobExecutionStatus: the state of one thing's job execution as the AWS IoT Jobs service
// names it on the wire ("QUEUED", "IN_PROGRESS", ...). core/ cannot include sim/, so this
// is core's own enum with the same 8 names, in the same order, as
// sim/fleet/rollout/executionstate.h (ExecutionState); a host converts by value.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace otalab::core::awsota {

enum class JobExecutionStatus : std::uint8_t {
    Queued,      // "QUEUED": created for the thing, not started
    InProgress,  // "IN_PROGRESS": the thing reported it is working on it
    Succeeded,   // "SUCCEEDED": terminal
    Failed,      // "FAILED": terminal
    TimedOut,    // "TIMED_OUT": terminal
    Rejected,    // "REJECTED": terminal
    Removed,     // "REMOVED": terminal
    Canceled,    // "CANCELED": terminal
};
inline constexpr int kJobExecutionStatusCount = 8;

// "QUEUED", "IN_PROGRESS", ... ; nullopt for any other text (case-sensitive, as AWS).
QString jobExecutionStatusName(JobExecutionStatus status);
std::optional<JobExecutionStatus> jobExecutionStatusFromName(const QString& name);

constexpr bool isTerminal(JobExecutionStatus s)
{
    return s != JobExecutionStatus::Queued && s != JobExecutionStatus::InProgress;
}

// What a thing may report with UpdateJobExecution: IN_PROGRESS, SUCCEEDED, FAILED or
// REJECTED, and only while its execution is not terminal. (TIMED_OUT, REMOVED and
// CANCELED are set by the service.) IN_PROGRESS → IN_PROGRESS is a status-details update.
constexpr bool isThingReportable(JobExecutionStatus from, JobExecutionStatus to)
{
    if (isTerminal(from))
        return false;
    return to == JobExecutionStatus::InProgress || to == JobExecutionStatus::Succeeded
        || to == JobExecutionStatus::Failed || to == JobExecutionStatus::Rejected;
}

} // namespace otalab::core::awsota
