// SPDX-License-Identifier: Apache-2.0
// JobRollout::result: the rollout's story for the report (RolloutResult, sim/report/runresult.h).
#include "sim/fleet/rollout/jobrollout.h"

namespace otalab::sim::rollout {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', 12);
}

QString pacing(const RolloutPolicyConfig& c)
{
    const ExecutionsRollout& r = c.rollout;
    QString text;
    if (r.exponentialRate) {
        const ExponentialRate& e = *r.exponentialRate;
        const RateIncreaseCriteria& k = e.rateIncreaseCriteria;
        text = QStringLiteral("exponential from %1/min, ×%2 per %3 %4")
                   .arg(e.baseRatePerMinute)
                   .arg(number(e.incrementFactor))
                   .arg(k.numberOfNotifiedThings ? *k.numberOfNotifiedThings : k.numberOfSucceededThings.value_or(0))
                   .arg(k.numberOfNotifiedThings ? QStringLiteral("notified") : QStringLiteral("succeeded"));
        if (r.maximumPerMinute)
            text += QStringLiteral(", at most %1/min").arg(*r.maximumPerMinute);
    } else if (r.maximumPerMinute) {
        text = QStringLiteral("%1/min").arg(*r.maximumPerMinute);
    } else {
        text = QStringLiteral("all at once");
    }
    return text;
}

} // namespace

RolloutResult JobRollout::result(std::vector<RolloutSample> samples) const
{
    RolloutResult r;
    r.policy = policyKindName(m_config.kind);
    r.jobStatus = jobStatus();
    r.targets = m_config.targets;
    r.abortedAtS = m_abortedAtS;
    r.abortReason = m_abortReason;
    r.executionsAtAbort = m_countsAtAbort;
    r.samples = std::move(samples);
    for (const Group& g : m_groups) {
        // A wave opened by a rate step that nobody joined (the job ended first) is no wave.
        if (m_config.kind == PolicyKind::AwsJobs && g.devices == 0 && m_groups.size() > 1)
            continue;
        RolloutGroupResult out;
        out.name = g.name;
        out.devices = int(g.devices);
        out.startS = g.startS;
        out.endS = g.endS;
        out.succeeded = g.succeeded;
        out.failed = g.failed;
        out.endReason = g.endReason;
        if (out.endReason.isEmpty() && g.endS)
            out.endReason = QStringLiteral("all executions ended");
        r.groups.push_back(std::move(out));
    }

    const auto row = [&r](const QString& name, const QString& value) { r.rows.push_back({name, value}); };
    row(QStringLiteral("Policy"), QStringLiteral("%1, %2").arg(r.policy, pacing(m_config)));
    row(QStringLiteral("Job"), m_config.jobId);
    row(QStringLiteral("Job status"), r.jobStatus);
    row(QStringLiteral("Executions"), QString::number(deviceCount()));
    row(QStringLiteral("Notified"), QString::number(m_notifiedCount));
    for (int s = 0; s < kExecutionStateCount; ++s)
        if (m_counts[std::size_t(s)] > 0)
            row(executionStateName(ExecutionState(s)), QString::number(m_counts[std::size_t(s)]));
    if (!m_config.retries.empty())
        row(QStringLiteral("Retries"), QString::number(m_retries));
    if (m_ignored > 0)
        row(QStringLiteral("Ignored reports"), QString::number(m_ignored));
    // Each configured criterion and how close it came: a rule that never tripped is an
    // answer too ("peak 4.3 % of 230 executed at 2160 s" against a 5 % threshold).
    for (std::size_t ci = 0; ci < m_config.abort.size(); ++ci) {
        const AbortCriterion& a = m_config.abort[ci];
        const AbortPeak peak = ci < m_abortPeaks.size() ? m_abortPeaks[ci] : AbortPeak{};
        const QString rule = QStringLiteral("%1 ≥ %2 % after %3 executed")
                                 .arg(failureTypeName(a.failureType), number(a.thresholdPercentage))
                                 .arg(a.minNumberOfExecutedThings);
        const QString seen = peak.executed == 0
                                 ? QStringLiteral("the minimum was never executed")
                                 : QStringLiteral("peak %1 % (%2 of %3 executed, at %4 min)")
                                       .arg(QString::number(100.0 * double(peak.failures) / double(peak.executed), 'f', 1))
                                       .arg(peak.failures)
                                       .arg(peak.executed)
                                       .arg(QString::number(peak.atS / 60.0, 'f', 1));
        row(m_config.abort.size() == 1 ? QStringLiteral("Abort criterion") : QStringLiteral("Abort criterion %1").arg(ci + 1),
            QStringLiteral("%1 — %2").arg(rule, seen));
    }
    if (m_abortedAtS) {
        row(QStringLiteral("Abort"), m_abortReason);
        row(QStringLiteral("Aborted at"), QStringLiteral("%1 s").arg(number(*m_abortedAtS)));
    }
    if (!m_endNote.isEmpty())
        row(QStringLiteral("Scheduled end"), m_endNote);
    return r;
}

} // namespace otalab::sim::rollout
