// SPDX-License-Identifier: Apache-2.0
// APS acknowledgements (NwkModelConfig::aps.ack): APS ACKs and retries follow the mesh route
// when the network routes as a mesh (not the tree), and a send the APS layer gives up on is
// reported with NwkDropReason::ApsNoAck.
#include "radio_test_support.h"
#include "zigbee_test_support.h"

#include "sim/radio/radiochannel.h"
#include "sim/zigbee/apsreliability.h"
#include "sim/zigbee/nwkdropreason.h"
#include "sim/zigbee/otadevice.h"
#include "sim/zigbee/zigbeenetwork.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// branchesTopology(7): routers 0..6 of the mesh tests' two branches,
//   0 coordinator ─ 1 router ─ 2 router ─ 5 router
//                 └ 3 router ─ 4 router ─ 6 router
// hearing: the tree links plus 2 ↔ 4. Routers 2 and 4 are mesh neighbours; the tree route
// between them is 2-1-0-3-4 (tree next hop of 4 towards 2 is 3, of 2 towards 4 is 1).
// PSDUs here: data 9 + 8 + 8 + 20 + 2 = 47 (isDataPsdu), APS ACK 27 (isApsAckPsdu).

struct ApsMeshFixture : ::testing::Test, ZigbeeTestNet {
    void build()
    {
        NwkConfig c;
        c.model.aps.ack = true;
        c.model.routing.mode = MeshRoutingSettings::Mode::Mesh;
        create(branchesTopology(7), c, 11);
        if (!net)
            return;
        net->connectTreeLinks();
        channel.connect(2, 4);
        net->start();
    }
    std::uint64_t treeRelays() const
    {
        return net->node(0).stats().relayedUnicast + net->node(1).stats().relayedUnicast
             + net->node(3).stats().relayedUnicast;
    }
    const std::vector<std::uint8_t> zcl = std::vector<std::uint8_t>(20, 0x5A);
};

using ZigbeeApsMesh = ApsMeshFixture;
using ZigbeeApsGiveUp = ApsMeshFixture;

} // namespace

