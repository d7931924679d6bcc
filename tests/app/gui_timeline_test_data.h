// SPDX-License-Identifier: Apache-2.0
// Hand-built lab data for the timeline and event-log tests: a fleet that looks like a rollout.
#pragma once

#include "lab/labhistory.h"
#include "lab/labtypes.h"

#include <QRandomGenerator>

#include <algorithm>

namespace otalab::testing {

// Node 0 is the coordinator (no client), every 15th node a router without a client,
// the rest clients. Client i: Waiting from 0, Downloading from start(i), then Upgraded
// (or Failed every 23rd, Refused every 31st, stuck Downloading every 37th) ~20–40 min
// later, with retries visible as short Waiting gaps. Times are virtual seconds.
struct LabFleet {
    app::LabTopology topology;
    app::LabHistory history;
    double endS = 0;
};

inline void buildLabFleet(LabFleet& fleet, int nodes, double endS = 3.0 * 3600, quint32 seed = 7)
{
    using app::LabNodeState;
    QRandomGenerator rng(seed);
    fleet.topology = {};
    fleet.topology.scenarioName = QStringLiteral("test fleet");
    fleet.history.reset(std::size_t(nodes));
    fleet.endS = endS;
    app::LabHistoryDelta delta;
    for (int i = 0; i < nodes; ++i) {
        app::LabNodeInfo info;
        info.node = sim::NodeId(i);
        info.name = QStringLiteral("0x%1").arg(i == 0 ? 0 : 0x1000 + i * 7, 4, 16, QLatin1Char('0'));
        info.role = i == 0 ? QStringLiteral("coordinator") : i % 15 == 0 ? QStringLiteral("router") : QStringLiteral("end device");
        info.hasClient = i != 0 && i % 15 != 0;
        info.parent = i == 0 ? -1 : 0;
        fleet.topology.nodes.push_back(info);
        const auto node = sim::NodeId(i);
        if (!info.hasClient) {
            delta.transitions.push_back({0.0, node, LabNodeState::Idle});
            continue;
        }
        delta.transitions.push_back({0.0, node, LabNodeState::Waiting});
        if (i % 31 == 0) {
            delta.transitions.push_back({60.0 + rng.bounded(600), node, LabNodeState::Refused});
            continue;
        }
        double t = 30.0 + rng.bounded(int(endS / 3));
        delta.transitions.push_back({t, node, LabNodeState::Downloading});
        if (i % 37 == 0)
            continue;  // stuck downloading
        const double duration = 1200.0 + rng.bounded(1200);
        const double end = t + duration;
        // Two retry gaps.
        for (int gap = 1; gap <= 2; ++gap) {
            const double g = t + duration * gap / 3.0;
            delta.transitions.push_back({g, node, LabNodeState::Waiting});
            delta.transitions.push_back({g + 40.0, node, LabNodeState::Downloading});
        }
        if (i % 23 == 0) {
            delta.transitions.push_back({end, node, LabNodeState::Failed});
            continue;
        }
        delta.transitions.push_back({end, node, LabNodeState::WaitingToApply});
        delta.transitions.push_back({end + 60.0, node, LabNodeState::Upgraded});
    }
    std::stable_sort(delta.transitions.begin(), delta.transitions.end(),
                     [](const app::LabTransition& a, const app::LabTransition& b) { return a.timeS < b.timeS; });
    fleet.history.append(std::move(delta));
}

} // namespace otalab::testing
