// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/topologyindex.h"

namespace otalab::sim {

TopologyIndex TopologyIndex::of(const GeneratedTopology& g)
{
    TopologyIndex index;
    index.m_generated = true;
    index.m_routers = g.routers;
    index.m_nodeCount = 1 + std::uint64_t(g.routers) + std::uint64_t(g.routers) * g.zedsPerRouter + g.zedsOnCoordinator;
    return index;
}

TopologyIndex TopologyIndex::of(const TopologySpec& spec)
{
    TopologyIndex index;
    index.m_nodeCount = spec.nodes.size();
    for (const NodeSpec& n : spec.nodes)
        index.m_roles.insert(n.shortAddress, n.role);
    return index;
}

std::optional<NodeRole> TopologyIndex::roleOf(std::uint16_t shortAddress) const
{
    if (!m_generated) {
        const auto it = m_roles.constFind(shortAddress);
        return it == m_roles.constEnd() ? std::nullopt : std::optional<NodeRole>(*it);
    }
    if (shortAddress >= m_nodeCount)
        return std::nullopt;
    if (shortAddress == 0)
        return NodeRole::Coordinator;
    return shortAddress <= m_routers ? NodeRole::Router : NodeRole::EndDevice;
}

} // namespace otalab::sim
