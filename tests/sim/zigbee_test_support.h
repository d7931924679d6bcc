// SPDX-License-Identifier: Apache-2.0
// Test helpers for the Zigbee NWK/APS model: a recording application, a drop log, the
// reference chain topology and ZigbeeTestNet (simulator + channel + network + one
// RecordingApp per node), the rig the small-network tests build on.
#pragma once

#include "radio_test_support.h"

#include "sim/channel/linklossmodel.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/apsupper.h"
#include "sim/zigbee/nwkdropreason.h"
#include "sim/zigbee/otahostbase.h"
#include "sim/zigbee/topologyspec.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"
#include "sim/zigbee/zigbeeoutageloss.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace otalab::sim::test {

// The OTA Upgrade cluster, as the model sends it.
constexpr std::uint16_t kOtaCluster = kOtaClusterId;

inline SimTime ms(std::int64_t v)
{
    return SimTime::fromMillis(v);
}

// Records APS completions and indications; optionally echoes every unicast back.
class RecordingApp final : public ApsUpper {
public:
    struct Received {
        SimTime time;
        std::uint16_t src;
        std::uint16_t dst;
        std::uint8_t endpoint;
        std::uint16_t cluster;
        std::uint8_t radius;
        std::vector<std::uint8_t> payload;
    };
    struct Completed {
        SimTime time;
        ApsSendResult result;
    };

    void onApsSendComplete(Simulator& sim, const ApsSendResult& result) override
    {
        completed.push_back({sim.now(), result});
    }
    void onApsReceive(Simulator& sim, const ApsIndication& ind) override
    {
        received.push_back({sim.now(), ind.srcShort, ind.dstShort, ind.dstEndpoint, ind.clusterId, ind.radius,
                            {ind.payload.begin(), ind.payload.end()}});
        if (echoVia && !isNwkBroadcast(ind.dstShort))
            static_cast<void>(echoVia->sendAps(ind.srcShort, ind.srcEndpoint, ind.clusterId, ind.payload));
    }

    ZigbeeNode* echoVia = nullptr;
    std::vector<Received> received;
    std::vector<Completed> completed;
};

class DropLog final : public NwkDropListener {
public:
    void onNwkDrop(Simulator&, const NwkDrop& drop) override { drops.push_back(drop); }
    std::vector<NwkDrop> drops;
};

// The first `nodes` (1..7) entries of the reference chain:
// 0 coordinator 0x0000 ─ 1 router 0x0001 ─ 2 router 0x0002 ─ 3 ZED 0x0003
//                      │                                   └ 4 ZED 0x0004
//                      └ 5 ZED 0x0005 (child of the coordinator)
//                        6 ZED 0x0006 (child of router 1)
inline TopologySpec chainTopology(std::size_t nodes = 7)
{
    TopologySpec t;
    t.nodes = {
        {NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::Router, 0x0001, 0, 10, 0},
        {NodeRole::Router, 0x0002, 1, 20, 0},      {NodeRole::EndDevice, 0x0003, 2, 22, 0},
        {NodeRole::EndDevice, 0x0004, 2, 20, 2},   {NodeRole::EndDevice, 0x0005, 0, 0, 2},
        {NodeRole::EndDevice, 0x0006, 1, 10, 2},
    };
    if (nodes < t.nodes.size())
        t.nodes.resize(nodes);
    return t;
}

// The first `nodes` (1..10) entries of two branches of the tree whose ends are in range of
// each other (the mesh tests; hearing: the tree links plus 2 ↔ 4, connected by the test):
//   0 coordinator ─ 1 router ─ 2 router ─ 5 router
//                 └ 3 router ─ 4 router ─ 6 router ─ 7 ZED
//   8 router (child of 0), 9 ZED (child of 5)
// Tree route 5 → 6: 5-2-1-0-3-4-6 (6 hops); mesh: 5-2-4-6 (3 hops).
inline TopologySpec branchesTopology(std::size_t nodes = 10)
{
    TopologySpec t;
    t.nodes = {
        {NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::Router, 0x0001, 0, 10, 0},
        {NodeRole::Router, 0x0002, 1, 20, 0},      {NodeRole::Router, 0x0003, 0, 0, 10},
        {NodeRole::Router, 0x0004, 3, 20, 10},     {NodeRole::Router, 0x0005, 2, 30, 0},
        {NodeRole::Router, 0x0006, 4, 30, 10},     {NodeRole::EndDevice, 0x0007, 6, 31, 10},
        {NodeRole::Router, 0x0008, 0, -10, 0},     {NodeRole::EndDevice, 0x0009, 5, 31, 0},
    };
    if (nodes < t.nodes.size())
        t.nodes.resize(nodes);
    return t;
}

