// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rolloutplots.h"

#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/axisscale.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/reportplots.h"
#include "sim/report/svgchart.h"
#include "sim/report/svgstyle.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace otalab::sim {

namespace {

using rollout::ExecutionState;
using svgstyle::n;

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
const QString kNotifiedColor = QStringLiteral("#4e79a7");
const QString kGroupColor = QStringLiteral("#7a7a7a");
const QString kRateName = QStringLiteral("notification rate");
const QString kNotifiedName = QStringLiteral("notified so far");
constexpr qsizetype kMaxSubtitle = 128;  // characters that fit the chart's width at the subtitle's size (~5.8 units each)

// The top panel's states (the outcomes) and the bottom panel's context states.
constexpr ExecutionState kWorkingStates[] = {ExecutionState::InProgress, ExecutionState::Succeeded, ExecutionState::Failed,
                                             ExecutionState::TimedOut, ExecutionState::Rejected};
constexpr ExecutionState kContextStates[] = {ExecutionState::Queued, ExecutionState::Removed, ExecutionState::Canceled};
// A context line is drawn when its maximum is within this factor of the notified count's.
constexpr double kContextScale = 10;

// SvgChart's plot frame in user units (svgchart.cpp: left 80, right 28, top 80, bottom 60);
// the dots and the rate axis added to a panel are placed with it.
constexpr double kPlotX0 = 80;
constexpr double kPlotX1 = SvgChart::kWidth - 28;
constexpr double kPlotY0 = SvgChart::kHeight - 60;  // bottom (pixels grow downwards)
constexpr double kPlotY1 = 80;

int count(const RolloutSample& s, ExecutionState state)
{
    return s.executions[std::size_t(state)];
}

QString clip(QString text)
{
    return text.size() > kMaxSubtitle ? text.left(kMaxSubtitle - 1) + QChar(0x2026) : text;
}

// The samples drawn: a t = 0 point when the first sample is later, and the abort moment
// (see rolloutExecutionsSvg). `atAbort` receives the index of the abort's first point.
std::vector<RolloutSample> chartSamples(const RolloutResult& r, std::optional<std::size_t>& atAbort)
{
    std::vector<RolloutSample> samples = r.samples;
    if (samples.empty())
        return samples;
    if (samples.front().timeS > 0) {
        RolloutSample zero;
        for (int c : samples.front().executions)
            zero.executions[0] += c;
        zero.ratePerMinute = samples.front().ratePerMinute;  // the job notifies from t = 0
        zero.group = samples.front().group;
        samples.insert(samples.begin(), zero);
    }
    if (!r.abortedAtS)
        return samples;
    const double t = *r.abortedAtS;
    const auto after = std::lower_bound(samples.begin(), samples.end(), t, [](const RolloutSample& s, double v) { return s.timeS < v; });
    const RolloutSample& prev = after == samples.begin() ? *after : *(after - 1);
    const bool canceled = r.jobStatus == QLatin1String("CANCELED");
    RolloutSample at = prev;
    at.timeS = t;
    if (std::any_of(r.executionsAtAbort.begin(), r.executionsAtAbort.end(), [](int c) { return c > 0; }))
        at.executions = r.executionsAtAbort;
    // A canceled job notifies nobody after its abort: the next sample's count is the abort's.
    if (canceled && after != samples.end())
        at.notified = after->notified;
    const std::size_t index = std::size_t(after - samples.begin());
    std::vector<RolloutSample> points{at};
    if (canceled) {
        // The abort's CANCEL ends every QUEUED execution at that instant (AWS IoT Jobs
        // abortConfig); in-progress ones run on.
        RolloutSample post = at;
        post.executions[std::size_t(ExecutionState::Canceled)] += count(post, ExecutionState::Queued);
        post.executions[std::size_t(ExecutionState::Queued)] = 0;
        post.ratePerMinute = 0;
        points.push_back(post);
    }
    samples.insert(samples.begin() + std::ptrdiff_t(index), points.begin(), points.end());
    atAbort = index;
    return samples;
}

// A y range from 0 with headroom: the data stay below the top 10 % of the frame, where the
// markers' labels are.
double yMaxFor(double maxValue)
{
    const AxisScale a = AxisScale::nice(0, std::max(1.0, maxValue), 6);
    return maxValue > a.max * 0.9 ? a.max + a.step : a.max;
}

// The smallest 1, 2 or 5 × 10^k that is >= v (v > 0): tick labels stay short ("0.5", not "1.25").
double niceAtLeast(double v)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
    for (double f : {1.0, 2.0, 5.0, 10.0})
        if (f * magnitude >= v * (1 - 1e-9))
            return f * magnitude;
    return 10 * magnitude;
}

