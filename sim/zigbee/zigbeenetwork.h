// SPDX-License-Identifier: Apache-2.0
// ZigbeeNetwork: builds the Macs and ZigbeeNodes of a TopologySpec on one RadioChannel and owns them.
#pragma once

#include "core/common/error.h"
#include "sim/radio/macconfig.h"
#include "sim/zigbee/nwkconfig.h"
#include "sim/zigbee/nwksecurity.h"
#include "sim/zigbee/rejoin.h"
#include "sim/zigbee/topologyspec.h"
#include "sim/zigbee/treerouting.h"

#include <memory>
#include <vector>

namespace otalab::sim {

class Mac;
class NwkDropListener;
class RadioChannel;
class Simulator;
class ZigbeeNode;

// One PAN: node i of the topology gets NodeId i, a Mac with the spec's short address
// (macRxOnWhenIdle true for coordinator/routers, false for ZEDs; other MAC parameters
// from `macTemplate`) and a ZigbeeNode. Applications attach with
// node(i).setUpper(...); energy models with mac(i).setEnergy(...).
//
// Lifetime: the Simulator must be destroyed before the network (pending events
// reference the nodes), and the channel must outlive the network.
class ZigbeeNetwork final : public RejoinDirectory {
public:
    // RandomStream purpose of the initial poll offsets ('POLL').
    static constexpr std::uint32_t kRngPurposePoll = 0x504F4C4Cu;

    // Validates `topology` (errors as TopologySpec::validate()). Uses sim.seed(): set
    // it first. The channel must have no other MACs with these short addresses.
    static Result<std::unique_ptr<ZigbeeNetwork>> create(Simulator& sim, RadioChannel& channel,
                                                         const TopologySpec& topology, const NwkConfig& config = {},
                                                         const MacConfig& macTemplate = {});
    ~ZigbeeNetwork();
    ZigbeeNetwork(const ZigbeeNetwork&) = delete;
    ZigbeeNetwork& operator=(const ZigbeeNetwork&) = delete;

    // Starts every ZED polling, the first poll at a uniform offset in [0, pollInterval)
    // drawn from RandomStream(seed, node, 'POLL') so that ZEDs do not poll in lockstep.
    void start();
    // Explicit hearing along the tree: each node ↔ its parent only (siblings become
    // hidden terminals). Without it (or connect() calls of the caller) every node of
    // the channel hears every other.
    void connectTreeLinks();
    void setDropListener(NwkDropListener* listener);
    // Mesh routing (config.model.routing.mode == Mesh; called by start()): every router's
    // neighbour table from the channel's hearing graph, the concentrator started.
    void startMeshRouting();

    std::size_t size() const { return m_nodes.size(); }
    ZigbeeNode& node(NodeId id) { return *m_nodes[id]; }
    Mac& mac(NodeId id) { return *m_macs[id]; }
    // nullptr when no node has that short address.
    ZigbeeNode* findByShort(std::uint16_t shortAddress);
    const TreeRouting& routing() const { return m_routing; }
    const TopologySpec& topology() const { return m_topology; }
    const NwkConfig& config() const { return m_config; }

    // RejoinDirectory (installed on every node when config.model.rejoin.enabled).
    // Candidates: routers and the coordinator that hear `endDevice` on the channel and that
    // it hears, nearest first (topology positions; the beacon LQI a real active scan would
    // rank by falls with distance), then shallower, then lower short address.
    std::vector<std::uint16_t> rejoinCandidates(std::uint16_t endDevice, std::uint16_t exclude) const override;
    bool acceptRejoin(std::uint16_t endDevice, std::uint16_t router) override;
    ZigbeeNode* parentNode(std::uint16_t router) override { return findByShort(router); }

private:
    ZigbeeNetwork(Simulator& sim, RadioChannel& channel, const TopologySpec& topology, const NwkConfig& config);

    Simulator& m_sim;
    RadioChannel& m_channel;
    TopologySpec m_topology;
    NwkConfig m_config;
    TreeRouting m_routing;
    std::vector<std::unique_ptr<Mac>> m_macs;
    std::vector<std::unique_ptr<ZigbeeNode>> m_nodes;
    std::unique_ptr<ZigbeeFrameSealer> m_sealer; // Real NWK security: seals captured frames
};

} // namespace otalab::sim
