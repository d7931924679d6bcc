// SPDX-License-Identifier: Apache-2.0
// Energy per device as bar-chart data: sorted bars for small fleets, a histogram for large ones.
#pragma once

#include "lab/labtypes.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace otalab::app {

enum class EnergyMetric : std::uint8_t {
    Update,  // LabNodeStatus::updateEnergyJ (since the download started)
    Total,   // LabNodeStatus::energyJ (since t = 0)
};

// Stacked bars, one bar set per display state present (colour = labNodeStateColor).
// Bars mode (≤ maxBars devices): one category per device (its name: "0x0003", "board-0017"), ascending by
// energy, values in `unit`. Histogram mode: categories are energy bins of nice width
// ("0.20–0.40"), values are device counts.
struct EnergyChartModel {
    bool histogram = false;
    int devices = 0;
    QStringList categories;
    std::vector<LabNodeState> states;     // one per bar set
    std::vector<QList<qreal>> values;     // values[set][category]
    QString unit = QStringLiteral("J");   // "J" or "mJ"
    QString xTitle, yTitle;
    double yMax = 1;                      // nice upper bound of the value axis
    double maxEnergyJ = 0;

    // Same categories and sets: a view may update values in place.
    bool sameShape(const EnergyChartModel& other) const
    {
        return histogram == other.histogram && categories == other.categories && states == other.states;
    }
    bool operator==(const EnergyChartModel& other) const = default;
};

// The devices are the nodes taking part in the campaign, of any family: LabNodeInfo::hasClient,
// or every node whose state is not Idle when the topology does not match the snapshot.
EnergyChartModel buildEnergyChart(const LabTopology& topology, const LabSnapshot& snapshot, EnergyMetric metric,
                                  int maxBars = 40, int targetBins = 12);

} // namespace otalab::app
