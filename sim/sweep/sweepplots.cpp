// SPDX-License-Identifier: Apache-2.0
#include "sim/sweep/sweepplots.h"

#include "sim/report/axisscale.h"
#include "sim/report/htmlpage.h"
#include "sim/report/svgchart.h"
#include "sim/report/svgheatmap.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace otalab::sim {

namespace {

// Line colours (Tableau 10), one per line of a plot.
const QStringList kPalette{QStringLiteral("#4e79a7"), QStringLiteral("#f28e2b"), QStringLiteral("#e15759"),
                           QStringLiteral("#76b7b2"), QStringLiteral("#59a14f"), QStringLiteral("#edc948"),
                           QStringLiteral("#b07aa1"), QStringLiteral("#ff9da7")};
constexpr int kMaxLines = 8;
constexpr int kMaxListedFailures = 500;

enum class Kind { Count, Percent, Time, Energy, Plain };

struct MetricLook {
    QString title;  // chart title and table header: "Completion p95"
    Kind kind = Kind::Plain;
};

MetricLook lookOf(SweepMetric m)
{
    switch (m) {
    case SweepMetric::Devices: return {QStringLiteral("Devices"), Kind::Count};
    case SweepMetric::Upgraded: return {QStringLiteral("Devices upgraded (number)"), Kind::Count};
    case SweepMetric::Failed: return {QStringLiteral("Devices failed"), Kind::Count};
    case SweepMetric::Refused: return {QStringLiteral("Devices refused"), Kind::Count};
    case SweepMetric::RolledBack: return {QStringLiteral("Devices rolled back"), Kind::Count};
    case SweepMetric::Unfinished: return {QStringLiteral("Devices unfinished"), Kind::Count};
    case SweepMetric::NotStarted: return {QStringLiteral("Devices not started"), Kind::Count};
    case SweepMetric::UpgradedPct: return {QStringLiteral("Devices upgraded"), Kind::Percent};
    case SweepMetric::P50S: return {QStringLiteral("Completion p50"), Kind::Time};
    case SweepMetric::P90S: return {QStringLiteral("Completion p90"), Kind::Time};
    case SweepMetric::P95S: return {QStringLiteral("Completion p95"), Kind::Time};
    case SweepMetric::MaxS: return {QStringLiteral("Completion max"), Kind::Time};
    case SweepMetric::EndS: return {QStringLiteral("Virtual time at stop"), Kind::Time};
    case SweepMetric::EnergyJMean: return {QStringLiteral("Whole-run energy per device (mean)"), Kind::Energy};
    case SweepMetric::UpdateEnergyJMean: return {QStringLiteral("Update energy per device (mean)"), Kind::Energy};
    case SweepMetric::UpdateEnergyJMax: return {QStringLiteral("Update energy per device (max)"), Kind::Energy};
    case SweepMetric::BatterySharePctMean: return {QStringLiteral("Battery share of the update (mean)"), Kind::Percent};
    case SweepMetric::Events: return {QStringLiteral("Events executed"), Kind::Count};
    case SweepMetric::WallS: return {QStringLiteral("Wall time per run"), Kind::Time};
    case SweepMetric::Count: break;
    }
    return {sweepMetricName(m), Kind::Plain};
}

// How a metric's values are shown: times in s, min or h by the largest value.
struct Display {
    double divisor = 1;
    QString unit;   // "h", "%", "J", "" (counts)
    QString axisTitle(const MetricLook& look) const
    {
        return unit.isEmpty() ? look.title : QStringLiteral("%1 (%2)").arg(look.title, unit);
    }
};

Display displayFor(SweepMetric metric, double largest)
{
    const MetricLook look = lookOf(metric);
    switch (look.kind) {
    case Kind::Time: {
        const TimeUnit t = TimeUnit::forMaximum(std::isfinite(largest) ? largest : 0);
        return {t.divisor, t.unit};
    }
    case Kind::Percent: return {1, QStringLiteral("%")};
    case Kind::Energy: return {1, QStringLiteral("J")};
    default: return {1, sweepMetricUnit(metric)};
    }
}

// A figure as people read it: at most 3 significant digits (no trailing zeros), no exponent
// below 1e6.
QString figure(double v)
{
    const double a = std::abs(v);
    if (a >= 1e6)
        return QString::number(v, 'g', 4);
    if (a >= 100 || v == std::round(v))
        return QString::number(v, 'f', 0);
    QString t = a >= 10 ? QString::number(v, 'f', 1) : a >= 1 ? QString::number(v, 'f', 2) : QString::number(v, 'g', 3);
    if (t.contains(QLatin1Char('.')) && !t.contains(QLatin1Char('e'))) {
        while (t.endsWith(QLatin1Char('0')))
            t.chop(1);
        if (t.endsWith(QLatin1Char('.')))
            t.chop(1);
    }
    return t;
}

// Decimals that give the largest magnitude of a set 3 significant digits, for figures that
// are read side by side (heat map cells, a table column).
int decimalsFor(double largest)
{
    const double a = std::abs(largest);
    if (!std::isfinite(a) || a >= 100 || a == 0)
        return 0;
    return std::clamp(2 - int(std::floor(std::log10(a))), 0, 6);
}

QString withUnit(double v, const Display& d)
{
    const QString t = figure(v / d.divisor);
    if (d.unit.isEmpty())
        return t;
    return d.unit == QLatin1String("%") ? t + QStringLiteral(" %") : QStringLiteral("%1 %2").arg(t, d.unit);
}

QString scenarioName(const SweepPlan& plan)
{
    const QString name = plan.scenario.value(QStringLiteral("name")).toString();
    if (!name.isEmpty())
        return name;
    return plan.scenarioPath.isEmpty() ? QStringLiteral("scenario") : QFileInfo(plan.scenarioPath).completeBaseName();
}

// The axis as named in titles and legends: its label, or its path when another axis has
// the same label.
QString axisName(const SweepPlan& plan, int axis)
{
    const QString label = plan.axes[axis].label();
    for (int i = 0; i < plan.axes.size(); ++i)
        if (i != axis && plan.axes[i].label() == label)
            return plan.axes[axis].path.startsWith(QLatin1String("$.")) ? plan.axes[axis].path.mid(2) : plan.axes[axis].path;
    return label;
}

// The value index of every axis at a point (first axis slowest, like the plan's order).
std::vector<int> coordinatesOf(const SweepPlan& plan, std::size_t pointIndex)
{
    std::vector<int> c(std::size_t(plan.axes.size()), 0);
    for (qsizetype i = plan.axes.size() - 1; i >= 0; --i) {
        const std::size_t size = std::size_t(std::max<qsizetype>(1, plan.axes[i].values.size()));
        c[std::size_t(i)] = int(pointIndex % size);
        pointIndex /= size;
    }
    return c;
}

std::size_t pointIndexOf(const SweepPlan& plan, const std::vector<int>& coordinates)
{
    std::size_t index = 0;
    for (qsizetype i = 0; i < plan.axes.size(); ++i)
        index = index * std::size_t(std::max<qsizetype>(1, plan.axes[i].values.size())) + std::size_t(coordinates[std::size_t(i)]);
    return index;
}

// The summary of every point of the plan (nullptr where the summary has none).
std::vector<const SweepPointSummary*> byPoint(const SweepPlan& plan, const std::vector<SweepPointSummary>& summary)
{
    std::vector<const SweepPointSummary*> out(plan.pointCount(), nullptr);
    for (const SweepPointSummary& s : summary)
        if (s.pointIndex >= 0 && std::size_t(s.pointIndex) < out.size())
            out[std::size_t(s.pointIndex)] = &s;
    return out;
}

const SweepStats* statsOf(const SweepPointSummary* s, SweepMetric metric)
{
    if (!s)
        return nullptr;
    const std::optional<SweepStats>& st = s->stats[std::size_t(metric)];
    return st && st->n > 0 ? &*st : nullptr;
}

QString pointText(const SweepPlan& plan, const QList<QJsonValue>& point)
{
    QStringList parts;
    for (int i = 0; i < plan.axes.size() && i < point.size(); ++i)
        parts << QStringLiteral("%1 = %2").arg(axisName(plan, i), SweepAxis::valueText(point[i]));
    return parts.isEmpty() ? QStringLiteral("(no varied key)") : parts.join(QStringLiteral(", "));
}

bool numericAxis(const SweepAxis& axis)
{
    return !axis.values.isEmpty() && std::all_of(axis.values.begin(), axis.values.end(), [](const QJsonValue& v) { return v.isDouble(); });
}

// `color` mixed with white: the legend swatch of a translucent band.
QString lighter(const QString& color, double towardsWhite)
{
    bool ok = false;
    const uint rgb = color.mid(1).toUInt(&ok, 16);
    if (!ok || color.size() != 7)
        return color;
    QString out = QStringLiteral("#");
    for (int shift : {16, 8, 0}) {
        const double c = double((rgb >> shift) & 0xff);
        out += QStringLiteral("%1").arg(int(std::lround(c + (255 - c) * towardsWhite)), 2, 16, QLatin1Char('0'));
    }
    return out;
}

QString seedsText(const SweepPlan& plan)
{
    const std::size_t n = plan.seeds.size();
    if (n == 1)
        return QStringLiteral("1 seed (%1)").arg(plan.seeds.front());
    return QStringLiteral("%1 seeds").arg(n);
}

QString fileSafe(const QString& text)
{
    QString out;
    for (const QChar c : text)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('.')
                   ? c
                   : QLatin1Char('_');
    return out;
}

double largestMean(const std::vector<const SweepPointSummary*>& points, SweepMetric metric)
{
    double largest = 0;
    for (const SweepPointSummary* p : points)
        if (const SweepStats* st = statsOf(p, metric))
            largest = std::max({largest, st->mean, st->p95});
    return largest;
}

// Decimals for the figures of one metric read side by side (a heat map, a table column):
// counts whole when every mean is whole or they reach 100, else one decimal; percentages at least one decimal
// (94.8 %, not 95 %); others 3 significant digits of the largest.
int decimalsOf(const std::vector<const SweepPointSummary*>& points, SweepMetric metric, double divisor)
{
    switch (lookOf(metric).kind) {
    case Kind::Count:
        if (largestMean(points, metric) >= 100)
            return 0;
        for (const SweepPointSummary* p : points)
            if (const SweepStats* st = statsOf(p, metric); st && (st->mean != std::round(st->mean)))
                return 1;
        return 0;
    case Kind::Percent: return std::max(1, decimalsFor(largestMean(points, metric) / divisor));
    default: return decimalsFor(largestMean(points, metric) / divisor);
    }
}

} // namespace

