// SPDX-License-Identifier: Apache-2.0
#include "rollout/rolloutviewmodel.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

using sim::rollout::ExecutionState;
using sim::rollout::kExecutionStateCount;

QString tr(const char* text) { return QCoreApplication::translate("RolloutViewModel", text); }

} // namespace

QColor executionStateColor(ExecutionState state)
{
    // The report's palette (sim/report/rolloutplots.cpp), so the window and the SVG agree.
    switch (state) {
    case ExecutionState::Queued: return QColor(0x9a, 0x9a, 0x9a);
    case ExecutionState::InProgress: return QColor(0x3b, 0x75, 0xaf);
    case ExecutionState::Succeeded: return QColor(0x2e, 0x8b, 0x57);
    case ExecutionState::Failed: return QColor(0xd1, 0x49, 0x5b);
    case ExecutionState::TimedOut: return QColor(0xb2, 0x6b, 0x00);
    case ExecutionState::Rejected: return QColor(0x8c, 0x6b, 0xb1);
    case ExecutionState::Removed: return QColor(0x5f, 0x7f, 0x8c);
    case ExecutionState::Canceled: return QColor(0x26, 0x26, 0x26);
    }
    return QColor(Qt::black);
}

bool executionStateIsOutcome(ExecutionState state)
{
    return state != ExecutionState::Queued && state != ExecutionState::Removed && state != ExecutionState::Canceled;
}

bool executionStateIsFailure(ExecutionState state)
{
    return state == ExecutionState::Failed || state == ExecutionState::TimedOut || state == ExecutionState::Rejected;
}

QColor rolloutRateColor() { return QColor(0xe0, 0x8a, 0x1e); }

QString rolloutPolicyWords(const QString& policy)
{
    if (policy == QLatin1String("aws-jobs"))
        return tr("AWS IoT Jobs");
    if (policy == QLatin1String("hawkbit"))
        return tr("hawkBit groups");
    if (policy == QLatin1String("mender"))
        return tr("Mender phases");
    return policy;
}

QString rolloutDuration(double seconds)
{
    const auto total = static_cast<std::int64_t>(std::llround(std::max(seconds, 0.0)));
    const std::int64_t h = total / 3600, min = total % 3600 / 60, s = total % 60;
    if (h > 0)
        return min > 0 ? tr("%1 h %2 min").arg(h).arg(min) : tr("%1 h").arg(h);
    if (min > 0)
        return s > 0 ? tr("%1 min %2 s").arg(min).arg(s) : tr("%1 min").arg(min);
    return tr("%1 s").arg(s);
}

RolloutViewModel::RolloutViewModel()
    : m_series{DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints),
               DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints)},
      m_rate(kMaxPoints)
{
    reset();
}

void RolloutViewModel::reset(const QString& policy)
{
    m_hasRollout = !policy.isEmpty();
    m_policy = policy;
    for (DecimatedSeries& s : m_series)
        s.clear();
    m_shown = {};
    m_shown[std::size_t(ExecutionState::Queued)] = true;
    m_rate.clear();
    m_consumed = 0;
    m_unit = {};
    m_timeAxisMax = 1;
    m_devicesAxisMax = 1;
    m_rateAxisMax = 1;
    m_maxRate = 0;
    m_maxCount = 0;
    m_peak = {};
    m_lastGroup.clear();
    m_groupTimesS.clear();
    m_groups.clear();
    m_abortS.reset();
    m_abortReason.clear();
    m_abort.reset();
    m_counts = {};
    m_jobStatus.clear();
    m_group.clear();
    m_ratePerMinute = 0;
    ++m_revision;
}

int RolloutViewModel::devices() const
{
    int n = 0;
    for (int c : m_counts)
        n += c;
    return n;
}

void RolloutViewModel::rescale(double latestS)
{
    const sim::TimeUnit unit = sim::TimeUnit::forMaximum(std::max(latestS, 0.0));
    if (unit.divisor == m_unit.divisor)
        return;
    const double factor = m_unit.divisor / unit.divisor;
    for (DecimatedSeries& s : m_series)
        s.scaleX(factor);
    m_rate.scaleX(factor);
    m_unit = unit;
}

void RolloutViewModel::append(const sim::RolloutSample& sample)
{
    const double x = sample.timeS / m_unit.divisor;
    for (int i = 0; i < kExecutionStateCount; ++i) {
        const int n = sample.executions[std::size_t(i)];
        m_series[std::size_t(i)].append(QPointF(x, n));
        m_shown[std::size_t(i)] = m_shown[std::size_t(i)] || n > 0;
        m_maxCount = std::max(m_maxCount, n);
        m_peak[std::size_t(i)] = std::max(m_peak[std::size_t(i)], n);
    }
    const double rate = std::isfinite(sample.ratePerMinute) ? std::max(sample.ratePerMinute, 0.0) : 0.0;
    m_rate.append(QPointF(x, rate));
    m_maxRate = std::max(m_maxRate, rate);
    if (!sample.group.isEmpty() && sample.group != m_lastGroup)
        m_groupTimesS.push_back(sample.timeS);
    if (!sample.group.isEmpty()) {
        if (sample.group != m_lastGroup)
            m_groups.push_back({sample.timeS, sample.group});  // x fixed in finishAppend()
        m_lastGroup = sample.group;
    }
}

