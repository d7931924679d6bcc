// SPDX-License-Identifier: Apache-2.0
#include "charts/energychartmodel.h"

#include "sim/report/axisscale.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace otalab::app {

namespace {

struct Device {
    double energyJ = 0;
    LabNodeState state = LabNodeState::Idle;
    QString name;
};

std::vector<Device> campaignDevices(const LabTopology& topology, const LabSnapshot& snapshot, EnergyMetric metric)
{
    const bool topologyMatches = topology.nodes.size() == snapshot.nodes.size();
    std::vector<Device> devices;
    devices.reserve(snapshot.nodes.size());
    for (std::size_t i = 0; i < snapshot.nodes.size(); ++i) {
        const LabNodeStatus& s = snapshot.nodes[i];
        const bool inCampaign = topologyMatches ? topology.nodes[i].hasClient : s.state != LabNodeState::Idle;
        if (!inCampaign)
            continue;
        const double e = metric == EnergyMetric::Update ? s.updateEnergyJ : s.energyJ;
        devices.push_back({std::isfinite(e) ? std::max(0.0, e) : 0.0, s.state,
                           topologyMatches ? topology.nodes[i].name : QStringLiteral("#%1").arg(i)});
    }
    return devices;
}

} // namespace

EnergyChartModel buildEnergyChart(const LabTopology& topology, const LabSnapshot& snapshot, EnergyMetric metric,
                                  int maxBars, int targetBins)
{
    EnergyChartModel m;
    std::vector<Device> devices = campaignDevices(topology, snapshot, metric);
    m.devices = int(devices.size());
    for (const Device& d : devices)
        m.maxEnergyJ = std::max(m.maxEnergyJ, d.energyJ);
    const bool milli = m.maxEnergyJ < 1.0;
    const double toUnit = milli ? 1000.0 : 1.0;
    m.unit = milli ? QStringLiteral("mJ") : QStringLiteral("J");
    const QString quantity = metric == EnergyMetric::Update ? QStringLiteral("update energy") : QStringLiteral("energy since start");

    std::array<bool, kLabNodeStateCount> present{};
    for (const Device& d : devices)
        present[std::size_t(d.state)] = true;
    std::array<int, kLabNodeStateCount> setOf{};
    for (int s = 0; s < kLabNodeStateCount; ++s) {
        if (!present[std::size_t(s)])
            continue;
        setOf[std::size_t(s)] = int(m.states.size());
        m.states.push_back(LabNodeState(s));
    }

    m.histogram = m.devices > maxBars;
    if (!m.histogram) {
        std::stable_sort(devices.begin(), devices.end(), [](const Device& a, const Device& b) { return a.energyJ < b.energyJ; });
        m.values.assign(m.states.size(), QList<qreal>(devices.size(), 0.0));
        for (std::size_t i = 0; i < devices.size(); ++i) {
            m.categories.append(devices[i].name);
            m.values[std::size_t(setOf[std::size_t(devices[i].state)])][qsizetype(i)] = devices[i].energyJ * toUnit;
        }
        m.xTitle = QStringLiteral("device, sorted by %1").arg(quantity);
        m.yTitle = QStringLiteral("%1 (%2)").arg(quantity, m.unit);
        m.yMax = sim::AxisScale::nice(0, std::max(m.maxEnergyJ * toUnit, 1e-9), 6).max;
        return m;
    }

    const sim::AxisScale scale = sim::AxisScale::nice(0, std::max(m.maxEnergyJ * toUnit, 1e-9), targetBins + 1);
    const double width = scale.step;
    const int bins = std::max(1, int(std::ceil(m.maxEnergyJ * toUnit / width - 1e-9)));
    m.values.assign(m.states.size(), QList<qreal>(bins, 0.0));
    QList<qreal> totals(bins, 0.0);
    for (const Device& d : devices) {
        const int bin = std::clamp(int(std::floor(d.energyJ * toUnit / width)), 0, bins - 1);
        m.values[std::size_t(setOf[std::size_t(d.state)])][bin] += 1;
        totals[bin] += 1;
    }
    for (int b = 0; b < bins; ++b)
        m.categories.append(QStringLiteral("%1–%2").arg(scale.label(b * width), scale.label((b + 1) * width)));
    m.xTitle = QStringLiteral("%1 per device (%2), %3 devices").arg(quantity, m.unit).arg(m.devices);
    m.yTitle = QStringLiteral("devices");
    m.yMax = sim::AxisScale::nice(0, std::max(1.0, *std::max_element(totals.begin(), totals.end())), 6).max;
    return m;
}

} // namespace otalab::app
