// SPDX-License-Identifier: Apache-2.0
// TopologyGenerator: builds a TopologySpec for N routers in a tree with M sleepy end devices each.
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/topologyspec.h"

#include <cstdint>

namespace otalab::sim {

enum class Placement : std::uint8_t {
    Grid,   // routers on a square grid `spacingM` apart, BFS order, row by row;
            // the coordinator at the origin; ZEDs on a circle of `zedRadiusM` around their parent
    Random, // every node uniform in [0, areaWidthM) × [0, areaHeightM) (coordinator included)
};

// Parameters of a generated tree. Node order (= NodeId): coordinator 0, routers
// 1..routers in breadth-first order, then the ZEDs grouped by parent (coordinator's
// first, then router 1's, ...). Short addresses are NodeId values (0x0000, 0x0001, ...):
// sequential instead of Cskip or stochastic addressing, since routing uses the explicit
// parent map, not address arithmetic.
struct GeneratedTopology {
    std::uint32_t routers = 1;
    // Children-routers per parent: the coordinator and each router get up to
    // `branching` routers (router k, 1-based, hangs off k <= branching ? coordinator
    // : router (k − 1) / branching).
    std::uint32_t branching = 2;
    std::uint32_t zedsPerRouter = 5;
    std::uint32_t zedsOnCoordinator = 0;
    Placement placement = Placement::Grid;
    double spacingM = 10.0;  // Grid: distance between neighbouring routers
    double zedRadiusM = 3.0; // Grid: distance of a ZED from its parent
    double areaWidthM = 100.0;  // Random
    double areaHeightM = 100.0; // Random
    std::uint64_t seed = 1;     // Random placement stream (RandomStream(seed, node, 'TOPO'))

    // Errors: branching 0 with routers > 0, or more than 0xFFF7 nodes (field
    // "topology.*").
    Result<TopologySpec> generate() const;
};

} // namespace otalab::sim