// Axis label of at most 4 characters ("50", "2.5", "1.5k").
QString compact(double v)
{
    return v >= 1000 ? QString::number(v / 1000, 'g', 2) + QLatin1Char('k') : QString::number(v, 'g', 3);
}

// Everything both panels share: time axis, markers.
struct PanelFrame {
    TimeUnit unit;
    double xMax = 1;
    double yMax = 1;
    double px(double seconds) const { return kPlotX0 + seconds / unit.divisor / xMax * (kPlotX1 - kPlotX0); }
    double py(double value) const { return kPlotY0 - value / yMax * (kPlotY0 - kPlotY1); }
};

// The abort marker (labelled) and a marker at each group's start, labelled when `groupLabels`
// (the top panel; the bottom one repeats the lines only, its data would run through the labels).
void addMarkers(SvgChart& chart, const RolloutResult& r, const TimeUnit& unit, bool groupLabels)
{
    if (r.abortedAtS)
        chart.addMarker({*r.abortedAtS / unit.divisor, QStringLiteral("abort %1").arg(formatDuration(*r.abortedAtS)), plotcolors::failed});
    // After the abort marker: its label stays at the top, the groups' stack under it.
    int labelled = 0;
    for (const RolloutGroupResult& g : r.groups)
        if (g.startS)
            chart.addMarker({*g.startS / unit.divisor, groupLabels && labelled++ < kMaxLabelledGroupMarkers ? g.name : QString(), kGroupColor});
}

SvgChart::Line stepLine(const QString& name, const QString& color, bool fill, const std::vector<RolloutSample>& samples,
                        const TimeUnit& unit, const std::function<double(const RolloutSample&)>& value)
{
    SvgChart::Line line{name, color, {}, true, fill};
    for (const RolloutSample& s : samples)
        line.points.emplace_back(s.timeS / unit.divisor, value(s));
    return line;
}

// A dot on a line at the abort moment.
QString dot(const PanelFrame& f, double seconds, double value, const QString& color)
{
    return QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"3.6\" fill=\"%3\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n")
        .arg(n(f.px(seconds)), n(f.py(value)), color);
}

QString withExtras(QString svg, const QString& extras)
{
    const qsizetype end = svg.lastIndexOf(QLatin1String("</svg>"));
    if (end >= 0 && !extras.isEmpty())
        svg.insert(end, extras);
    return svg;
}

QString withName(const QString& title, const QString& scenario)
{
    return scenario.isEmpty() ? title : QStringLiteral("%1 — %2").arg(title, scenario);
}

QString countsText(const RolloutSample& s, bool withInProgress)
{
    QStringList parts;
    for (ExecutionState state : kWorkingStates)
        if (count(s, state) > 0 && (withInProgress || state != ExecutionState::InProgress))
            parts << QStringLiteral("%1 %2").arg(count(s, state)).arg(rollout::executionStateWords(state));
    return parts.isEmpty() ? QStringLiteral("none started") : parts.join(QStringLiteral(", "));
}

