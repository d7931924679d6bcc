// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportplots.h"

#include "sim/report/axisscale.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/svgchart.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

QString outcomeColor(DeviceOutcome o)
{
    switch (o) {
    case DeviceOutcome::Upgraded: return plotcolors::upgraded;
    case DeviceOutcome::Failed: return plotcolors::failed;
    case DeviceOutcome::Refused: return plotcolors::accent;
    default: return plotcolors::other;
    }
}

QString titled(const QString& what, const RunResult& r)
{
    return r.scenarioName.isEmpty() ? what : QStringLiteral("%1 — %2").arg(what, r.scenarioName);
}

} // namespace

QString completionCdfSvg(const RunResult& result)
{
    std::vector<double> times;
    for (const DeviceResult& d : result.devices)
        if (d.outcome == DeviceOutcome::Upgraded && d.finishS)
            times.push_back(*d.finishS);
    std::sort(times.begin(), times.end());
    const double total = double(std::max<std::size_t>(1, result.devices.size()));
    const double maxS = std::max(times.empty() ? 0.0 : times.back(), result.endTimeS > 0 && times.empty() ? result.endTimeS : 0.0);
    const TimeUnit unit = TimeUnit::forMaximum(maxS);

    SvgChart chart(titled(QStringLiteral("Completion time"), result), QStringLiteral("virtual time since start (%1)").arg(unit.unit),
                   QStringLiteral("devices upgraded (%)"));
    const FleetSummary s = summarizeRun(result);
    chart.setSubtitle(times.empty()
                          ? QStringLiteral("no device upgraded (%1 devices)").arg(result.devices.size())
                          : QStringLiteral("%1 of %2 devices upgraded · p50 %3 · p95 %4 · max %5")
                                .arg(times.size()).arg(result.devices.size())
                                .arg(formatDuration(*s.p50), formatDuration(*s.p95), formatDuration(*s.max)));
    chart.setYRange(0, 100);
    chart.setEmptyText(QStringLiteral("no device upgraded"));
    if (!times.empty()) {
        SvgChart::Line line{QStringLiteral("upgraded"), plotcolors::upgraded, {}, true, true};
        line.points.emplace_back(0.0, 0.0);
        for (std::size_t i = 0; i < times.size(); ++i)
            line.points.emplace_back(times[i] / unit.divisor, 100.0 * double(i + 1) / total);
        chart.setXRange(0, AxisScale::nice(0, times.back() / unit.divisor, 8).max);
        chart.addLine(std::move(line));
        chart.addMarker({*s.p50 / unit.divisor, QStringLiteral("p50 %1").arg(formatDuration(*s.p50)), plotcolors::downloading});
        chart.addMarker({*s.p95 / unit.divisor, QStringLiteral("p95 %1").arg(formatDuration(*s.p95)), plotcolors::accent});
    }
    return chart.toSvg();
}

QString progressSvg(const RunResult& result)
{
    double maxS = result.endTimeS;
    for (const FleetSample& f : result.progress)
        maxS = std::max(maxS, f.timeS);
    const TimeUnit unit = TimeUnit::forMaximum(maxS);
    SvgChart chart(titled(QStringLiteral("Fleet progress"), result), QStringLiteral("virtual time (%1)").arg(unit.unit),
                   QStringLiteral("devices"));
    const FleetSummary s = summarizeRun(result);
    chart.setSubtitle(QStringLiteral("%1 devices · %2 upgraded, %3 failed · stopped at %4 (%5)")
                          .arg(s.devices).arg(s.count(DeviceOutcome::Upgraded)).arg(s.count(DeviceOutcome::Failed))
                          .arg(formatDuration(result.endTimeS), result.stopReason));
    chart.setEmptyText(QStringLiteral("no fleet samples"));
    if (!result.progress.empty()) {
        SvgChart::Line up{QStringLiteral("upgraded"), plotcolors::upgraded, {}, false, true};
        SvgChart::Line down{QStringLiteral("downloading"), plotcolors::downloading, {}, false, false};
        SvgChart::Line failed{QStringLiteral("failed"), plotcolors::failed, {}, false, false};
        for (const FleetSample& f : result.progress) {
            const double x = f.timeS / unit.divisor;
            up.points.emplace_back(x, f.upgraded);
            down.points.emplace_back(x, f.downloading);
            failed.points.emplace_back(x, f.failed);
        }
        chart.setXRange(0, AxisScale::nice(0, maxS / unit.divisor, 8).max);
        chart.setYRange(0, AxisScale::nice(0, std::max(1, s.devices), 6).max);
        chart.addLine(std::move(up));
        chart.addLine(std::move(down));
        chart.addLine(std::move(failed));
    }
    return chart.toSvg();
}

