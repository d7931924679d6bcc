// SPDX-License-Identifier: Apache-2.0
// The rollout policy's story in words: figures derived from RunResult::rollout and the
// devices, shared by report.html, the text / markdown summary and the CLI.
#pragma once

#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace otalab::sim {

// Derived once from a RunResult with a rollout. "Targeted" devices are those with an
// execution (DeviceResult::execution not empty). Times are virtual seconds.
struct RolloutSummary {
    int targeted = 0;
    std::optional<double> abortedAtS;  // RolloutResult::abortedAtS
    // By the abort (startS / failedAtS ≤ abortedAtS): targeted devices that had started their
    // download, and those that had ended Failed or RolledBack — the devices a bad image
    // reached before the criterion tripped. 0 without an abort.
    int startedByAbort = 0;
    int failedByAbort = 0;
    // Over the whole run, the same two counts.
    int started = 0;
    int failedOrRolledBack = 0;
    std::array<int, 8> executionsAtEnd{};  // per rollout::ExecutionState, from the devices
};

// nullopt when the run had no rollout section.
std::optional<RolloutSummary> summarizeRollout(const RunResult& result);

// The policy in words: the engine's "Policy" headline row ("aws-jobs, exponential from
// 10/min, ×2 per 50 succeeded") when it has one, else RolloutResult::policy.
QString rolloutPolicyText(const RolloutResult& rollout);
// The engine's headline rows that the summaries do not already show in their own lines
// (policy, job status, abort, the count per execution state).
std::vector<ResultAttribute> rolloutExtraRows(const RolloutResult& rollout);

// "queued 12 · in progress 3 · succeeded 80 · failed 5" (states with a count only; "none").
QString executionCountsText(const std::array<int, 8>& executions);

// "by the abort, 120 devices had started, 6 had failed or rolled back".
QString byAbortText(const RolloutSummary& summary);

// The CLI's lines (no trailing newline, no indent): the job's outcome, then the abort
// moment and reason (only when it aborted). Empty without a rollout.
QStringList rolloutSummaryLines(const RunResult& result);

// A "## Rollout" markdown section: policy, status, targets, abort, executions at the abort
// and at the end, the by-the-abort line, the headline rows and the groups table. Empty
// without a rollout.
QString rolloutMarkdown(const RunResult& result);

} // namespace otalab::sim
