// SPDX-License-Identifier: Apache-2.0
// Mesh routing (NwkModelConfig::routing.mode == Mesh): route discovery, its timeout, many-to-one
// routes with route records and source-routed replies.
#include "radio_test_support.h"
#include "zigbee_test_support.h"

#include "sim/pcap/pcapwriter.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/nwksourceroute.h"
#include "sim/zigbee/rollout.h"
#include "sim/zigbee/zigbeenetwork.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// Network: branchesTopology() (zigbee_test_support.h); build() connects the tree links and 2 ↔ 4.
struct ZigbeeMeshFixture : ::testing::Test, ZigbeeTestNet {
    void build(NwkConfig config, bool linkBranches = true, bool connectNode8 = true)
    {
        if (const char* dir = std::getenv("OTALAB_MESH_PCAP_DIR")) {
            pcapFile = std::make_unique<std::ofstream>(
                std::string(dir) + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".pcap",
                std::ios::binary);
            pcap = std::make_unique<PcapWriter>(*pcapFile);
            sim.addObserver(pcap.get());
        }
        create(branchesTopology(), config, 11);
        if (!net)
            return;
        const TopologySpec& t = net->topology();
        for (std::size_t i = 1; i < t.nodes.size(); ++i)
            if (connectNode8 || i != 8)
                channel.connect(static_cast<NodeId>(i), static_cast<NodeId>(t.nodes[i].parent));
        if (linkBranches)
            channel.connect(2, 4);
        net->start(); // ZEDs poll every pollInterval
    }
    static NwkConfig mesh(bool manyToOne = false)
    {
        NwkConfig c;
        c.pollInterval = ms(1'000);
        c.model.routing.mode = MeshRoutingSettings::Mode::Mesh;
        c.model.routing.manyToOne = manyToOne;
        return c;
    }
    // NWK payloads (MAC data frames) transmitted by `src`.
    std::vector<std::vector<std::uint8_t>> nwkFramesFrom(NodeId src) const
    {
        std::vector<std::vector<std::uint8_t>> out;
        for (const auto& e : frames.entries)
            if (e.fate == FrameFate::Transmitted && e.src == src && e.bytes.size() > 11 + 8 && (e.bytes[0] & 0x07) == 1)
                out.emplace_back(e.bytes.begin() + 9, e.bytes.end() - 2);
        return out;
    }

    std::unique_ptr<std::ofstream> pcapFile;
    std::unique_ptr<PcapWriter> pcap;
};

using ZigbeeMesh = ZigbeeMeshFixture;

} // namespace

