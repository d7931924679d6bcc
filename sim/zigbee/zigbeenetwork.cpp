// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/zigbeenetwork.h"

#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/zigbeenode.h"

#include <algorithm>

namespace otalab::sim {

ZigbeeNetwork::ZigbeeNetwork(Simulator& sim, RadioChannel& channel, const TopologySpec& topology,
                             const NwkConfig& config)
    : m_sim(sim)
    , m_channel(channel)
    , m_topology(topology)
    , m_config(config)
    , m_routing(m_topology)
{
    // Real NWK security: the security octets are carried in the frames (FrameBudget), and
    // captures seal them (FrameSealer on the channel's FrameRecords).
    m_config.budget = FrameBudget::forSecurity(config.budget, config.model.security);
    if (config.model.security.mode == NwkSecuritySettings::Mode::Real) {
        m_sealer = std::make_unique<ZigbeeFrameSealer>(config.model.security);
        channel.setFrameSealer(m_sealer.get());
    }
}

ZigbeeNetwork::~ZigbeeNetwork()
{
    if (m_sealer && m_channel.frameSealer() == m_sealer.get())
        m_channel.setFrameSealer(nullptr);
}

Result<std::unique_ptr<ZigbeeNetwork>> ZigbeeNetwork::create(Simulator& sim, RadioChannel& channel,
                                                             const TopologySpec& topology, const NwkConfig& config,
                                                             const MacConfig& macTemplate)
{
    if (Result<void> valid = topology.validate(); !valid)
        return fail(valid.error());
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        if (channel.nodeForShort(topology.nodes[i].shortAddress) != kNoNode)
            return fail(Error::at(-1, QStringLiteral("nodes[%1].shortAddress").arg(i),
                                  QStringLiteral("short address 0x%1 is already attached to the channel")
                                      .arg(topology.nodes[i].shortAddress, 4, 16, QLatin1Char('0'))));
    }
    std::unique_ptr<ZigbeeNetwork> net(new ZigbeeNetwork(sim, channel, topology, config));
    const std::size_t n = net->m_topology.nodes.size();
    net->m_macs.reserve(n);
    net->m_nodes.reserve(n);
    MacConfig macConfig = macTemplate;
    macConfig.panId = channel.config().panId;
    macConfig.addressFiltering = config.model.addressFiltering; // "network.addressFiltering"
    for (std::size_t i = 0; i < n; ++i) {
        const NodeSpec& spec = net->m_topology.nodes[i];
        macConfig.rxOnWhenIdle = spec.role != NodeRole::EndDevice;
        net->m_macs.push_back(std::make_unique<Mac>(sim, channel, static_cast<NodeId>(i), spec.shortAddress, macConfig));
        net->m_nodes.push_back(
            std::make_unique<ZigbeeNode>(sim, *net->m_macs.back(), spec.role, net->m_routing, net->m_config));
        if (net->m_config.model.rejoin.enabled)
            net->m_nodes.back()->setRejoinDirectory(net.get());
    }
    for (std::size_t i = 0; i < n; ++i) { // end devices know their parent's node (closed-form idle polls)
        const NodeSpec& spec = net->m_topology.nodes[i];
        if (spec.role == NodeRole::EndDevice && spec.parent >= 0 && static_cast<std::size_t>(spec.parent) < n)
            net->m_nodes[i]->setParentNode(net->m_nodes[static_cast<std::size_t>(spec.parent)].get());
    }
    return net;
}

void ZigbeeNetwork::start()
{
    if (m_config.model.routing.mode == MeshRoutingSettings::Mode::Mesh)
        startMeshRouting();
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        ZigbeeNode& node = *m_nodes[i];
        if (node.role() != NodeRole::EndDevice)
            continue;
        RandomStream rng(m_sim.seed(), static_cast<NodeId>(i), kRngPurposePoll);
        const std::int64_t period = std::max<std::int64_t>(1, node.pollInterval().nanos());
        node.startPolling(SimTime::fromNanos(static_cast<std::int64_t>(rng.uniformInt(static_cast<std::uint64_t>(period)))));
    }
}

void ZigbeeNetwork::connectTreeLinks()
{
    for (std::size_t i = 1; i < m_topology.nodes.size(); ++i)
        m_channel.connect(static_cast<NodeId>(i), static_cast<NodeId>(m_topology.nodes[i].parent));
}

void ZigbeeNetwork::startMeshRouting()
{
    // Neighbour tables from the channel's hearing graph: routers and the coordinator that
    // hear each other both ways (what link status exchanges would establish).
    std::vector<NodeId> routers;
    for (std::size_t i = 0; i < m_topology.nodes.size(); ++i)
        if (m_topology.nodes[i].role != NodeRole::EndDevice)
            routers.push_back(static_cast<NodeId>(i));
    for (const NodeId a : routers) {
        std::vector<std::uint16_t> neighbours;
        for (const NodeId b : routers)
            if (a != b && m_channel.hears(a, b) && m_channel.hears(b, a))
                neighbours.push_back(m_topology.nodes[b].shortAddress);
        m_nodes[a]->setMeshNeighbours(std::move(neighbours));
    }
    if (m_config.model.routing.manyToOne)
        m_nodes[0]->startConcentrator(); // node 0 is the coordinator (TopologySpec::validate)
}

void ZigbeeNetwork::setDropListener(NwkDropListener* listener)
{
    for (auto& node : m_nodes)
        node->setDropListener(listener);
}

std::vector<std::uint16_t> ZigbeeNetwork::rejoinCandidates(std::uint16_t endDevice, std::uint16_t exclude) const
{
    std::vector<std::uint16_t> out;
    const NodeId zed = m_routing.nodeOf(endDevice);
    if (zed == kNoNode)
        return out;
    struct Ranked {
        double distance2;
        std::uint32_t depth;
        std::uint16_t shortAddress;
    };
    std::vector<Ranked> ranked;
    const NodeSpec& self = m_topology.nodes[zed];
    for (std::size_t i = 0; i < m_topology.nodes.size(); ++i) {
        const NodeSpec& n = m_topology.nodes[i];
        if (n.role == NodeRole::EndDevice || n.shortAddress == exclude)
            continue;
        const auto id = static_cast<NodeId>(i);
        if (!m_channel.hears(zed, id) || !m_channel.hears(id, zed))
            continue;
        const double dx = n.x - self.x;
        const double dy = n.y - self.y;
        ranked.push_back(Ranked{dx * dx + dy * dy, m_routing.depthOf(n.shortAddress), n.shortAddress});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        if (a.distance2 != b.distance2)
            return a.distance2 < b.distance2;
        if (a.depth != b.depth)
            return a.depth < b.depth;
        return a.shortAddress < b.shortAddress;
    });
    out.reserve(ranked.size());
    for (const Ranked& r : ranked)
        out.push_back(r.shortAddress);
    return out;
}

bool ZigbeeNetwork::acceptRejoin(std::uint16_t endDevice, std::uint16_t router)
{
    if (m_routing.parentOf(endDevice) == router)
        return true; // a repeated request (the first response was lost)
    if (!m_routing.reparent(endDevice, router))
        return false;
    // The topology's parent index follows (connectTreeLinks, fault reports read it).
    const NodeId child = m_routing.nodeOf(endDevice);
    m_topology.nodes[child].parent = static_cast<std::int32_t>(m_routing.nodeOf(router));
    return true;
}

ZigbeeNode* ZigbeeNetwork::findByShort(std::uint16_t shortAddress)
{
    const NodeId id = m_routing.nodeOf(shortAddress);
    return id == kNoNode ? nullptr : m_nodes[id].get();
}

} // namespace otalab::sim
