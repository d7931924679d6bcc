// SPDX-License-Identifier: Apache-2.0
#include "sim/report/fleetplots.h"

#include "sim/report/axisscale.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/svglanechart.h"

#include <QSet>

#include <algorithm>
#include <numeric>

namespace otalab::sim {

namespace {

// Distinct, mid-dark colours (white labels stay readable on them), in series order.
const QString kPalette[] = {
    QStringLiteral("#3b75af"), QStringLiteral("#e08a1e"), QStringLiteral("#2e8b57"), QStringLiteral("#8c6bb1"),
    QStringLiteral("#d1495b"), QStringLiteral("#5f7f8c"), QStringLiteral("#a0522d"), QStringLiteral("#1f9e9e"),
    QStringLiteral("#7a7a7a"), QStringLiteral("#b5651d"),
};

QString paletteColor(qsizetype index)
{
    return kPalette[std::size_t(index) % std::size(kPalette)];
}

QString fleetTitle(const QString& what, const FleetFiguresResult& f)
{
    return f.fleet.isEmpty() ? what : QStringLiteral("%1 — fleet %2").arg(what, f.fleet);
}

QString hours(double seconds)
{
    return QStringLiteral("%1 h").arg(seconds / 3600.0, 0, 'f', seconds < 360 ? 3 : 2);
}

} // namespace

QString campaignTimelineSvg(const RunResult& result, const FleetFiguresResult& figures)
{
    if (figures.timeline.empty())
        return {};
    QStringList lanes, labels;
    for (const TimelineSpan& t : figures.timeline) {
        if (!lanes.contains(t.lane))
            lanes << t.lane;
        if (!labels.contains(t.label))
            labels << t.label;
    }
    const QStringList shown = lanes.mid(0, kMaxTimelineLanes);
    const QSet<QString> shownSet(shown.begin(), shown.end());

    std::optional<double> lastFinal;
    for (const DeviceResult& d : result.devices) {
        if (d.fleet != figures.fleet)
            continue;
        for (const std::optional<double>& t : {d.finishS, d.failedAtS})
            if (t)
                lastFinal = std::max(lastFinal.value_or(*t), *t);
    }
    double first = figures.timeline.front().startS, last = 0;
    for (const TimelineSpan& t : figures.timeline) {
        first = std::min(first, t.startS);
        last = std::max(last, t.endS);
    }
    last = std::max(last, lastFinal.value_or(0.0));

    SvgLaneChart chart(fleetTitle(QStringLiteral("Campaign timeline"), figures), QStringLiteral("virtual time (h)"));
    QString subtitle = QStringLiteral("from %1 to %2").arg(formatDuration(first), formatDuration(last));
    if (lastFinal)
        subtitle += QStringLiteral(" · the last device reached its outcome at %1").arg(formatDuration(*lastFinal));
    if (lanes.size() > shown.size())
        subtitle += QStringLiteral(" · %1 more lanes in report.json").arg(lanes.size() - shown.size());
    chart.setSubtitle(subtitle);
    chart.setXRange(0, AxisScale::nice(0, last / 3600.0, 8).max);
    for (const TimelineSpan& t : figures.timeline) {
        if (!shownSet.contains(t.lane))
            continue;
        chart.addBar({t.lane, t.startS / 3600.0, t.endS / 3600.0, t.label, paletteColor(labels.indexOf(t.label)), t.label,
                      QStringLiteral("%1 · %2: %3 → %4 (%5)")
                          .arg(t.lane, t.label, hours(t.startS), hours(t.endS), formatDuration(t.endS - t.startS)),
                      false});
    }
    if (lastFinal)
        chart.addMarker({*lastFinal / 3600.0, QStringLiteral("last device final %1").arg(formatDuration(*lastFinal)),
                         QStringLiteral("#d1495b")});
    return chart.toSvg();
}

QString transmitBudgetSvg(const FleetFiguresResult& figures)
{
    if (figures.budgets.empty())
        return {};
    const auto total = [](const BudgetBar& b) {
        return std::accumulate(b.parts.begin(), b.parts.end(), 0.0, [](double s, const auto& p) { return s + p.second; });
    };
    std::vector<const BudgetBar*> bars;
    for (const BudgetBar& b : figures.budgets)
        bars.push_back(&b);
    const std::size_t all = bars.size();
    if (all > std::size_t(kMaxBudgetBars)) {
        std::stable_sort(bars.begin(), bars.end(), [&](const BudgetBar* a, const BudgetBar* b) { return total(*a) > total(*b); });
        bars.resize(std::size_t(kMaxBudgetBars));
    }
    QStringList parts;
    double busiest = 0;
    for (const BudgetBar* b : bars) {
        for (const auto& [name, share] : b->parts)
            if (!parts.contains(name))
                parts << name;
        busiest = std::max(busiest, total(*b));
    }

    SvgLaneChart chart(fleetTitle(QStringLiteral("Airtime against the duty-cycle budget"), figures),
                       QStringLiteral("share of the duty-cycle budget over the campaign (%)"));
    QString subtitle = QStringLiteral("100 % = the airtime the duty cycle allows over the campaign");
    if (all > bars.size())
        subtitle += QStringLiteral(" · the %1 busiest of %2 shown, %3 more in report.json").arg(bars.size()).arg(all).arg(all - bars.size());
    else
        subtitle += QStringLiteral(" · busiest %1 %").arg(busiest * 100.0, 0, 'f', 1);
    chart.setSubtitle(subtitle);
    chart.setXRange(0, busiest <= 1.0 ? 100.0 : AxisScale::nice(0, busiest * 100.0, 8).max);
    for (qsizetype i = 0; i < parts.size(); ++i)
        chart.addLegendEntry(parts[i], paletteColor(i));
    for (const BudgetBar* b : bars) {
        double x = 0;
        const double sum = total(*b);
        // Parts of no share are not drawn; the total goes after the last drawn part.
        std::size_t lastDrawn = 0;
        for (std::size_t k = 0; k < b->parts.size(); ++k)
            if (b->parts[k].second > 0)
                lastDrawn = k;
        for (std::size_t k = 0; k < b->parts.size(); ++k) {
            const auto& [name, share] = b->parts[k];
            const bool lastPart = k == lastDrawn;
            if (!(share > 0) && !lastPart)
                continue;
            chart.addBar({b->name, x * 100.0, (x + share) * 100.0, name, paletteColor(parts.indexOf(name)),
                          lastPart ? QStringLiteral("%1 %").arg(sum * 100.0, 0, 'f', 1) : QString(),
                          QStringLiteral("%1 · %2: %3 % of the budget").arg(b->name, name).arg(share * 100.0, 0, 'f', 2), lastPart});
            x += share;
        }
    }
    return chart.toSvg();
}

} // namespace otalab::sim
