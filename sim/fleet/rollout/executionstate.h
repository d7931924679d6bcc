// SPDX-License-Identifier: Apache-2.0
// ExecutionState: the state of one device's job execution, with AWS IoT Jobs' names and
// legal transitions. Shared by the rollout policy engine (sim/fleet/rollout), the report,
// the lab and the real jobs service (app/, core/awsota speaks the same words on the wire).
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace otalab::sim::rollout {

// AWS IoT Jobs job execution states (API reference, JobExecutionStatus). Order is the
// one reports and charts use.
enum class ExecutionState : std::uint8_t {
    Queued,      // "QUEUED": created for the thing, the thing not (yet) working on it
    InProgress,  // "IN_PROGRESS": the thing said it started
    Succeeded,   // "SUCCEEDED": terminal
    Failed,      // "FAILED": terminal
    TimedOut,    // "TIMED_OUT": terminal; in-progress timeout expired
    Rejected,    // "REJECTED": terminal; the thing refused the job
    Removed,     // "REMOVED": terminal; the thing left the target group
    Canceled,    // "CANCELED": terminal; the job (or this execution) was canceled
};
inline constexpr int kExecutionStateCount = 8;

// "QUEUED", "IN_PROGRESS", ... (the AWS wire names); nullopt for other text.
QString executionStateName(ExecutionState state);
std::optional<ExecutionState> executionStateFromName(const QString& name);
// Words for people: "queued", "in progress", "timed out".
QString executionStateWords(ExecutionState state);

constexpr bool isTerminal(ExecutionState s)
{
    return s != ExecutionState::Queued && s != ExecutionState::InProgress;
}

// The transitions the Jobs service allows: QUEUED → IN_PROGRESS | SUCCEEDED | FAILED |
// REJECTED | REMOVED | CANCELED | TIMED_OUT is not legal from QUEUED (the timer starts at
// IN_PROGRESS); IN_PROGRESS → IN_PROGRESS (status details update) | SUCCEEDED | FAILED |
// REJECTED | TIMED_OUT | REMOVED | CANCELED; nothing leaves a terminal state (a retry is a
// new execution number, which starts again at QUEUED: see isRetryTransition).
constexpr bool isLegalTransition(ExecutionState from, ExecutionState to)
{
    if (isTerminal(from))
        return false;
    if (from == ExecutionState::Queued)
        return to != ExecutionState::Queued && to != ExecutionState::TimedOut;
    return true;  // InProgress → anything (InProgress: a status details update)
}
// A retry (jobExecutionsRetryConfig): FAILED or TIMED_OUT → QUEUED under a new execution number.
constexpr bool isRetryTransition(ExecutionState from, ExecutionState to)
{
    return (from == ExecutionState::Failed || from == ExecutionState::TimedOut) && to == ExecutionState::Queued;
}

} // namespace otalab::sim::rollout