// Top panel: the outcomes on a scale of their own.
QString workingPanel(const RunResult& result, const std::vector<RolloutSample>& samples, std::optional<std::size_t> atAbort,
                     PanelFrame f)
{
    const RolloutResult& r = *result.rollout;
    double maxY = 0;
    std::vector<ExecutionState> used;
    for (ExecutionState state : kWorkingStates) {
        int m = 0;
        for (const RolloutSample& s : samples)
            m = std::max(m, count(s, state));
        if (m > 0)
            used.push_back(state);
        maxY = std::max(maxY, double(m));
    }
    f.yMax = yMaxFor(maxY);
    SvgChart chart(withName(QStringLiteral("Devices working on the job"), result.scenarioName),
                   QStringLiteral("virtual time (%1)").arg(f.unit.unit), QStringLiteral("executions (devices)"));
    // The figures the chart is opened for: the outcomes when the abort tripped, then at the end.
    QString subtitle = QStringLiteral("job %1").arg(r.jobStatus);
    if (atAbort)
        subtitle += QStringLiteral(" · by the abort at %1: %2").arg(formatDuration(*r.abortedAtS), countsText(samples[*atAbort], true));
    if (!samples.empty())
        subtitle += QStringLiteral(" · at the end: %1").arg(countsText(samples.back(), false));
    chart.setSubtitle(clip(subtitle));
    chart.setEmptyText(samples.empty() ? QStringLiteral("no rollout samples") : QStringLiteral("no execution started"));
    chart.setXRange(0, f.xMax);
    chart.setYRange(0, f.yMax);
    for (ExecutionState state : used)
        chart.addLine(stepLine(rollout::executionStateWords(state), kStateColors[int(state)], state == ExecutionState::Succeeded, samples,
                               f.unit, [state](const RolloutSample& s) { return count(s, state); }));
    addMarkers(chart, r, f.unit, true);
    QString dots;
    if (atAbort)
        for (ExecutionState state : used)
            dots += dot(f, samples[*atAbort].timeS, count(samples[*atAbort], state), kStateColors[int(state)]);
    return withExtras(chart.toSvg(), dots.isEmpty() ? QString() : QStringLiteral("<g class=\"abort-points\">\n%1</g>\n").arg(dots));
}

// The rate's axis on the right of the notification panel: its ticks sit on the left axis'
// grid lines (tick i reads i × rateStep per minute).
QString rateAxis(const PanelFrame& f, double rateStep)
{
    const AxisScale left = AxisScale::nice(0, f.yMax, 6);  // the ticks SvgChart draws for setYRange(0, yMax)
    QString s = QStringLiteral("<g class=\"rate-axis\" font-size=\"10\" fill=\"%1\" stroke=\"none\">\n").arg(kRateColor);
    s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" stroke-width=\"1.2\"/>\n")
             .arg(n(kPlotX1), n(kPlotY0), n(kPlotY1), kRateColor);
    for (double t : left.ticks) {
        if (t > f.yMax + 1e-9)
            continue;
        const double y = f.py(t);
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" stroke-width=\"1.2\"/>")
                 .arg(n(kPlotX1), n(y), n(kPlotX1 + 4), kRateColor);
        s += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text>\n").arg(n(kPlotX1 + 6), n(y + 3.5), compact(std::round(t / left.step) * rateStep));
    }
    // The unit under the axis, below the x tick labels: the legend may reach the top right corner.
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">per min</text>\n").arg(n(SvgChart::kWidth - 3), n(kPlotY0 + 34));
    s += QStringLiteral("</g>\n");
    return s;
}

