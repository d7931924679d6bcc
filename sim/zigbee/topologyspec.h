// SPDX-License-Identifier: Apache-2.0
// TopologySpec: an explicit Zigbee tree (roles, parents, short addresses, positions) as plain structs.
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/noderole.h"

#include <cstdint>
#include <vector>

namespace otalab::sim {

// One device of the tree. Its index in TopologySpec::nodes becomes its NodeId.
struct NodeSpec {
    NodeRole role = NodeRole::EndDevice;
    std::uint16_t shortAddress = 0; // NWK/MAC short address; coordinator 0x0000
    std::int32_t parent = -1;       // index of the parent node; -1 only for the coordinator
    double x = 0.0;                 // position in metres (for distance-based loss)
    double y = 0.0;
};

// The whole network, filled by hand, by generateTopology() or by the scenario loader.
// Valid (validate()) when:
//   * node 0 is the only coordinator and has short address 0x0000 and no parent;
//   * every other node's parent is a valid index of a coordinator or router (end
//     devices have no children), and following parents reaches node 0 (no cycles);
//   * short addresses are unique and none is a broadcast address (0xFFF8..0xFFFF).
struct TopologySpec {
    std::vector<NodeSpec> nodes;

    // Errors name the offending entry: field "nodes[i].parent" / ".shortAddress" / ".role".
    Result<void> validate() const;
};

} // namespace otalab::sim