// Two routers a sleepy device can choose between (the rejoin tests):
// 0 coordinator 0x0000 (0, 0) ─ 1 router 0x0001 (10, 0) ─ 3 ZED 0x0010 (11, 1)
//                             │                        └ 4 ZED 0x0011 (11, -1)
//                             └ 2 router 0x0002 (12, 0)
// Every node hears every other (no explicit hearing).
inline TopologySpec twoRouterTopology()
{
    TopologySpec t;
    t.nodes = {
        {NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::Router, 0x0001, 0, 10, 0},
        {NodeRole::Router, 0x0002, 0, 12, 0},      {NodeRole::EndDevice, 0x0010, 1, 11, 1},
        {NodeRole::EndDevice, 0x0011, 1, 11, -1},
    };
    return t;
}

// Loses every frame for which `lose` answers true (install with channel.setLossModel).
class ScriptedLoss final : public LinkLossModel {
public:
    explicit ScriptedLoss(std::function<bool(const LinkFrame&)> lose) : m_lose(std::move(lose)) {}
    LossDecision decide(const LinkFrame& frame, RandomStream&) override
    {
        LossDecision d;
        d.lost = m_lose(frame);
        return d;
    }

private:
    std::function<bool(const LinkFrame&)> m_lose;
};

// PSDU classes when the APS payload is 20 octets (payloadOf(20)) and NWK security is off:
// data = MAC 9 + NWK 8 + APS 8 + 20 + FCS 2 = 47, APS ACK = 9 + 8 + 8 + 2 = 27, MAC ACK = 5.
inline bool isApsAckPsdu(const LinkFrame& f)
{
    return f.psduBytes > 5 && f.psduBytes < 40;
}
inline bool isDataPsdu(const LinkFrame& f)
{
    return f.psduBytes >= 40;
}

// A small Zigbee network under test: the simulator, a FrameLog of every frame, the channel,
// the network, one RecordingApp per node as its APS upper layer and a drop log. create()
// makes no links: call net->connectTreeLinks() or channel.connect() after it.
struct ZigbeeTestNet {
    explicit ZigbeeTestNet(const RadioChannel::Config& channelConfig = {}) : channel(channelConfig) {}

    void create(const TopologySpec& topology, const NwkConfig& config, std::uint64_t seed)
    {
        sim.setSeed(seed);
        sim.addObserver(&frames);
        auto created = ZigbeeNetwork::create(sim, channel, topology, config);
        ASSERT_TRUE(created) << created.error().toString().toStdString();
        net = std::move(*created);
        net->setDropListener(&dropLog);
        apps.resize(net->size());
        for (std::size_t i = 0; i < net->size(); ++i)
            net->node(static_cast<NodeId>(i)).setUpper(&apps[i]);
    }

    Simulator sim;
    FrameLog frames;
    RadioChannel channel;
    std::unique_ptr<ZigbeeNetwork> net;
    std::vector<RecordingApp> apps;
    DropLog dropLog;
};

// ZigbeeTestNet on channel 15 whose loss model is a ZigbeeOutageLoss, so that nodes can be
// made to go dark (a failed router).
struct OutageTestNet : ZigbeeTestNet {
    OutageTestNet() : ZigbeeTestNet(RadioChannel::Config{0x1A62, 15})
    {
        auto owned = std::make_unique<ZigbeeOutageLoss>(nullptr);
        loss = owned.get();
        channel.setLossModel(std::move(owned));
    }
    void darkForever(NodeId node, double fromS) { loss->addDark(node, SimTime::fromSeconds(fromS), SimTime::max()); }

    ZigbeeOutageLoss* loss = nullptr;
};

} // namespace otalab::sim::test
