// SPDX-License-Identifier: Apache-2.0
// ChartsController: LabSnapshots → the view models of the four lab charts.
#pragma once

#include "charts/completioncdf.h"
#include "charts/decimatedseries.h"
#include "charts/energychartmodel.h"
#include "lab/labtypes.h"
#include "sim/report/axisscale.h"

#include <array>
#include <cstdint>

namespace otalab::app {

// GUI thread (or any single thread: no Qt objects). Feed it the session's snapshots in
// order; it consumes only the fleet samples it has not seen yet (LabSnapshot::samples
// holds all of them) and keeps every time series at ≤ kMaxPoints points. Each chart
// has a revision that changes only when its data changed, so a view can skip work.
class ChartsController {
public:
    static constexpr int kMaxPoints = 2000;  // per line series
    static constexpr int kMaxCdfSteps = 1000; // CDF: ≤ 2 × this + 1 points

    enum class Line : std::uint8_t { Upgraded, Downloading, Failed };
    static constexpr int kLineCount = 3;

    ChartsController();

    // A new run: forget every series; `topology` names the devices in the campaign (energy chart).
    void reset(const LabTopology& topology);
    // Returns true when any chart changed. A snapshot with fewer samples than already
    // consumed (another run without reset()) starts over.
    bool update(const LabSnapshot& snapshot);

    void setEnergyMetric(EnergyMetric metric);
    EnergyMetric energyMetric() const { return m_metric; }

    // --- Fleet progress and channel utilisation (x in timeUnit(), shared axis range) ---
    const DecimatedSeries& progress(Line line) const { return m_lines[std::size_t(line)]; }
    const DecimatedSeries& utilisation() const { return m_utilisation; }  // y in percent
    const sim::TimeUnit& timeUnit() const { return m_unit; }
    double timeAxisMax() const { return m_timeAxisMax; }        // in timeUnit()
    double progressAxisMax() const { return m_progressAxisMax; } // devices
    double utilisationAxisMax() const { return m_utilAxisMax; }  // percent
    int clients() const { return m_clients; }  // devices in the campaign (any family)
    std::uint64_t seriesRevision() const { return m_seriesRevision; }

    // --- Completion-time CDF (x in cdfUnit(), y percent of the devices in the campaign) ---
    // Completion time of a device = LabNodeStatus::stateSinceS while its state is Upgraded
    // (the virtual time of its Upgraded transition).
    const QList<QPointF>& cdfPoints() const { return m_cdfPoints; }
    const sim::TimeUnit& cdfUnit() const { return m_cdfUnit; }
    double cdfAxisMax() const { return m_cdfAxisMax; }
    double upgradedPercent() const { return m_cdf.finalPercent(); }
    QString cdfSummary() const { return m_cdfSummary; }   // "3 of 5 upgraded · p50 … · p90 … · max …"
    std::uint64_t cdfRevision() const { return m_cdfRevision; }

    // --- Energy per device ---
    const EnergyChartModel& energy() const { return m_energy; }
    std::uint64_t energyRevision() const { return m_energyRevision; }

private:
    void appendSamples(const LabSnapshot& snapshot);
    bool updateCdf(const LabSnapshot& snapshot);
    bool updateEnergy(const LabSnapshot& snapshot);

    LabTopology m_topology;
    EnergyMetric m_metric = EnergyMetric::Update;
    std::array<DecimatedSeries, kLineCount> m_lines;
    DecimatedSeries m_utilisation;
    std::size_t m_samplesConsumed = 0;
    sim::TimeUnit m_unit;
    double m_timeAxisMax = 1;
    double m_progressAxisMax = 1;
    double m_utilAxisMax = 1;
    double m_maxUtilPercent = 0;
    int m_clients = 0;
    std::uint64_t m_seriesRevision = 0;

    CdfCurve m_cdf;
    QList<QPointF> m_cdfPoints;
    sim::TimeUnit m_cdfUnit;
    double m_cdfAxisMax = 1;
    QString m_cdfSummary;
    int m_cdfUpgraded = -1;
    int m_cdfClients = -1;
    std::uint64_t m_cdfRevision = 0;

    EnergyChartModel m_energy;
    double m_energyTimeS = -1;
    std::uint64_t m_energyEvents = ~std::uint64_t(0);
    std::size_t m_energyNodes = 0;
    std::uint64_t m_energyRevision = 0;
};

} // namespace otalab::app