QString sweepLinePlotSvg(const SweepPlan& plan, const std::vector<SweepPointSummary>& summary, int axis, SweepMetric metric)
{
    const MetricLook look = lookOf(metric);
    if (axis < 0 || axis >= plan.axes.size()) {
        SvgChart chart(look.title, QStringLiteral("(no axis)"), look.title);
        chart.setEmptyText(QStringLiteral("the sweep has no axis %1").arg(axis));
        return chart.toSvg();
    }
    const SweepAxis& a = plan.axes[axis];
    const QString name = axisName(plan, axis);
    const auto points = byPoint(plan, summary);
    const Display display = displayFor(metric, largestMean(points, metric));
    SvgChart chart(QStringLiteral("%1 vs %2").arg(look.title, name), name, display.axisTitle(look));
    chart.setLegendWraps(true);
    const bool numeric = numericAxis(a);
    if (!numeric) {
        QStringList categories;
        for (const QJsonValue& v : a.values)
            categories << SweepAxis::valueText(v);
        chart.setXCategories(categories);
    }
    if (metric == SweepMetric::UpgradedPct) {
        // Up to 100 %, from a nice value below the lowest p5 (at most 90 %): 97 % and 100 %
        // stay apart.
        double lowest = 90;
        for (const SweepPointSummary* p : points)
            if (const SweepStats* st = statsOf(p, metric))
                lowest = std::min(lowest, st->p5);
        const AxisScale y = AxisScale::nice(std::max(0.0, lowest), 100, 6);
        chart.setYRange(y.min, 100 + y.step * 0.25);
    }

    // One line per combination of the other axes' values, in plan order.
    std::vector<std::vector<int>> lineKeys;
    std::vector<std::vector<std::size_t>> linePoints;
    for (std::size_t p = 0; p < plan.pointCount(); ++p) {
        std::vector<int> key = coordinatesOf(plan, p);
        key.erase(key.begin() + axis);
        auto it = std::find(lineKeys.begin(), lineKeys.end(), key);
        if (it == lineKeys.end()) {
            lineKeys.push_back(key);
            linePoints.emplace_back();
            it = lineKeys.end() - 1;
        }
        linePoints[std::size_t(it - lineKeys.begin())].push_back(p);
    }
    const std::size_t lineCount = std::min<std::size_t>(lineKeys.size(), kMaxLines);
    bool anyValue = false;
    for (std::size_t l = 0; l < lineCount; ++l) {
        const QString color = kPalette[qsizetype(l % std::size_t(kPalette.size()))];
        // "pollIntervalMs = 2000" for one other axis; "2000 / 30" for more (named in the subtitle).
        QString lineName;
        if (plan.axes.size() == 1) {
            lineName = QStringLiteral("mean of %1").arg(seedsText(plan));
        } else {
            QStringList values;
            int k = 0;
            for (int i = 0; i < plan.axes.size(); ++i)
                if (i != axis)
                    values << SweepAxis::valueText(plan.axes[i].values[lineKeys[l][std::size_t(k++)]]);
            lineName = plan.axes.size() == 2 ? QStringLiteral("%1 = %2").arg(axisName(plan, axis == 0 ? 1 : 0), values.front())
                                             : values.join(QStringLiteral(" / "));
        }
        // x in axis order; a point without a value breaks the line and its band.
        std::vector<std::pair<double, std::size_t>> xs;
        for (std::size_t p : linePoints[l]) {
            const int valueIndex = coordinatesOf(plan, p)[std::size_t(axis)];
            xs.emplace_back(numeric ? a.values[valueIndex].toDouble() : double(valueIndex), p);
        }
        std::stable_sort(xs.begin(), xs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        std::vector<SvgChart::Dot> dots;
        SvgChart::Line line{lineName, color, {}, false, false};
        SvgChart::Band band{lineName, color, {}};
        bool named = false;
        auto flush = [&] {
            if (line.points.empty())
                return;
            line.name = named ? QString() : lineName;
            named = true;
            chart.addBand(band);
            chart.addLine(line);
            line.points.clear();
            band.points.clear();
        };
        for (const auto& [x, p] : xs) {
            const SweepStats* st = statsOf(points[p], metric);
            if (!st) {
                flush();
                continue;
            }
            anyValue = true;
            const double mean = st->mean / display.divisor, low = st->p5 / display.divisor, high = st->p95 / display.divisor;
            line.points.emplace_back(x, mean);
            band.points.push_back({x, low, high});
            const QList<QJsonValue> point = plan.point(int(p));
            SvgChart::Dot dot{x, mean,
                              QStringLiteral("%1: mean %2, p5 %3, p95 %4 (%5 runs)")
                                  .arg(pointText(plan, point), withUnit(st->mean, display), withUnit(st->p5, display),
                                       withUnit(st->p95, display))
                                  .arg(st->n),
                              {}};
            dot.data = {{QStringLiteral("point"), QString::number(p)},
                        {QStringLiteral("x"), SweepAxis::valueText(point[axis])},
                        {QStringLiteral("mean"), QString::number(st->mean, 'g', 17)},
                        {QStringLiteral("p5"), QString::number(st->p5, 'g', 17)},
                        {QStringLiteral("p95"), QString::number(st->p95, 'g', 17)},
                        {QStringLiteral("n"), QString::number(st->n)}};
            dots.push_back(std::move(dot));
        }
        flush();
        if (!named)
            chart.addLegendEntry(lineName, color);  // a line without any value keeps its legend entry
        chart.addDots(std::move(dots), lineName, color);
    }
    if (lineCount == 1 && anyValue)
        chart.addLegendEntry(QStringLiteral("p5–p95 across seeds"), lighter(kPalette.front(), 0.65));

    QStringList subtitle{scenarioName(plan)};
    if (plan.axes.size() > 2) {
        QStringList others;
        for (int i = 0; i < plan.axes.size(); ++i)
            if (i != axis)
                others << axisName(plan, i);
        subtitle << QStringLiteral("lines by %1").arg(others.join(QStringLiteral(" / ")));
    }
    subtitle << QStringLiteral("mean of %1 per point, band p5–p95").arg(seedsText(plan));
    if (lineKeys.size() > lineCount)
        subtitle << QStringLiteral("first %1 of %2 lines shown").arg(lineCount).arg(lineKeys.size());
    chart.setSubtitle(subtitle.join(QStringLiteral(" · ")));
    chart.setEmptyText(QStringLiteral("no finished run has a %1 value").arg(sweepMetricName(metric)));
    if (numeric) {
        // The values with a little room on both sides (a nice range can leave a third empty).
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (const QJsonValue& v : a.values) {
            lo = std::min(lo, v.toDouble());
            hi = std::max(hi, v.toDouble());
        }
        const double pad = hi > lo ? (hi - lo) * 0.06 : std::max(std::abs(lo) * 0.5, 1.0);
        chart.setXRange(lo - pad, hi + pad);
        if (a.values.size() <= 16) {
            // Ticks at the values swept rather than at round numbers between them.
            std::vector<std::pair<double, QString>> sorted;
            for (const QJsonValue& v : a.values)
                sorted.emplace_back(v.toDouble(), SweepAxis::valueText(v));
            std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            std::vector<double> ticks;
            QStringList labels;
            for (const auto& [x, label] : sorted) {
                ticks.push_back(x);
                labels << label;
            }
            chart.setXTicks(std::move(ticks), labels);
        }
    }
    return chart.toSvg();
}

QString sweepHeatMapSvg(const SweepPlan& plan, const std::vector<SweepPointSummary>& summary, int xAxis, int yAxis,
                        SweepMetric metric)
{
    const MetricLook look = lookOf(metric);
    const int axes = int(plan.axes.size());
    if (xAxis < 0 || yAxis < 0 || xAxis >= axes || yAxis >= axes || xAxis == yAxis) {
        SvgHeatMap map(look.title, QString(), QString(), {}, {});
        map.setEmptyText(QStringLiteral("a heat map needs two different axes (the sweep has %1)").arg(axes));
        return map.toSvg();
    }
    const auto points = byPoint(plan, summary);
    const Display display = displayFor(metric, largestMean(points, metric));
    const int decimals = decimalsOf(points, metric, display.divisor);
    const SweepAxis& ax = plan.axes[xAxis];
    const SweepAxis& ay = plan.axes[yAxis];
    QStringList columns, rows;
    for (const QJsonValue& v : ax.values)
        columns << SweepAxis::valueText(v);
    for (const QJsonValue& v : ay.values)
        rows << SweepAxis::valueText(v);
    const QString xName = axisName(plan, xAxis), yName = axisName(plan, yAxis);
    SvgHeatMap map(QStringLiteral("%1 over %2 × %3").arg(look.title, xName, yName), xName, yName, columns, rows);
    map.setScaleLabel(QStringLiteral("mean %1").arg(display.axisTitle(look).at(0).toLower() + display.axisTitle(look).mid(1)));

    QStringList subtitle{scenarioName(plan), QStringLiteral("mean of %1 per cell").arg(seedsText(plan))};
    QStringList fixed;
    for (int i = 0; i < axes; ++i)
        if (i != xAxis && i != yAxis && !plan.axes[i].values.isEmpty())
            fixed << QStringLiteral("%1 = %2").arg(axisName(plan, i), SweepAxis::valueText(plan.axes[i].values.front()));
    if (!fixed.isEmpty())
        subtitle << QStringLiteral("at %1 (first value)").arg(fixed.join(QStringLiteral(", ")));
    map.setSubtitle(subtitle.join(QStringLiteral(" · ")));
    map.setEmptyText(QStringLiteral("no finished run has a %1 value").arg(sweepMetricName(metric)));

    std::vector<int> coordinates(std::size_t(axes), 0);
    for (int cx = 0; cx < ax.values.size(); ++cx) {
        for (int cy = 0; cy < ay.values.size(); ++cy) {
            coordinates[std::size_t(xAxis)] = cx;
            coordinates[std::size_t(yAxis)] = cy;
            const std::size_t p = pointIndexOf(plan, coordinates);
            const SweepPointSummary* s = points[p];
            const SweepStats* st = statsOf(s, metric);
            SvgHeatMap::Cell cell;
            cell.column = cx;
            cell.row = cy;
            const QString where = pointText(plan, plan.point(int(p)));
            const int runs = s ? s->runs : 0, failed = s ? s->failedRuns : 0;
            if (st) {
                cell.value = st->mean / display.divisor;
                cell.text = QString::number(st->mean / display.divisor, 'f', decimals);
                cell.tooltip = QStringLiteral("%1: mean %2, p5 %3, p95 %4 (%5 runs, %6 failed)")
                                   .arg(where, withUnit(st->mean, display), withUnit(st->p5, display), withUnit(st->p95, display))
                                   .arg(runs)
                                   .arg(failed);
            } else {
                cell.text = runs == 0 ? QStringLiteral("no run") : failed == runs ? QStringLiteral("failed") : QStringLiteral("no value");
                cell.tooltip = QStringLiteral("%1: %2 (%3 runs, %4 failed)").arg(where, cell.text).arg(runs).arg(failed);
            }
            cell.data = {{QStringLiteral("point"), QString::number(p)}, {QStringLiteral("runs"), QString::number(runs)},
                         {QStringLiteral("failed"), QString::number(failed)}};
            if (st)
                cell.data.emplace_back(QStringLiteral("mean"), QString::number(st->mean, 'g', 17));  // in the metric's unit (s, J, %)
            map.addCell(std::move(cell));
        }
    }
    return map.toSvg();
}

QList<SweepMetric> defaultSweepPlotMetrics()
{
    return {SweepMetric::UpgradedPct, SweepMetric::P95S, SweepMetric::UpdateEnergyJMean, SweepMetric::EndS};
}

namespace {

QString inlineSvg(const QString& svg)
{
    // Inside HTML the <svg> element stands alone: no XML declaration, no namespace URI.
    const qsizetype start = svg.indexOf(QLatin1String("<svg"));
    QString out = start < 0 ? svg : svg.mid(start);
    out.replace(QLatin1String(" xmlns=\"http://www.w3.org/2000/svg\""), QString());
    return out;
}

QString htmlRow(const QString& key, const QString& value)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(xmlEscape(key), xmlEscape(value));
}

// Whether a metric is the same in every finished run of the sweep (its column would say
// nothing): every point's p5 and p95 equal one value.
std::optional<double> constantValue(const std::vector<SweepPointSummary>& summary, SweepMetric metric)
{
    std::optional<double> value;
    bool any = false;
    for (const SweepPointSummary& s : summary) {
        const SweepStats* st = statsOf(&s, metric);
        if (!st) {
            if (s.runs > s.failedRuns)
                return std::nullopt;  // some ok runs have no value, others may: not constant
            continue;
        }
        if (st->min != st->max || (value && *value != st->min))
            return std::nullopt;
        value = st->min;
        any = true;
    }
    return any ? value : std::nullopt;
}

struct HtmlPlot {
    QString section;  // the metric: plots of one metric under one heading
    QString svg;
};

QString sweepHtml(const SweepPlan& plan, const SweepTable& table, const std::vector<SweepPointSummary>& summary,
                  const std::vector<HtmlPlot>& plots)
{
    const QString name = scenarioName(plan);
    const int planned = int(plan.runCount());
    const int failed = table.failedRuns();
    const int done = int(table.runs.size());
    const int missing = int(table.missing.size());
    QString h;
    h.reserve(512 * 1024);
    h += htmlPageStart(QStringLiteral("%1 sweep — OTA Lab").arg(name),
                       QStringLiteral(
        "td.num{white-space:nowrap}\n"
        "td.num span{display:block;color:#6b6b6b;font-size:12px}\n"
        ".wide{overflow-x:auto}\n"));
    h += QStringLiteral("<h1>%1 sweep</h1>\n").arg(xmlEscape(name));
    QStringList factors;
    for (int i = 0; i < plan.axes.size(); ++i)
        factors << QStringLiteral("%1 %2").arg(plan.axes[i].values.size()).arg(axisName(plan, i));
    factors << seedsText(plan);
    h += QStringLiteral("<p class=\"sub\">%1 = %2 runs</p>\n").arg(xmlEscape(factors.join(QStringLiteral(" × ")))).arg(planned);

    h += QStringLiteral("<div class=\"tiles\">\n");
    auto tile = [&](const QString& value, const QString& label, const QString& color) { h += htmlTile(value, label, color); };
    tile(QStringLiteral("%1 / %2").arg(done).arg(planned), QStringLiteral("runs done"),
         done == planned ? QStringLiteral("#2e8b57") : QStringLiteral("#b26b00"));
    tile(QString::number(failed), QStringLiteral("runs failed"), failed > 0 ? QStringLiteral("#d1495b") : QStringLiteral("#262626"));
    tile(QString::number(missing), QStringLiteral("runs missing"), missing > 0 ? QStringLiteral("#b26b00") : QStringLiteral("#262626"));
    tile(QString::number(plan.pointCount()), QStringLiteral("parameter points"), QStringLiteral("#262626"));
    h += QStringLiteral("</div>\n");

    // Parameters.
    h += QStringLiteral("<h2>Parameters</h2>\n<section class=\"card\"><table>\n");
    h += htmlRow(QStringLiteral("Scenario"), plan.scenarioPath.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, plan.scenarioPath));
    for (int i = 0; i < plan.axes.size(); ++i) {
        QStringList values;
        for (const QJsonValue& v : plan.axes[i].values)
            values << SweepAxis::valueText(v);
        h += QStringLiteral("<tr><th>%1 <span class=\"sub\">%2</span></th><td>%3</td></tr>\n")
                 .arg(xmlEscape(axisName(plan, i)), xmlEscape(plan.axes[i].path), xmlEscape(values.join(QStringLiteral(", "))));
    }
    if (plan.axes.isEmpty())
        h += htmlRow(QStringLiteral("Varied keys"), QStringLiteral("none (seeds only)"));
    QString seeds = seedsText(plan);
    if (plan.seeds.size() > 1) {
        const auto [lo, hi] = std::minmax_element(plan.seeds.begin(), plan.seeds.end());
        seeds += *hi - *lo + 1 == plan.seeds.size() ? QStringLiteral(": %1 … %2").arg(*lo).arg(*hi) : QString();
    }
    h += htmlRow(QStringLiteral("Seeds"), seeds);
    if (plan.untilS)
        h += htmlRow(QStringLiteral("Stop at"), QStringLiteral("%1 s of virtual time").arg(*plan.untilS));
    h += htmlRow(QStringLiteral("Runs"), QStringLiteral("%1 planned: %2 done (%3 ok, %4 failed), %5 missing")
                                             .arg(planned).arg(done).arg(done - failed).arg(failed).arg(missing));
    h += htmlRow(QStringLiteral("Plan identity"), plan.identity());
    h += QStringLiteral("</table></section>\n");

    // Plots.
    QString section;
    for (const HtmlPlot& p : plots) {
        if (p.section != section)
            h += QStringLiteral("<h2>%1</h2>\n").arg(xmlEscape(p.section));
        section = p.section;
        h += QStringLiteral("<section class=\"card\">%1</section>\n").arg(inlineSvg(p.svg));
    }

    // Summary per point: mean and p5–p95 of every metric that differs somewhere.
    std::vector<SweepMetric> columns;
    QStringList constant;
    std::vector<Display> displays(kSweepMetricCount);
    const auto points = byPoint(plan, summary);
    for (int m = 0; m < kSweepMetricCount; ++m) {
        const auto metric = SweepMetric(m);
        if (!sweepMetricIsDeterministic(metric))
            continue;  // wall time: in sweep-summary.csv; the page stays the same wherever it is merged
        displays[std::size_t(m)] = displayFor(metric, largestMean(points, metric));
        if (const std::optional<double> c = constantValue(summary, metric)) {
            constant << QStringLiteral("%1 %2").arg(sweepMetricName(metric), withUnit(*c, displays[std::size_t(m)]));
            continue;
        }
        if (std::any_of(summary.begin(), summary.end(), [&](const SweepPointSummary& s) { return statsOf(&s, metric) != nullptr; }))
            columns.push_back(metric);
    }
    h += QStringLiteral("<h2>Summary per parameter point</h2>\n<section class=\"card\">\n");
    h += QStringLiteral("<p class=\"sub\">Mean over the seeds, below it p5–p95. All figures per run: sweep-runs.csv; "
                        "with p50 and the 95 % confidence interval: sweep-summary.csv.</p>\n");
    if (!constant.isEmpty())
        h += QStringLiteral("<p>The same in every finished run: %1.</p>\n").arg(xmlEscape(constant.join(QStringLiteral(", "))));
    h += QStringLiteral("<div class=\"wide\"><table class=\"list\"><tr>");
    for (int i = 0; i < plan.axes.size(); ++i)
        h += QStringLiteral("<th>%1</th>").arg(xmlEscape(axisName(plan, i)));
    h += QStringLiteral("<th>runs</th><th>failed runs</th>");
    for (SweepMetric m : columns) {
        const Display& d = displays[std::size_t(m)];
        h += QStringLiteral("<th>%1</th>").arg(xmlEscape(d.unit.isEmpty() ? sweepMetricName(m) : QStringLiteral("%1 (%2)").arg(sweepMetricName(m), d.unit)));
    }
    h += QStringLiteral("</tr>\n");
    for (std::size_t p = 0; p < plan.pointCount(); ++p) {
        const SweepPointSummary* s = points[p];
        const QList<QJsonValue> point = plan.point(int(p));
        h += QStringLiteral("<tr>");
        for (const QJsonValue& v : point)
            h += QStringLiteral("<td>%1</td>").arg(xmlEscape(SweepAxis::valueText(v)));
        h += QStringLiteral("<td class=\"num\">%1</td><td class=\"num\">%2</td>").arg(s ? s->runs : 0).arg(s ? s->failedRuns : 0);
        for (SweepMetric m : columns) {
            const SweepStats* st = statsOf(s, m);
            const Display& d = displays[std::size_t(m)];
            const int decimals = decimalsOf(points, m, d.divisor);
            auto f = [&](double v) { return QString::number(v / d.divisor, 'f', decimals); };
            if (!st)
                h += QStringLiteral("<td class=\"num\">—</td>");
            else
                h += QStringLiteral("<td class=\"num\">%1<span>%2–%3</span></td>").arg(f(st->mean), f(st->p5), f(st->p95));
        }
        h += QStringLiteral("</tr>\n");
    }
    h += QStringLiteral("</table></div>\n</section>\n");

    // Failed runs.
    h += QStringLiteral("<h2>Failed runs (%1)</h2>\n<section class=\"card\">\n").arg(failed);
    if (failed == 0) {
        h += QStringLiteral("<p>No run failed.</p>\n");
    } else {
        h += QStringLiteral("<table class=\"list\"><tr><th>run</th><th>seed</th><th>parameters</th><th>error</th></tr>\n");
        int listed = 0;
        for (const SweepRunResult& r : table.runs) {
            if (r.ok || ++listed > kMaxListedFailures)
                continue;
            h += QStringLiteral("<tr><td class=\"num\">%1</td><td class=\"num\">%2</td><td>%3</td><td>%4</td></tr>\n")
                     .arg(r.run.index)
                     .arg(r.run.seed)
                     .arg(xmlEscape(pointText(plan, r.run.point)), xmlEscape(r.error));
        }
        h += QStringLiteral("</table>\n");
        if (failed > kMaxListedFailures)
            h += QStringLiteral("<p>… and %1 more: see sweep-runs.csv.</p>\n").arg(failed - kMaxListedFailures);
    }
    h += QStringLiteral("</section>\n");
    if (missing > 0)
        h += QStringLiteral("<p class=\"sub\">%1 of %2 runs have no result yet; run the sweep again (or its remaining "
                            "array tasks) and merge again.</p>\n")
                 .arg(missing)
                 .arg(planned);
    h += QStringLiteral("<p class=\"sub\">Generated by OTA Lab. Each run's report: runs/NNNNNN/report.html (NNNNNN = run index).</p>\n"
                        "</main>\n</body>\n</html>\n");
    return h;
}

