// SPDX-License-Identifier: Apache-2.0
#include "charts/chartscontroller.h"

#include "sim/report/fleetsummary.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

ChartsController::ChartsController()
    : m_lines{DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints), DecimatedSeries(kMaxPoints)},
      m_utilisation(kMaxPoints)
{
}

void ChartsController::reset(const LabTopology& topology)
{
    m_topology = topology;
    for (DecimatedSeries& s : m_lines)
        s.clear();
    m_utilisation.clear();
    m_samplesConsumed = 0;
    m_unit = {};
    m_timeAxisMax = 1;
    m_progressAxisMax = 1;
    m_utilAxisMax = 1;
    m_maxUtilPercent = 0;
    m_clients = int(std::count_if(topology.nodes.begin(), topology.nodes.end(), [](const LabNodeInfo& n) { return n.hasClient; }));
    ++m_seriesRevision;
    m_cdf = {};
    m_cdfPoints = {QPointF(0, 0)};
    m_cdfUnit = {};
    m_cdfAxisMax = 1;
    m_cdfSummary.clear();
    m_cdfUpgraded = -1;
    m_cdfClients = -1;
    ++m_cdfRevision;
    m_energy = {};
    m_energyTimeS = -1;
    m_energyEvents = ~std::uint64_t(0);
    m_energyNodes = 0;
    ++m_energyRevision;
}

void ChartsController::setEnergyMetric(EnergyMetric metric)
{
    if (metric == m_metric)
        return;
    m_metric = metric;
    m_energyTimeS = -1;  // recompute on the next update
}

bool ChartsController::update(const LabSnapshot& snapshot)
{
    if (snapshot.samples.size() < m_samplesConsumed)
        reset(m_topology);
    if (snapshot.clients > 0)
        m_clients = snapshot.clients;
    bool changed = false;
    const std::uint64_t before = m_seriesRevision;
    appendSamples(snapshot);
    changed |= m_seriesRevision != before;
    changed |= updateCdf(snapshot);
    changed |= updateEnergy(snapshot);
    return changed;
}

void ChartsController::appendSamples(const LabSnapshot& snapshot)
{
    const auto& samples = snapshot.samples;
    if (samples.size() == m_samplesConsumed)
        return;
    const double latestS = std::max(samples.back().timeS, 0.0);
    const sim::TimeUnit unit = sim::TimeUnit::forMaximum(latestS);
    if (unit.divisor != m_unit.divisor) {
        const double factor = m_unit.divisor / unit.divisor;
        for (DecimatedSeries& s : m_lines)
            s.scaleX(factor);
        m_utilisation.scaleX(factor);
        m_unit = unit;
    }
    int maxCount = 0;
    for (std::size_t i = m_samplesConsumed; i < samples.size(); ++i) {
        const sim::FleetSample& s = samples[i];
        const double x = s.timeS / m_unit.divisor;
        m_lines[std::size_t(Line::Upgraded)].append(QPointF(x, s.upgraded));
        m_lines[std::size_t(Line::Downloading)].append(QPointF(x, s.downloading));
        m_lines[std::size_t(Line::Failed)].append(QPointF(x, s.failed));
        // Air time summed over every transmitter: above 100 % when links far apart overlap.
        const double util = std::isfinite(s.channelUtilisation) ? std::max(s.channelUtilisation, 0.0) * 100.0 : 0.0;
        m_utilisation.append(QPointF(x, util));
        m_maxUtilPercent = std::max(m_maxUtilPercent, util);
        maxCount = std::max({maxCount, s.upgraded, s.downloading, s.failed});
    }
    m_samplesConsumed = samples.size();
    m_timeAxisMax = sim::AxisScale::nice(0, std::max(latestS / m_unit.divisor, 1e-9), 7).max;
    m_progressAxisMax = std::max({m_progressAxisMax, double(m_clients), double(maxCount), 1.0});
    m_utilAxisMax = sim::AxisScale::nice(0, std::max(m_maxUtilPercent, 1.0), 5).max;
    ++m_seriesRevision;
}

bool ChartsController::updateCdf(const LabSnapshot& snapshot)
{
    int upgraded = 0;
    for (const LabNodeStatus& n : snapshot.nodes)
        upgraded += n.state == LabNodeState::Upgraded;
    int clients = m_clients;
    if (clients <= 0)
        clients = int(std::count_if(snapshot.nodes.begin(), snapshot.nodes.end(),
                                    [](const LabNodeStatus& n) { return n.state != LabNodeState::Idle; }));
    const bool emptyAxisOutgrown = upgraded == 0 && snapshot.timeS / m_cdfUnit.divisor > m_cdfAxisMax;
    if (upgraded == m_cdfUpgraded && clients == m_cdfClients && !emptyAxisOutgrown)
        return false;
    m_cdfUpgraded = upgraded;
    m_cdfClients = clients;

    std::vector<double> times;
    times.reserve(std::size_t(upgraded));
    for (const LabNodeStatus& n : snapshot.nodes)
        if (n.state == LabNodeState::Upgraded)
            times.push_back(n.stateSinceS);
    m_cdf = completionCdf(times, clients, kMaxCdfSteps);
    // No completion yet: the axis spans the run so far, so the empty chart still reads right.
    const double spanS = m_cdf.completions > 0 ? m_cdf.lastCompletionS : std::max(snapshot.timeS, 0.0);
    m_cdfUnit = sim::TimeUnit::forMaximum(spanS);
    m_cdfPoints.clear();
    m_cdfPoints.reserve(m_cdf.points.size());
    for (const QPointF& p : m_cdf.points)
        m_cdfPoints.append(QPointF(p.x() / m_cdfUnit.divisor, p.y()));
    m_cdfAxisMax = sim::AxisScale::nice(0, std::max(spanS / m_cdfUnit.divisor, 1.0), 7).max;
    if (m_cdf.completions == 0) {
        m_cdfSummary = QStringLiteral("no device upgraded yet (0 of %1)").arg(m_cdf.total);
    } else {
        std::sort(times.begin(), times.end());
        m_cdfSummary = QStringLiteral("%1 of %2 upgraded · p50 %3 · p90 %4 · max %5")
                           .arg(m_cdf.completions).arg(m_cdf.total)
                           .arg(sim::formatDuration(nearestRank(times, 50)), sim::formatDuration(nearestRank(times, 90)),
                                sim::formatDuration(times.back()));
    }
    ++m_cdfRevision;
    return true;
}

bool ChartsController::updateEnergy(const LabSnapshot& snapshot)
{
    // Same instant, same event count, same node count: same energies (cheap skip while paused).
    if (snapshot.timeS == m_energyTimeS && snapshot.eventsExecuted == m_energyEvents && snapshot.nodes.size() == m_energyNodes)
        return false;
    m_energyTimeS = snapshot.timeS;
    m_energyEvents = snapshot.eventsExecuted;
    m_energyNodes = snapshot.nodes.size();
    EnergyChartModel model = buildEnergyChart(m_topology, snapshot, m_metric);
    if (model == m_energy)
        return false;
    m_energy = std::move(model);
    ++m_energyRevision;
    return true;
}

} // namespace otalab::app
