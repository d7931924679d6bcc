// SPDX-License-Identifier: Apache-2.0
#include "sim/report/fleetsummary.h"

#include "sim/energy/battery.h"

#include <QRegularExpression>

#include <algorithm>

namespace otalab::sim {

namespace {

template <typename Get>
MeanMax meanMax(const std::vector<DeviceResult>& devices, Get get)
{
    MeanMax m;
    if (devices.empty())
        return m;
    double sum = 0;
    m.max = get(devices.front());
    for (const DeviceResult& d : devices) {
        const double v = get(d);
        sum += v;
        m.max = std::max(m.max, v);
    }
    m.mean = sum / double(devices.size());
    return m;
}

std::optional<Battery> batteryFromName(const QString& name)
{
    if (auto b = Battery::byName(name.trimmed()))
        return b;
    const QString head = name.section(QLatin1Char('('), 0, 0).trimmed();
    if (auto b = Battery::byName(head))
        return b;
    static const QRegularExpression mah(QStringLiteral("([0-9]+(?:\\.[0-9]+)?)\\s*mAh"),
                                        QRegularExpression::CaseInsensitiveOption);
    const auto match = mah.match(name);
    if (match.hasMatch())
        return Battery{head, match.captured(1).toDouble(), 3.0};
    return std::nullopt;
}

} // namespace

FleetSummary summarizeRun(const RunResult& result)
{
    FleetSummary s;
    s.devices = int(result.devices.size());
    for (const DeviceOutcome o : kAllDeviceOutcomes)
        s.outcomes[std::size_t(o)] = result.count(o);
    s.p50 = result.completionPercentile(50);
    s.p90 = result.completionPercentile(90);
    s.p95 = result.completionPercentile(95);
    s.p99 = result.completionPercentile(99);
    s.max = result.completionPercentile(100);

    if (result.batteryCapacityMah > 0 && result.batteryVoltageV > 0) {
        s.batteryVoltageV = result.batteryVoltageV;
        s.batteryCapacityMah = result.batteryCapacityMah;
    } else if (const auto battery = batteryFromName(result.batteryName)) {
        s.batteryVoltageV = battery->nominalVoltageV > 0 ? battery->nominalVoltageV : 3.0;
        s.batteryCapacityMah = battery->capacityMilliampHours;
    }
    const double v = s.batteryVoltageV;
    s.energyJ = meanMax(result.devices, [](const DeviceResult& d) { return d.energyJ; });
    s.updateEnergyJ = meanMax(result.devices, [](const DeviceResult& d) { return d.updateEnergyJ; });
    s.updateChargeMah = meanMax(result.devices, [v](const DeviceResult& d) { return d.updateEnergyJ / (3.6 * v); });
    s.batteryShare = meanMax(result.devices, [](const DeviceResult& d) { return d.batteryShare; });
    return s;
}

QString formatDuration(double seconds)
{
    if (seconds >= 3 * 3600.0)
        return QStringLiteral("%1 h").arg(seconds / 3600.0, 0, 'f', 2);
    if (seconds >= 180.0)
        return QStringLiteral("%1 min").arg(seconds / 60.0, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
}

} // namespace otalab::sim
