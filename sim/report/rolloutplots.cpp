// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rolloutplots.h"

#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/axisscale.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/reportplots.h"
#include "sim/report/svgchart.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

// Colour per ExecutionState (index = its value).
const QString kStateColors[8] = {
    QStringLiteral("#9a9a9a"),  // queued
    QStringLiteral("#3b75af"),  // in progress
    QStringLiteral("#2e8b57"),  // succeeded
    QStringLiteral("#d1495b"),  // failed
    QStringLiteral("#b26b00"),  // timed out
    QStringLiteral("#8c6bb1"),  // rejected
    QStringLiteral("#5f7f8c"),  // removed
    QStringLiteral("#262626"),  // canceled
};
const QString kRateColor = QStringLiteral("#e08a1e");
const QString kGroupColor = QStringLiteral("#7a7a7a");
constexpr qsizetype kMaxSubtitle = 112;  // characters that fit the chart's width at the subtitle's size

// Power of ten that brings `maxRate` within 10× of `maxDevices` (1 when it already is).
double rateScale(double maxRate, double maxDevices)
{
    if (!(maxRate > 0) || !(maxDevices > 0))
        return 1;
    const double ratio = maxDevices / maxRate;
    if (ratio >= 0.1 && ratio <= 10)
        return 1;
    return std::pow(10.0, std::floor(std::log10(ratio)));
}

// The y axis title: what the rate line reads as when it is scaled.
QString yTitle(double scale)
{
    const QString devices = QStringLiteral("executions (devices)");
    if (scale == 1)
        return devices + QStringLiteral(" · rate per min");
    // Plotted value = rate × scale: the reader divides the axis by scale.
    return scale > 1 ? QStringLiteral("%1 · rate per min = axis ÷ %2").arg(devices).arg(scale, 0, 'f', 0)
                     : QStringLiteral("%1 · rate per min = axis × %2").arg(devices).arg(1 / scale, 0, 'f', 0);
}

const QString kRateName = QStringLiteral("notification rate");

} // namespace

QString rolloutExecutionsSvg(const RunResult& result)
{
    if (!result.rollout)
        return {};
    const RolloutResult& r = *result.rollout;
    std::vector<RolloutSample> samples = r.samples;
    if (!samples.empty() && samples.front().timeS > 0) {
        RolloutSample zero;
        for (int n : samples.front().executions)
            zero.executions[0] += n;
        zero.ratePerMinute = samples.front().ratePerMinute;  // the job notifies from t = 0
        samples.insert(samples.begin(), zero);
    }
    double maxS = result.endTimeS, maxDevices = 1, maxRate = 0;
    for (const RolloutSample& s : samples) {
        maxS = std::max(maxS, s.timeS);
        maxRate = std::max(maxRate, s.ratePerMinute);
        for (int n : s.executions)
            maxDevices = std::max(maxDevices, double(n));
    }
    const TimeUnit unit = TimeUnit::forMaximum(maxS);
    const QString title = result.scenarioName.isEmpty() ? QStringLiteral("Job executions per state over time")
                                                        : QStringLiteral("Job executions per state over time — %1").arg(result.scenarioName);
    const double scale = rateScale(maxRate, maxDevices);
    SvgChart chart(title, QStringLiteral("virtual time (%1)").arg(unit.unit),
                   maxRate > 0 ? yTitle(scale) : QStringLiteral("executions (devices)"));
    QString subtitle = QStringLiteral("policy %1 · job %2").arg(r.policy, r.jobStatus);
    if (!r.groups.empty())
        subtitle += r.groups.size() == 1 ? QStringLiteral(" · 1 group") : QStringLiteral(" · %1 groups").arg(r.groups.size());
    if (r.abortedAtS) {
        QString abort = QStringLiteral(" · abort at %1").arg(formatDuration(*r.abortedAtS));
        if (!r.abortReason.isEmpty())
            abort += QStringLiteral(": ") + r.abortReason;
        subtitle += abort;
        if (subtitle.size() > kMaxSubtitle)
            subtitle = subtitle.left(kMaxSubtitle - 1) + QChar(0x2026);
    }
    chart.setSubtitle(subtitle);
    chart.setEmptyText(QStringLiteral("no rollout samples"));
    if (samples.empty())
        return chart.toSvg();

    chart.setXRange(0, AxisScale::nice(0, maxS / unit.divisor, 8).max);
    for (int i = 0; i < rollout::kExecutionStateCount; ++i) {
        const bool used = std::any_of(samples.begin(), samples.end(), [&](const RolloutSample& s) { return s.executions[std::size_t(i)] > 0; });
        if (!used)
            continue;
        const auto state = rollout::ExecutionState(i);
        SvgChart::Line line{rollout::executionStateWords(state), kStateColors[i], {}, false, state == rollout::ExecutionState::Succeeded};
        for (const RolloutSample& s : samples)
            line.points.emplace_back(s.timeS / unit.divisor, s.executions[std::size_t(i)]);
        chart.addLine(std::move(line));
    }
    if (maxRate > 0) {
        SvgChart::Line rate{kRateName, kRateColor, {}, true, false};
        for (const RolloutSample& s : samples)
            rate.points.emplace_back(s.timeS / unit.divisor, s.ratePerMinute * scale);
        chart.addLine(std::move(rate));
    }
    if (r.abortedAtS)
        chart.addMarker({*r.abortedAtS / unit.divisor, QStringLiteral("abort %1").arg(formatDuration(*r.abortedAtS)), plotcolors::failed});
    // After the abort marker: its label stays at the top, the groups' stack under it.
    int labelled = 0;
    for (const RolloutGroupResult& g : r.groups)
        if (g.startS)
            chart.addMarker({*g.startS / unit.divisor, labelled++ < kMaxLabelledGroupMarkers ? g.name : QString(), kGroupColor});
    return chart.toSvg();
}

} // namespace otalab::sim