// Bottom panel: who was notified and how fast, the queue as context.
QString notificationPanel(const RunResult& result, const std::vector<RolloutSample>& samples, std::optional<std::size_t> atAbort,
                          PanelFrame f)
{
    const RolloutResult& r = *result.rollout;
    double maxNotified = 0, maxRate = 0;
    for (const RolloutSample& s : samples) {
        maxNotified = std::max(maxNotified, double(s.notified));
        maxRate = std::max(maxRate, s.ratePerMinute);
    }
    std::vector<ExecutionState> context;
    std::vector<std::pair<QString, QString>> offScale;  // legend text ("canceled 9883 (off scale)"), colour
    double maxY = maxNotified;
    for (ExecutionState state : kContextStates) {
        int m = 0;
        for (const RolloutSample& s : samples)
            m = std::max(m, count(s, state));
        if (m == 0)
            continue;
        if (m <= kContextScale * std::max(1.0, maxNotified)) {
            context.push_back(state);
            maxY = std::max(maxY, double(m));
        } else {
            offScale.push_back({QStringLiteral("%1 %2 (off scale)").arg(rollout::executionStateWords(state)).arg(m), kStateColors[int(state)]});
        }
    }
    f.yMax = yMaxFor(maxY);
    SvgChart chart(withName(QStringLiteral("Notification"), result.scenarioName), QStringLiteral("virtual time (%1)").arg(f.unit.unit),
                   QStringLiteral("devices"));
    int total = 0;
    if (!samples.empty())
        for (int c : samples.front().executions)
            total += c;
    QStringList subtitle{r.policy};
    if (!samples.empty())
        subtitle << QStringLiteral("%1 of %2 devices notified").arg(samples.back().notified).arg(total);
    if (r.abortedAtS && !r.abortReason.isEmpty())
        subtitle << QStringLiteral("abort: %1").arg(r.abortReason);
    chart.setSubtitle(clip(subtitle.join(QStringLiteral(" · "))));
    chart.setEmptyText(QStringLiteral("no rollout samples"));
    chart.setXRange(0, f.xMax);
    chart.setYRange(0, f.yMax);
    chart.addLine(stepLine(kNotifiedName, kNotifiedColor, true, samples, f.unit, [](const RolloutSample& s) { return s.notified; }));
    QString extras;
    if (maxRate > 0) {
        // One left tick step reads rateStep per minute; the highest rate stays below the top 10 %.
        const AxisScale left = AxisScale::nice(0, f.yMax, 6);
        const double rateStep = niceAtLeast(maxRate * left.step / (f.yMax * 0.9));
        const double toLeft = left.step / rateStep;  // plotted = rate × toLeft
        chart.addLine(stepLine(kRateName, kRateColor, false, samples, f.unit, [toLeft](const RolloutSample& s) { return s.ratePerMinute * toLeft; }));
        extras += rateAxis(f, rateStep);
    }
    for (ExecutionState state : context)
        chart.addLine(stepLine(rollout::executionStateWords(state), kStateColors[int(state)], false, samples, f.unit,
                               [state](const RolloutSample& s) { return count(s, state); }));
    // A context state far above the notified count is named with its maximum in the legend.
    for (const auto& [text, color] : offScale)
        chart.addLegendEntry(text, color);
    addMarkers(chart, r, f.unit, false);
    if (atAbort) {
        QString dots = dot(f, samples[*atAbort].timeS, samples[*atAbort].notified, kNotifiedColor);
        for (ExecutionState state : context)
            dots += dot(f, samples[*atAbort].timeS, count(samples[*atAbort], state), kStateColors[int(state)]);
        extras += QStringLiteral("<g class=\"abort-points\">\n%1</g>\n").arg(dots);
    }
    return withExtras(chart.toSvg(), extras);
}

// The body of a complete SvgChart document (between its <svg …> and </svg>).
QString svgBody(const QString& svg)
{
    const qsizetype open = svg.indexOf(QLatin1String("<svg"));
    const qsizetype start = open < 0 ? -1 : svg.indexOf(QLatin1Char('>'), open);
    const qsizetype end = svg.lastIndexOf(QLatin1String("</svg>"));
    return start < 0 || end < start ? QString() : svg.mid(start + 1, end - start - 1);
}

} // namespace

QString rolloutExecutionsSvg(const RunResult& result)
{
    if (!result.rollout)
        return {};
    const RolloutResult& r = *result.rollout;
    std::optional<std::size_t> atAbort;
    const std::vector<RolloutSample> samples = chartSamples(r, atAbort);
    double maxS = result.endTimeS;
    for (const RolloutSample& s : samples)
        maxS = std::max(maxS, s.timeS);
    PanelFrame f;
    f.unit = TimeUnit::forMaximum(maxS);
    f.xMax = AxisScale::nice(0, maxS / f.unit.divisor, 8).max;

    const QString top = workingPanel(result, samples, atAbort, f);
    const QString bottom = notificationPanel(result, samples, atAbort, f);
    const int height = 2 * SvgChart::kHeight;
    QString s;
    s += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s += QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" %3 role=\"img\">\n")
             .arg(SvgChart::kWidth).arg(height).arg(svgstyle::kFont);
    s += QStringLiteral("<title>%1</title>\n").arg(xmlEscape(withName(QStringLiteral("Job executions per state over time"), result.scenarioName)));
    s += QStringLiteral("<g class=\"panel\" data-panel=\"working\">\n%1</g>\n").arg(svgBody(top));
    s += QStringLiteral("<g class=\"panel\" data-panel=\"notification\" transform=\"translate(0 %1)\">\n%2</g>\n")
             .arg(SvgChart::kHeight).arg(svgBody(bottom));
    s += QStringLiteral("</svg>\n");
    return s;
}

} // namespace otalab::sim
