// SPDX-License-Identifier: Apache-2.0
// TopologyIndex: which short addresses a scenario's topology has, and their roles.
#pragma once

#include "sim/zigbee/noderole.h"
#include "sim/zigbee/topologygenerator.h"
#include "sim/zigbee/topologyspec.h"

#include <QHash>

#include <cstdint>
#include <optional>

namespace otalab::sim {

// Lets the loader check references (cuts, overrides, policies) without generating a
// topology. For a generated tree the roles follow GeneratedTopology's numbering
// (short address == NodeId: 0 coordinator, 1..routers routers, then ZEDs).
class TopologyIndex {
public:
    static TopologyIndex of(const GeneratedTopology& generated);
    static TopologyIndex of(const TopologySpec& spec);

    std::optional<NodeRole> roleOf(std::uint16_t shortAddress) const;
    std::uint64_t nodeCount() const { return m_nodeCount; }

private:
    bool m_generated = false;
    std::uint64_t m_nodeCount = 0;
    std::uint64_t m_routers = 0;        // generated only
    QHash<std::uint16_t, NodeRole> m_roles;  // explicit only
};

} // namespace otalab::sim
