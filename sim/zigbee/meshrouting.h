// SPDX-License-Identifier: Apache-2.0
// MeshRouting: one router's routing table, route discovery table, neighbours and (concentrator) source routes.
#pragma once

#include "sim/kernel/simtime.h"

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

// The routing state of a router or the coordinator when NwkModelConfig::routing.mode is
// Mesh (Zigbee R22 3.6.3): plain tables, no I/O — ZigbeeNode sends the commands.
//
// * Neighbours: routers/coordinator this node hears and that hear it (from the channel's
//   hearing graph, ZigbeeNetwork::buildNeighbourTables). A unicast to a neighbour goes to
//   it directly, as EmberZNet does before any route lookup.
// * Routing table (3.6.3.2, Table 3-59): destination → next hop, path cost, many-to-one.
// * Route discovery table (Table 3-61): (originator, request id) → reverse hop, forward
//   cost, residual cost, expiry (nwkcRouteDiscoveryTime after creation).
// * Source routes (the concentrator's route record table): destination → relay list.
// Simulation thread only.
class MeshRouting {
public:
    // Link cost of every link (Zigbee R22 3.6.3.1): with nwkReportConstantCost TRUE a
    // device reports the constant 7 for every link instead of deriving it from the link's
    // delivery probability (min(7, round(1/p^4))); a path cost is thus 7 × hops.
    static constexpr std::uint8_t kConstantLinkCost = 7;
    // nwkcRouteDiscoveryTime (Zigbee R22 Table 3-57: 0x2710 ms): how long a route
    // discovery (and its discovery table entry) lives.
    static constexpr std::int64_t kRouteDiscoveryTimeMs = 10'000;

    struct Route {
        std::uint16_t nextHop = 0xFFFF;
        std::uint8_t pathCost = 0xFF;
        bool manyToOne = false; // learnt from a many-to-one route request (route to a concentrator)
    };
    struct Discovery {
        std::uint16_t reverseHop = 0xFFFF; // towards the originator (where the request came from)
        std::uint8_t forwardCost = 0xFF;   // originator → here
        std::uint8_t residualCost = 0xFF;  // here → destination (best reply so far)
        SimTime expiresAt;
    };
    struct SourceRoute {
        std::vector<std::uint16_t> relays; // [0] nearest to the destination (subframe order)
    };

    void setNeighbours(std::vector<std::uint16_t> neighbours);
    bool isNeighbour(std::uint16_t shortAddress) const;
    std::size_t neighbourCount() const { return m_neighbours.size(); }

    const Route* route(std::uint16_t dst) const;
    // Installs or replaces the route (a better or newer reply / request).
    void setRoute(std::uint16_t dst, Route route) { m_routes[dst] = route; }
    void removeRoute(std::uint16_t dst) { m_routes.erase(dst); }
    std::size_t routeCount() const { return m_routes.size(); }

    // nullptr when unknown or expired at `now`.
    Discovery* discovery(std::uint16_t originator, std::uint8_t requestId, SimTime now);
    Discovery& addDiscovery(std::uint16_t originator, std::uint8_t requestId, Discovery entry);
    // Drops expired discovery entries (ZigbeeNode calls it before adding one).
    void expireDiscoveries(SimTime now);

    const SourceRoute* sourceRoute(std::uint16_t dst) const;
    // From a route record of `src` (relays in record order: [0] nearest to `src`, which is
    // also the subframe order of a frame back to `src`).
    void recordRoute(std::uint16_t src, std::span<const std::uint16_t> recordOrder);
    std::size_t sourceRouteCount() const { return m_sourceRoutes.size(); }

    // Route request identifiers of this originator (3.4.1.3.2: incremented per request).
    std::uint8_t nextRequestId() { return ++m_requestId; }

    // A route record is due before the next data frame to the concentrator (set by each
    // many-to-one route request asking for records, cleared when one is sent).
    bool routeRecordDue = false;

private:
    static std::uint32_t key(std::uint16_t originator, std::uint8_t requestId)
    {
        return (std::uint32_t{originator} << 8) | requestId;
    }
    std::vector<std::uint16_t> m_neighbours; // sorted
    std::unordered_map<std::uint16_t, Route> m_routes;
    std::unordered_map<std::uint32_t, Discovery> m_discoveries;
    std::unordered_map<std::uint16_t, SourceRoute> m_sourceRoutes;
    std::uint8_t m_requestId = 0;
};

} // namespace otalab::sim
