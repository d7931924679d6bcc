// SPDX-License-Identifier: Apache-2.0
// TreeRouting: next hop along an explicit parent/child tree (up to the common ancestor, then down).
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/zigbee/noderole.h"
#include "sim/zigbee/topologyspec.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// Tree routing without Cskip address arithmetic (Zigbee R22 3.6.3.3.1 routes along
// the tree by address ranges; here the parent map of a validated TopologySpec stands
// in for them): a frame for a descendant goes down to the child whose subtree holds
// the destination, anything else goes up to the parent. Shared by every node of a
// network; the parent map changes only through reparent() (a sleepy end device that
// rejoined another parent, NwkModelConfig::rejoin), between events.
class TreeRouting {
public:
    // `topology` must be valid (TopologySpec::validate()).
    explicit TreeRouting(const TopologySpec& topology);

    // Next hop from `fromShort` towards `dstShort`; nullopt when either address is
    // unknown or they are equal. O(depth of dst).
    std::optional<std::uint16_t> nextHop(std::uint16_t fromShort, std::uint16_t dstShort) const;

    bool contains(std::uint16_t shortAddress) const { return m_index[shortAddress] >= 0; }
    // NodeId of a known short address (kNoNode if unknown).
    NodeId nodeOf(std::uint16_t shortAddress) const;
    NodeRole roleOf(std::uint16_t shortAddress) const;
    // Parent's short address; nullopt for the coordinator or an unknown address.
    std::optional<std::uint16_t> parentOf(std::uint16_t shortAddress) const;
    // Hops from the coordinator (0 for the coordinator itself).
    std::uint32_t depthOf(std::uint16_t shortAddress) const;
    std::size_t size() const { return m_nodes.size(); }

    // `child` (an end device: no descendants) now has `newParent` (a router or the
    // coordinator) as parent; its depth follows. Returns the previous parent, or
    // nullopt (nothing changed) when either address is unknown, the child is the
    // coordinator, has children, or the new parent is an end device.
    std::optional<std::uint16_t> reparent(std::uint16_t child, std::uint16_t newParent);

private:
    struct Entry {
        std::uint16_t shortAddress;
        std::int32_t parent;
        NodeRole role;
        std::uint32_t depth;
    };
    std::vector<Entry> m_nodes;        // by NodeId
    std::vector<std::int32_t> m_index; // short address → NodeId, -1 unknown (65536 entries)
};

} // namespace otalab::sim
