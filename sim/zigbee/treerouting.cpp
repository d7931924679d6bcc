// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/treerouting.h"

#include <algorithm>

namespace otalab::sim {

TreeRouting::TreeRouting(const TopologySpec& topology)
    : m_index(0x10000, -1)
{
    m_nodes.reserve(topology.nodes.size());
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        const NodeSpec& n = topology.nodes[i];
        m_nodes.push_back(Entry{n.shortAddress, n.parent, n.role, 0});
        m_index[n.shortAddress] = static_cast<std::int32_t>(i);
    }
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        std::uint32_t depth = 0;
        for (std::int32_t cur = m_nodes[i].parent; cur >= 0 && depth <= m_nodes.size(); cur = m_nodes[static_cast<std::size_t>(cur)].parent)
            ++depth;
        m_nodes[i].depth = depth;
    }
}

std::optional<std::uint16_t> TreeRouting::nextHop(std::uint16_t fromShort, std::uint16_t dstShort) const
{
    const std::int32_t from = m_index[fromShort];
    const std::int32_t dst = m_index[dstShort];
    if (from < 0 || dst < 0 || from == dst)
        return std::nullopt;
    // Walk up from the destination: if `from` is an ancestor, the node just below it
    // on that chain is the next hop. Depth bounds the walk.
    for (std::int32_t cur = dst; cur >= 0;) {
        const std::int32_t parent = m_nodes[static_cast<std::size_t>(cur)].parent;
        if (parent == from)
            return m_nodes[static_cast<std::size_t>(cur)].shortAddress;
        if (m_nodes[static_cast<std::size_t>(cur)].depth <= m_nodes[static_cast<std::size_t>(from)].depth)
            break; // climbed to from's depth without meeting it: not a descendant
        cur = parent;
    }
    const std::int32_t up = m_nodes[static_cast<std::size_t>(from)].parent;
    if (up < 0)
        return std::nullopt; // coordinator: every known node is a descendant; unreachable
    return m_nodes[static_cast<std::size_t>(up)].shortAddress;
}

std::optional<std::uint16_t> TreeRouting::reparent(std::uint16_t child, std::uint16_t newParent)
{
    const std::int32_t c = m_index[child];
    const std::int32_t p = m_index[newParent];
    if (c < 0 || p < 0 || c == p)
        return std::nullopt;
    Entry& e = m_nodes[static_cast<std::size_t>(c)];
    if (e.parent < 0 || m_nodes[static_cast<std::size_t>(p)].role == NodeRole::EndDevice)
        return std::nullopt;
    // Only leaves move (a rejoining end device), so no other node's depth changes.
    if (std::any_of(m_nodes.begin(), m_nodes.end(), [c](const Entry& n) { return n.parent == c; }))
        return std::nullopt;
    const std::uint16_t old = m_nodes[static_cast<std::size_t>(e.parent)].shortAddress;
    e.parent = p;
    e.depth = m_nodes[static_cast<std::size_t>(p)].depth + 1;
    return old;
}

NodeId TreeRouting::nodeOf(std::uint16_t shortAddress) const
{
    const std::int32_t i = m_index[shortAddress];
    return i < 0 ? kNoNode : static_cast<NodeId>(i);
}

NodeRole TreeRouting::roleOf(std::uint16_t shortAddress) const
{
    const std::int32_t i = m_index[shortAddress];
    return i < 0 ? NodeRole::EndDevice : m_nodes[static_cast<std::size_t>(i)].role;
}

std::optional<std::uint16_t> TreeRouting::parentOf(std::uint16_t shortAddress) const
{
    const std::int32_t i = m_index[shortAddress];
    if (i < 0 || m_nodes[static_cast<std::size_t>(i)].parent < 0)
        return std::nullopt;
    return m_nodes[static_cast<std::size_t>(m_nodes[static_cast<std::size_t>(i)].parent)].shortAddress;
}

std::uint32_t TreeRouting::depthOf(std::uint16_t shortAddress) const
{
    const std::int32_t i = m_index[shortAddress];
    return i < 0 ? 0 : m_nodes[static_cast<std::size_t>(i)].depth;
}

} // namespace otalab::sim
