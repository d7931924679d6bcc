// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/meshrouting.h"

#include <algorithm>

namespace otalab::sim {

void MeshRouting::setNeighbours(std::vector<std::uint16_t> neighbours)
{
    std::sort(neighbours.begin(), neighbours.end());
    neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
    m_neighbours = std::move(neighbours);
}

bool MeshRouting::isNeighbour(std::uint16_t shortAddress) const
{
    return std::binary_search(m_neighbours.begin(), m_neighbours.end(), shortAddress);
}

const MeshRouting::Route* MeshRouting::route(std::uint16_t dst) const
{
    const auto it = m_routes.find(dst);
    return it == m_routes.end() ? nullptr : &it->second;
}

MeshRouting::Discovery* MeshRouting::discovery(std::uint16_t originator, std::uint8_t requestId, SimTime now)
{
    const auto it = m_discoveries.find(key(originator, requestId));
    if (it == m_discoveries.end() || it->second.expiresAt <= now)
        return nullptr;
    return &it->second;
}

MeshRouting::Discovery& MeshRouting::addDiscovery(std::uint16_t originator, std::uint8_t requestId, Discovery entry)
{
    return m_discoveries[key(originator, requestId)] = entry;
}

void MeshRouting::expireDiscoveries(SimTime now)
{
    std::erase_if(m_discoveries, [now](const auto& kv) { return kv.second.expiresAt <= now; });
}

const MeshRouting::SourceRoute* MeshRouting::sourceRoute(std::uint16_t dst) const
{
    const auto it = m_sourceRoutes.find(dst);
    return it == m_sourceRoutes.end() ? nullptr : &it->second;
}

void MeshRouting::recordRoute(std::uint16_t src, std::span<const std::uint16_t> recordOrder)
{
    SourceRoute& r = m_sourceRoutes[src];
    r.relays.assign(recordOrder.begin(), recordOrder.end());
}

} // namespace otalab::sim