Result<void> writeAtomically(const QString& path, const QString& text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return std::unexpected(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    file.write(text.toUtf8());
    if (!file.commit())
        return std::unexpected(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    return {};
}

} // namespace

Result<QStringList> writeSweepPlots(const SweepPlan& plan, const SweepTable& table, const std::vector<SweepPointSummary>& summary,
                                    const QString& sweepDir)
{
    if (!QDir().mkpath(sweepDir))
        return std::unexpected(Error{QStringLiteral("cannot create %1").arg(sweepDir), sweepDir, -1});
    const QDir dir(sweepDir);
    QStringList written;
    std::vector<HtmlPlot> plots;
    // File names by axis label; two axes with one label get the path's text instead.
    QStringList axisFileNames;
    for (int i = 0; i < plan.axes.size(); ++i)
        axisFileNames << fileSafe(axisName(plan, i));
    for (SweepMetric metric : defaultSweepPlotMetrics()) {
        const QString metricName = sweepMetricName(metric);
        for (int i = 0; i < plan.axes.size(); ++i) {
            const QString svg = sweepLinePlotSvg(plan, summary, i, metric);
            const QString path = dir.filePath(QStringLiteral("sweep-%1-vs-%2.svg").arg(metricName, axisFileNames[i]));
            if (auto w = writeAtomically(path, svg); !w)
                return std::unexpected(w.error());
            written << path;
            plots.push_back({lookOf(metric).title, svg});
        }
        if (plan.axes.size() >= 2) {
            const QString svg = sweepHeatMapSvg(plan, summary, 0, 1, metric);
            const QString path = dir.filePath(QStringLiteral("sweep-%1-heatmap.svg").arg(metricName));
            if (auto w = writeAtomically(path, svg); !w)
                return std::unexpected(w.error());
            written << path;
            plots.push_back({lookOf(metric).title, svg});
        }
    }
    const QString html = dir.filePath(QStringLiteral("sweep.html"));
    if (auto w = writeAtomically(html, sweepHtml(plan, table, summary, plots)); !w)
        return std::unexpected(w.error());
    written << html;
    return written;
}

} // namespace otalab::sim
