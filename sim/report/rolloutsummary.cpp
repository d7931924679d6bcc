// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rolloutsummary.h"

#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/fleetsummary.h"

namespace otalab::sim {

namespace {

bool atOrBefore(const std::optional<double>& t, double limit)
{
    return t && *t <= limit;
}

QString targetsText(const RolloutResult& r)
{
    return r.targets.isEmpty() ? QStringLiteral("every fleet") : r.targets.join(QStringLiteral(", "));
}

QString groupTime(const std::optional<double>& t)
{
    return t ? formatDuration(*t) : QStringLiteral("—");
}

} // namespace

std::optional<RolloutSummary> summarizeRollout(const RunResult& result)
{
    if (!result.rollout)
        return std::nullopt;
    RolloutSummary s;
    s.abortedAtS = result.rollout->abortedAtS;
    for (const DeviceResult& d : result.devices) {
        if (d.execution.isEmpty())
            continue;
        ++s.targeted;
        if (const auto state = rollout::executionStateFromName(d.execution))
            ++s.executionsAtEnd[std::size_t(*state)];
        const bool bad = d.outcome == DeviceOutcome::Failed || d.outcome == DeviceOutcome::RolledBack;
        s.started += d.startS ? 1 : 0;
        s.failedOrRolledBack += bad ? 1 : 0;
        if (s.abortedAtS) {
            s.startedByAbort += atOrBefore(d.startS, *s.abortedAtS) ? 1 : 0;
            s.failedByAbort += bad && atOrBefore(d.failedAtS, *s.abortedAtS) ? 1 : 0;
        }
    }
    return s;
}

QString rolloutPolicyText(const RolloutResult& r)
{
    for (const ResultAttribute& a : r.rows)
        if (a.name == QLatin1String("Policy") && !a.value.isEmpty())
            return a.value;
    return r.policy;
}

std::vector<ResultAttribute> rolloutExtraRows(const RolloutResult& r)
{
    // Per-state counts ("SUCCEEDED" = "68") are in the executions-at-the-end line.
    static const QStringList shown = {QStringLiteral("Policy"), QStringLiteral("Job status"), QStringLiteral("Abort"),
                                      QStringLiteral("Aborted at")};
    std::vector<ResultAttribute> rows;
    for (const ResultAttribute& a : r.rows)
        if (!shown.contains(a.name) && !rollout::executionStateFromName(a.name))
            rows.push_back(a);
    return rows;
}

QString executionCountsText(const std::array<int, 8>& executions)
{
    QStringList parts;
    for (int i = 0; i < rollout::kExecutionStateCount; ++i)
        if (executions[std::size_t(i)] > 0)
            parts << QStringLiteral("%1 %2").arg(rollout::executionStateWords(rollout::ExecutionState(i))).arg(executions[std::size_t(i)]);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(" · "));
}

QString byAbortText(const RolloutSummary& s)
{
    return QStringLiteral("by the abort, %1 devices had started, %2 had failed or rolled back").arg(s.startedByAbort).arg(s.failedByAbort);
}

QStringList rolloutSummaryLines(const RunResult& result)
{
    const auto s = summarizeRollout(result);
    if (!s)
        return {};
    const RolloutResult& r = *result.rollout;
    QStringList lines;
    lines << QStringLiteral("rollout: %1 job %2 over %3 (%4 devices): %5")
                 .arg(r.policy, r.jobStatus, targetsText(r), QString::number(s->targeted), executionCountsText(s->executionsAtEnd));
    if (r.abortedAtS)
        lines << QStringLiteral("abort at %1: %2; %3").arg(formatDuration(*r.abortedAtS), r.abortReason, byAbortText(*s));
    else
        for (const ResultAttribute& a : r.rows)
            if (a.name.startsWith(QLatin1String("Abort criterion")))
                lines << QStringLiteral("abort did not trip: %1").arg(a.value);
    return lines;
}

QString rolloutMarkdown(const RunResult& result)
{
    const auto s = summarizeRollout(result);
    if (!s)
        return {};
    const RolloutResult& r = *result.rollout;
    QString md = QStringLiteral("## Rollout\n\n");
    md += QStringLiteral("- Policy: %1\n- Job status: %2\n- Targets: %3 (%4 devices)\n")
              .arg(rolloutPolicyText(r), r.jobStatus, targetsText(r), QString::number(s->targeted));
    if (r.abortedAtS) {
        md += QStringLiteral("- Abort: at %1 — %2\n").arg(formatDuration(*r.abortedAtS), r.abortReason);
        md += QStringLiteral("- Executions at the abort: %1\n").arg(executionCountsText(r.executionsAtAbort));
        md += QStringLiteral("- %1\n").arg(byAbortText(*s).replace(0, 1, QStringLiteral("B")));
    } else {
        md += QStringLiteral("- Abort: none\n");
    }
    md += QStringLiteral("- Executions at the end: %1\n").arg(executionCountsText(s->executionsAtEnd));
    for (const ResultAttribute& a : rolloutExtraRows(r))
        md += QStringLiteral("- %1: %2\n").arg(a.name, a.value);
    if (!r.groups.empty()) {
        md += QStringLiteral("\n| group | devices | start | end | succeeded | failed | end reason |\n|---|---:|---|---|---:|---:|---|\n");
        for (const RolloutGroupResult& g : r.groups)
            md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 |\n")
                      .arg(g.name, QString::number(g.devices), groupTime(g.startS), groupTime(g.endS), QString::number(g.succeeded),
                           QString::number(g.failed), g.endReason);
    }
    return md;
}

} // namespace otalab::sim