QString energySvg(const RunResult& result)
{
    const FleetSummary s = summarizeRun(result);
    const bool milli = s.updateEnergyJ.max < 1.0;
    const double scale = milli ? 1000.0 : 1.0;
    const QString unit = milli ? QStringLiteral("mJ") : QStringLiteral("J");
    const QString battery = result.batteryName.isEmpty() ? QStringLiteral("the battery") : result.batteryName;

    std::vector<const DeviceResult*> sorted;
    for (const DeviceResult& d : result.devices)
        sorted.push_back(&d);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->updateEnergyJ < b->updateEnergyJ; });

    const bool bars = sorted.size() <= 150;
    SvgChart chart(titled(QStringLiteral("Update energy per device"), result),
                   bars ? QStringLiteral("devices, sorted by update energy") : QStringLiteral("update energy per device (%1)").arg(unit),
                   bars ? QStringLiteral("update energy (%1)").arg(unit) : QStringLiteral("devices"));
    chart.setSubtitle(QStringLiteral("mean %1 %2 (%3 mAh, %4 % of %5) · max %6 %2 (%7 mAh, %8 %)")
                          .arg(s.updateEnergyJ.mean * scale, 0, 'g', 4).arg(unit)
                          .arg(s.updateChargeMah.mean, 0, 'g', 3).arg(s.batteryShare.mean * 100.0, 0, 'g', 3).arg(battery)
                          .arg(s.updateEnergyJ.max * scale, 0, 'g', 4)
                          .arg(s.updateChargeMah.max, 0, 'g', 3).arg(s.batteryShare.max * 100.0, 0, 'g', 3));
    chart.setEmptyText(QStringLiteral("no devices"));
    if (sorted.empty())
        return chart.toSvg();

    std::vector<SvgChart::Bar> out;
    if (bars) {
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            const DeviceResult& d = *sorted[i];
            out.push_back({double(i) + 0.12, double(i) + 0.88, d.updateEnergyJ * scale, outcomeColor(d.outcome),
                           QStringLiteral("%1 %2: %3 %4").arg(d.name, deviceOutcomeName(d.outcome)).arg(d.updateEnergyJ * scale, 0, 'g', 4).arg(unit)});
        }
        chart.setXRange(0, double(sorted.size()));
        chart.addBars(std::move(out), QStringLiteral("devices"));
        for (const DeviceOutcome o : kAllDeviceOutcomes)
            if (s.count(o) > 0)
                chart.addLegendEntry(deviceOutcomeName(o), outcomeColor(o));
    } else {
        constexpr int kBins = 40;
        const double lo = sorted.front()->updateEnergyJ * scale;
        const double hi = sorted.back()->updateEnergyJ * scale;
        const AxisScale axis = AxisScale::nice(lo, hi > lo ? hi : lo + 1, 8);
        const double width = (axis.max - axis.min) / kBins;
        std::vector<int> counts(kBins, 0);
        for (const DeviceResult* d : sorted)
            ++counts[std::size_t(std::clamp(int((d->updateEnergyJ * scale - axis.min) / width), 0, kBins - 1))];
        for (int b = 0; b < kBins; ++b)
            out.push_back({axis.min + b * width + width * 0.06, axis.min + (b + 1) * width - width * 0.06, double(counts[std::size_t(b)]),
                           plotcolors::downloading,
                           QStringLiteral("%1–%2 %3: %4 devices").arg(axis.min + b * width, 0, 'g', 4).arg(axis.min + (b + 1) * width, 0, 'g', 4)
                               .arg(unit).arg(counts[std::size_t(b)])});
        chart.setXRange(axis.min, axis.max);
        chart.addBars(std::move(out), QStringLiteral("histogram"));
        chart.addMarker({s.updateEnergyJ.mean * scale, QStringLiteral("mean %1 %2").arg(s.updateEnergyJ.mean * scale, 0, 'g', 4).arg(unit),
                         plotcolors::accent});
    }
    return chart.toSvg();
}

} // namespace otalab::sim