TEST_F(ZigbeeMesh, DiscoveryFindsTheShorterPathBetweenBranchesAndTheDataFollows)
{
    build(mesh());
    ASSERT_NE(net->node(2).mesh(), nullptr);
    EXPECT_TRUE(net->node(2).mesh()->isNeighbour(0x0004)); // from the hearing graph
    EXPECT_FALSE(net->node(5).mesh()->isNeighbour(0x0006));
    EXPECT_EQ(net->node(7).mesh(), nullptr); // end devices route through their parent

    const std::vector<std::uint8_t> zcl{0x19, 0x01, 0x05, 0x00};
    const auto h = net->node(5).sendAps(0x0006, 1, kOtaCluster, zcl);
    ASSERT_TRUE(h) << h.error().toString().toStdString();
    sim.runUntil(SimTime::fromSecondsInt(2));

    EXPECT_EQ(net->node(5).meshStats().routeRequests, 1u);
    EXPECT_EQ(net->node(6).meshStats().routeReplies, 1u);
    ASSERT_EQ(apps[6].received.size(), 1u);
    EXPECT_EQ(apps[6].received[0].payload, zcl);
    EXPECT_EQ(apps[6].received[0].radius, 28); // relayed by 2 and 4 only (the tree needs 5 relays)
    ASSERT_EQ(apps[5].completed.size(), 1u);
    EXPECT_TRUE(apps[5].completed[0].result.delivered);
    const MeshRouting::Route* r5 = net->node(5).mesh()->route(0x0006);
    ASSERT_NE(r5, nullptr);
    EXPECT_EQ(r5->nextHop, 0x0002);
    EXPECT_EQ(r5->pathCost, 3 * MeshRouting::kConstantLinkCost);
    ASSERT_NE(net->node(2).mesh()->route(0x0006), nullptr);
    EXPECT_EQ(net->node(2).mesh()->route(0x0006)->nextHop, 0x0004);
    EXPECT_EQ(net->node(1).stats().relayedUnicast, 0u); // the data did not climb the tree
    EXPECT_EQ(net->node(0).stats().relayedUnicast, 0u);

    // The route request is a real NWK command frame: FCF type 1, command 0x01, dst 0x0006.
    const auto sent = nwkFramesFrom(5);
    ASSERT_FALSE(sent.empty());
    const auto& rreq = sent.front();
    EXPECT_EQ(rreq[0] & 0x03, 1);
    EXPECT_EQ(rreq[2] | (rreq[3] << 8), kNwkBroadcastRouters);
    EXPECT_EQ(rreq[8], static_cast<std::uint8_t>(NwkCommandId::RouteRequest));
    EXPECT_EQ(rreq[11] | (rreq[12] << 8), 0x0006);

    // A second frame uses the route at once (no new discovery); to the ZED behind 6 too.
    ASSERT_TRUE(net->node(5).sendAps(0x0007, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(4));
    EXPECT_EQ(net->node(5).meshStats().routeRequests, 1u);
    ASSERT_EQ(apps[7].received.size(), 1u);
    EXPECT_EQ(apps[7].received[0].radius, 27); // 2, 4, 6
    EXPECT_TRUE(dropLog.drops.empty());
}

TEST_F(ZigbeeMesh, DiscoveryTimeoutDropsTheBufferedFrameWithNoRoute)
{
    build(mesh(), /*linkBranches=*/true, /*connectNode8=*/false); // router 8 hears nobody
    const auto h = net->node(5).sendAps(0x0008, 1, kOtaCluster, std::vector<std::uint8_t>{1, 2, 3});
    ASSERT_TRUE(h);
    sim.runUntil(ms(9'990));
    EXPECT_TRUE(apps[5].completed.empty()); // still waiting for a route reply
    sim.runUntil(ms(10'100));
    ASSERT_EQ(apps[5].completed.size(), 1u);
    EXPECT_FALSE(apps[5].completed[0].result.delivered);
    EXPECT_EQ(apps[5].completed[0].result.reason, NwkDropReason::NoRoute);
    EXPECT_EQ(apps[5].completed[0].time, ms(10'000)); // nwkcRouteDiscoveryTime
    EXPECT_EQ(net->node(5).meshStats().discoveriesFailed, 1u);
    EXPECT_TRUE(apps[8].received.empty());

    // A frame buffered while a discovery runs gets a discovery of its own when that one
    // fails, and is dropped at its own deadline.
    ASSERT_TRUE(net->node(5).sendAps(0x0008, 1, kOtaCluster, std::vector<std::uint8_t>{4}));
    sim.runUntil(ms(15'000));
    ASSERT_TRUE(net->node(5).sendAps(0x0008, 1, kOtaCluster, std::vector<std::uint8_t>{5}));
    sim.runUntil(ms(30'100));
    EXPECT_EQ(net->node(5).meshStats().routeRequests, 3u);
    ASSERT_EQ(apps[5].completed.size(), 3u);
    EXPECT_EQ(apps[5].completed[1].time, ms(20'100));
    EXPECT_EQ(apps[5].completed[2].time, ms(30'100));
    EXPECT_EQ(apps[5].completed[2].result.reason, NwkDropReason::NoRoute);
}

TEST_F(ZigbeeMesh, ManyToOneRouteRecordThenSourceRoutedReply)
{
    build(mesh(/*manyToOne=*/true));
    sim.runUntil(ms(500)); // the concentrator's many-to-one route request has spread
    EXPECT_EQ(net->node(0).meshStats().manyToOneRequests, 1u);
    const MeshRouting::Route* up = net->node(5).mesh()->route(0x0000);
    ASSERT_NE(up, nullptr);
    EXPECT_TRUE(up->manyToOne);
    EXPECT_EQ(up->nextHop, 0x0002);

    apps[0].echoVia = &net->node(0);
    const std::vector<std::uint8_t> zcl{0x19, 0x02, 0x01};
    ASSERT_TRUE(net->node(5).sendAps(0x0000, 1, kOtaCluster, zcl));
    sim.runUntil(ms(1'500)); // (at once, 5 and 1 are hidden terminals at 2)
    ASSERT_TRUE(net->node(9).sendAps(0x0000, 1, kOtaCluster, zcl)); // ZED child of 5
    sim.runUntil(SimTime::fromSecondsInt(4));

    // Router 5 sent one route record (before its first unicast; also on behalf of its ZED).
    EXPECT_EQ(net->node(5).meshStats().routeRecords, 1u);
    const MeshRouting::SourceRoute* sr = net->node(0).mesh()->sourceRoute(0x0005);
    ASSERT_NE(sr, nullptr);
    EXPECT_EQ(sr->relays, (std::vector<std::uint16_t>{0x0002, 0x0001}));
    // The echoes went back source-routed: to 5 (relays 2, 1) and to ZED 9 (relays 5, 2, 1).
    EXPECT_EQ(net->node(0).meshStats().sourceRouted, 2u);
    ASSERT_EQ(apps[5].received.size(), 1u);
    EXPECT_EQ(apps[5].received[0].payload, zcl);
    ASSERT_EQ(apps[9].received.size(), 1u);
    EXPECT_EQ(apps[9].received[0].radius, 27);
    bool sawSourceRoute = false;
    for (const auto& f : nwkFramesFrom(0)) {
        if (!NwkSourceRoute::present(f))
            continue;
        sawSourceRoute = true;
        const auto route = NwkSourceRoute::parse(f);
        ASSERT_TRUE(route);
        EXPECT_EQ(route->relayIndex, route->relayCount - 1);
        EXPECT_EQ(route->relays[route->relayIndex], 0x0001); // first hop: the relay nearest the coordinator
    }
    EXPECT_TRUE(sawSourceRoute);
    EXPECT_TRUE(dropLog.drops.empty());
}

TEST_F(ZigbeeMesh, TreeModeSendsNoCommands)
{
    NwkConfig tree;
    tree.pollInterval = ms(1'000);
    build(tree);
    EXPECT_EQ(net->node(2).mesh(), nullptr);
    ASSERT_TRUE(net->node(5).sendAps(0x0006, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
    sim.runUntil(SimTime::fromSecondsInt(2));
    ASSERT_EQ(apps[6].received.size(), 1u);
    EXPECT_EQ(apps[6].received[0].radius, 25); // the tree: 2, 1, 0, 3, 4
    for (NodeId n = 0; n < net->size(); ++n)
        for (const auto& f : nwkFramesFrom(n))
            EXPECT_EQ(f[0] & 0x03, 0) << "node " << n;
}

// Source-routed frames are secured with Real security (nwksecurity.h: the aux header
// follows the source route subframe): the fleet builds and runs many-to-one with it (it
// was refused at build before), and the concentrator source-routes.
TEST(ZigbeeMeshRouting, ManyToOneWithRealSecurityBuildsAndRuns)
{
    otalab::sim::RolloutConfig config;
    config.network.routing.mode = otalab::sim::MeshRoutingSettings::Mode::Mesh;
    config.network.routing.manyToOne = true;
    config.network.security.mode = otalab::sim::NwkSecuritySettings::Mode::Real;
    config.stop.untilS = 10;
    const auto run = otalab::sim::runRollout(config);
    ASSERT_TRUE(run) << run.error().toString().toStdString();
    config.network.security.mode = otalab::sim::NwkSecuritySettings::Mode::Modelled;
    EXPECT_TRUE(otalab::sim::runRollout(config)) << "the same with modelled security runs";
}