void RolloutViewModel::finishAppend(double latestS)
{
    for (std::size_t i = 0; i < m_groups.size() && i < m_groupTimesS.size(); ++i)
        m_groups[i].x = m_groupTimesS[i] / m_unit.divisor;
    m_timeAxisMax = sim::AxisScale::nice(0, std::max(latestS / m_unit.divisor, 1e-9), 7).max;
    m_devicesAxisMax = std::max({m_devicesAxisMax, double(m_maxCount), double(devices()), 1.0});
    for (std::size_t i = 0; i < m_peak.size(); ++i)
        m_peak[i] = std::max(m_peak[i], m_counts[i]);
    // Headroom: the rate usually plateaus at its configured maximum, a round number that
    // would otherwise be the axis top and hide the dashed line in the plot's border.
    m_rateAxisMax = sim::AxisScale::nice(0, std::max(m_maxRate * 1.15, 1.0), 5).max;
    if (m_abortS)
        m_abort = RolloutMarker{*m_abortS / m_unit.divisor, abortLine()};
    else
        m_abort.reset();
}

void RolloutViewModel::setAbort(std::optional<double> atS, const QString& reason)
{
    m_abortS = atS;
    m_abortReason = reason;
}

bool RolloutViewModel::update(const LabSnapshot& snapshot)
{
    if (!snapshot.hasRollout)
        return false;
    if (snapshot.rolloutSamples.size() < m_consumed)
        reset(m_policy);
    const bool same = m_hasRollout && m_consumed == snapshot.rolloutSamples.size() && m_counts == snapshot.executions
                      && m_jobStatus == snapshot.jobStatus && m_group == snapshot.rolloutGroup
                      && m_ratePerMinute == snapshot.ratePerMinute && m_abortS == snapshot.abortedAtS
                      && m_abortReason == snapshot.abortReason;
    if (same)
        return false;
    m_hasRollout = true;
    m_counts = snapshot.executions;
    m_jobStatus = snapshot.jobStatus;
    m_group = snapshot.rolloutGroup;
    m_ratePerMinute = snapshot.ratePerMinute;
    setAbort(snapshot.abortedAtS, snapshot.abortReason);
    const auto& samples = snapshot.rolloutSamples;
    const double latestS = std::max(samples.empty() ? 0.0 : samples.back().timeS, snapshot.timeS);
    rescale(latestS);
    for (std::size_t i = m_consumed; i < samples.size(); ++i)
        append(samples[i]);
    m_consumed = samples.size();
    finishAppend(latestS);
    ++m_revision;
    return true;
}

void RolloutViewModel::setResult(const sim::RolloutResult& result, double endTimeS)
{
    reset(result.policy.isEmpty() ? m_policy : result.policy);
    m_hasRollout = true;
    const double latestS = std::max(endTimeS, result.samples.empty() ? 0.0 : result.samples.back().timeS);
    rescale(latestS);
    for (const sim::RolloutSample& s : result.samples)
        append(s);
    m_consumed = result.samples.size();
    // The groups' own start times (a group released within one sample interval still shows).
    if (!result.groups.empty()) {
        m_groups.clear();
        m_groupTimesS.clear();
        for (const sim::RolloutGroupResult& g : result.groups)
            if (g.startS) {
                m_groups.push_back({*g.startS, g.name});
                m_groupTimesS.push_back(*g.startS);
            }
    }
    if (!result.samples.empty()) {
        const sim::RolloutSample& last = result.samples.back();
        m_counts = last.executions;
        m_group = last.group;
        m_ratePerMinute = last.ratePerMinute;
    }
    m_jobStatus = result.jobStatus;
    setAbort(result.abortedAtS, result.abortReason);
    finishAppend(latestS);
    ++m_revision;
}

QString RolloutViewModel::header() const
{
    if (!m_hasRollout)
        return tr("This scenario has no rollout section: every device starts as its family's campaign says.");
    QStringList parts;
    if (!m_policy.isEmpty())
        parts << rolloutPolicyWords(m_policy);
    parts << (m_jobStatus.isEmpty() ? tr("job not started") : tr("job %1").arg(m_jobStatus));
    if (!m_group.isEmpty())
        parts << m_group;
    if (m_maxRate > 0 || m_ratePerMinute > 0)  // hawkBit / Mender jobs have no rate
        parts << tr("%1 notifications/min").arg(m_ratePerMinute, 0, 'g', 4);
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString RolloutViewModel::abortLine() const
{
    if (!m_abortS)
        return {};
    const QString when = rolloutDuration(*m_abortS);
    const QString what = m_jobStatus == QLatin1String("PAUSED") ? tr("paused at %1").arg(when) : tr("abort tripped at %1").arg(when);
    return m_abortReason.isEmpty() ? what : tr("%1: %2").arg(what, m_abortReason);
}

} // namespace otalab::app
