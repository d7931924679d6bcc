// SPDX-License-Identifier: Apache-2.0
// Synthetic LoRaWAN fleets for the lab tests: a server, gateways with SF7…SF12 coverage
// rings and devices spread over a disc, described the way the lab receives them.
#pragma once

#include "lab/labtypes.h"

#include <QString>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace otalab::testing {

inline std::uint32_t loraMix(std::uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

// Node 0: the network/FUOTA server (role "server") a quarter radius south of the centre; nodes 1..gateways:
// gateways (role "gateway") on a circle of half the disc radius, each with six rings
// SF7…SF12 of `sf12ReachM` × {0.19, 0.29, 0.42, 0.59, 0.78, 1}; then `devices` campaign
// devices (role "device") uniformly in a disc of `radiusM`, each hanging from its nearest
// gateway. Machines: server machine id 40 (4 states), device machine id 41 (3 states).
inline app::LabTopology makeLoraFleet(std::size_t devices, int gateways, double radiusM, double sf12ReachM)
{
    app::LabTopology t;
    t.scenarioName = QStringLiteral("lorawan-synthetic");
    t.imageBytes = 65'536;
    app::LabFleetInfo fleet;
    fleet.name = QStringLiteral("city");
    fleet.family = QStringLiteral("lorawan");
    sim::MachineDescription server;
    server.id = 40;
    server.name = QStringLiteral("FUOTA server");
    server.states = {QStringLiteral("Group setup"), QStringLiteral("Fragmentation setup"), QStringLiteral("Multicast session"),
                     QStringLiteral("Fragment status")};
    server.phaseOfState = {sim::FleetPhase::Waiting, sim::FleetPhase::Waiting, sim::FleetPhase::Downloading,
                           sim::FleetPhase::Verifying};
    server.transitions = {{-1, 0}, {0, 1}, {1, 2}, {2, 3}};
    sim::MachineDescription device;
    device.id = 41;
    device.name = QStringLiteral("FUOTA device");
    device.states = {QStringLiteral("Class A"), QStringLiteral("Class C session"), QStringLiteral("Image complete")};
    device.phaseOfState = {sim::FleetPhase::Waiting, sim::FleetPhase::Downloading, sim::FleetPhase::Verifying};
    device.transitions = {{-1, 0}, {0, 1}, {1, 2}};
    fleet.machines = {server, device};
    t.fleets.push_back(fleet);

    app::LabNodeInfo s;
    s.node = 0;
    s.name = QStringLiteral("network server");
    s.role = QStringLiteral("server");
    s.yM = -radiusM / 4;
    t.nodes.push_back(s);
    const double sfShare[6] = {0.19, 0.29, 0.42, 0.59, 0.78, 1.0};
    for (int g = 0; g < gateways; ++g) {
        app::LabNodeInfo n;
        n.node = sim::NodeId(t.nodes.size());
        n.name = QStringLiteral("gw-%1").arg(g + 1);
        n.role = QStringLiteral("gateway");
        n.parent = 0;
        const double a = 2 * std::numbers::pi * g / std::max(gateways, 1);
        n.xM = gateways > 1 ? radiusM / 2 * std::cos(a) : 0.0;
        n.yM = gateways > 1 ? radiusM / 2 * std::sin(a) : 0.0;
        for (int sf = 0; sf < 6; ++sf)
            n.ranges.push_back({sf12ReachM * sfShare[sf], QStringLiteral("SF%1").arg(7 + sf)});
        t.nodes.push_back(n);
    }
    for (std::size_t d = 0; d < devices; ++d) {
        app::LabNodeInfo n;
        n.node = sim::NodeId(t.nodes.size());
        n.name = QStringLiteral("dev-%1").arg(d + 1, 6, 10, QLatin1Char('0'));
        n.role = QStringLiteral("device");
        n.hasClient = true;
        const double u = (loraMix(std::uint32_t(2 * d + 1)) % 1'000'000) / 1e6;
        const double v = (loraMix(std::uint32_t(2 * d + 2)) % 1'000'000) / 1e6;
        const double r = radiusM * std::sqrt(u), a = 2 * std::numbers::pi * v;
        n.xM = r * std::cos(a);
        n.yM = r * std::sin(a);
        double best = 1e300;
        for (int g = 0; g < gateways; ++g) {
            const app::LabNodeInfo& gw = t.nodes[std::size_t(1 + g)];
            const double dist = std::hypot(gw.xM - n.xM, gw.yM - n.yM);
            if (dist < best) {
                best = dist;
                n.parent = 1 + g;
            }
        }
        t.nodes.push_back(n);
    }
    return t;
}

} // namespace otalab::testing