TEST_F(ZigbeeApsMesh, AckGoesBackOnTheMeshRouteNotUpTheTree)
{
    build();
    ASSERT_TRUE(net->node(2).sendAps(0x0004, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(3));
    ASSERT_EQ(apps[4].received.size(), 1u);
    ASSERT_EQ(apps[2].completed.size(), 1u);
    const ApsSendResult& r = apps[2].completed[0].result;
    EXPECT_TRUE(r.acked);
    EXPECT_EQ(r.apsAttempts, 1);
    EXPECT_EQ(net->node(4).stats().apsAcksSent, 1u);
    // Data and ACK went directly between the neighbours: nobody on the tree path relayed.
    EXPECT_EQ(treeRelays(), 0u);
    // Router 4's APS ACK left its MAC for router 2 (NodeId 2), not for its tree parent 3.
    std::size_t acksTo2 = 0;
    for (const auto& e : frames.entries)
        if (e.fate == FrameFate::Transmitted && e.src == 4 && e.bytes.size() == 27u) {
            EXPECT_EQ(e.bytes[5] | (e.bytes[6] << 8), 0x0002); // MAC destination address
            ++acksTo2;
        }
    EXPECT_EQ(acksTo2, 1u);
}

TEST_F(ZigbeeApsMesh, RetryGoesOnTheMeshRouteNotUpTheTree)
{
    build();
    // Router 2's first attempt to router 4 is lost (4 MAC attempts, NoAck at router 2);
    // the APS retry after the ack wait goes to the mesh neighbour again.
    channel.setLossModel(std::make_unique<ScriptedLoss>(
        [](const LinkFrame& f) { return f.src == 2 && f.dst == 4 && isDataPsdu(f) && f.start < ms(1'000); }));
    ASSERT_TRUE(net->node(2).sendAps(0x0004, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));
    ASSERT_EQ(apps[4].received.size(), 1u);
    EXPECT_GE(apps[4].received[0].time, ms(ApsStackDefaults::kAckWaitMs));
    ASSERT_EQ(apps[2].completed.size(), 1u);
    EXPECT_TRUE(apps[2].completed[0].result.acked);
    EXPECT_EQ(apps[2].completed[0].result.apsAttempts, 2);
    EXPECT_EQ(net->node(2).stats().apsRetries, 1u);
    EXPECT_EQ(treeRelays(), 0u);
    EXPECT_EQ(apps[4].received[0].radius, NwkConfig{}.radius); // one hop
}

TEST_F(ZigbeeApsGiveUp, NoApsAckAfterTheRetriesIsReportedAsApsNoAck)
{
    build();
    // Every data frame reaches router 4 (and is MAC-acknowledged); every APS ACK it sends is lost.
    channel.setLossModel(std::make_unique<ScriptedLoss>([](const LinkFrame& f) { return f.src == 4 && isApsAckPsdu(f); }));
    ASSERT_TRUE(net->node(2).sendAps(0x0004, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(20));

    EXPECT_EQ(apps[4].received.size(), 1u); // delivered once, the copies were duplicates
    ASSERT_EQ(apps[2].completed.size(), 1u);
    const ApsSendResult& r = apps[2].completed[0].result;
    EXPECT_FALSE(r.acked);
    EXPECT_FALSE(r.delivered);
    EXPECT_EQ(r.reason, NwkDropReason::ApsNoAck); // every hop acknowledged: the end-to-end ACK is missing
    EXPECT_EQ(r.apsAttempts, 1 + ApsStackDefaults::kMaxFrameRetries);
    EXPECT_EQ(apps[2].completed[0].time, ms(4 * ApsStackDefaults::kAckWaitMs));
    // One ApsNoAck drop, by the originator, when it gave up; the lost ACKs are router 4's NoAck drops.
    EXPECT_EQ(net->node(2).drops(NwkDropReason::ApsNoAck), 1u);
    std::size_t apsNoAck = 0;
    for (const NwkDrop& d : dropLog.drops) {
        if (d.reason != NwkDropReason::ApsNoAck) {
            EXPECT_EQ(d.node, 4u);
            EXPECT_EQ(d.reason, NwkDropReason::NoAck);
            continue;
        }
        ++apsNoAck;
        EXPECT_EQ(d.node, 2u);
        EXPECT_EQ(d.nwkSrc, 0x0002);
        EXPECT_EQ(d.nwkDst, 0x0004);
        EXPECT_EQ(d.time, ms(4 * ApsStackDefaults::kAckWaitMs));
    }
    EXPECT_EQ(apsNoAck, 1u);
    EXPECT_EQ(net->node(2).stats().apsAckTimeouts, 1u);
    EXPECT_STREQ(toString(NwkDropReason::ApsNoAck), "aps-no-ack");
}

// Per-device failure reasons: an OTA device whose frame the APS layer gave up on keeps it as
// its last network error (appended to the failure reason when its download fails).
TEST_F(ZigbeeApsGiveUp, OtaDeviceNamesTheApsGiveUpAsItsLastNetworkError)
{
    build();
    DevicePreset preset;
    preset.name = QStringLiteral("test");
    preset.supplyVoltageV = 3.0;
    const SimOtaFlash::ImageList images;
    OtaDevice device(sim, net->node(2), preset, images, otalab::core::zigbee::OtaClientConfig{}, OtaDeviceSettings{}, nullptr);
    ApsSendResult hopFailed;
    hopFailed.delivered = false;
    hopFailed.reason = NwkDropReason::NoAck; // one hop's MAC failure: not the APS give-up
    hopFailed.dstShort = 0x0000;
    device.onApsSendComplete(sim, hopFailed);
    EXPECT_TRUE(device.progress().lastNetworkError.isEmpty());
    ApsSendResult gaveUp = hopFailed;
    gaveUp.reason = NwkDropReason::ApsNoAck;
    gaveUp.apsAttempts = 4;
    device.onApsSendComplete(sim, gaveUp);
    EXPECT_EQ(device.progress().lastNetworkError.toStdString(), "no APS ACK from 0x0000 after 4 attempts (aps-no-ack)");
}
