// SPDX-License-Identifier: Apache-2.0
// Rejoin (NwkModelConfig::rejoin): a router goes dark for good; its sleepy children miss
// polls, send NWK rejoin requests to routers they hear and take the one that answers.
#include "zigbee_test_support.h"

#include "sim/radio/radiochannel.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/rejoin.h"
#include "sim/zigbee/treerouting.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeeoutageloss.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// Network: twoRouterTopology() (zigbee_test_support.h), every node hears every other.
struct RejoinRig : OutageTestNet {
    void build(bool rejoin, std::uint64_t seed = 5)
    {
        config.model.rejoin.enabled = rejoin;
        create(twoRouterTopology(), config, seed);
        if (net)
            net->start();
    }

    NwkConfig config;
};

struct ZigbeeRejoinFixture : ::testing::Test, RejoinRig {};

// The latest moment the third missed poll can end after `failS` (polls every 7.5 s ± 2 %,
// each failing after the MAC's retries), plus the rejoin exchange (< 1 s).
double rejoinDeadlineS(double failS, const NwkConfig& c)
{
    return failS + 3 * c.pollInterval.toSeconds() * (1 + c.pollJitterFraction) + 1.5;
}

} // namespace

TEST(ZigbeeRejoinCommand, RequestAndResponseEncodeAsNwkCommandFrames)
{
    NwkFrameBuffer req;
    RejoinFrame::encode(0x0010, 0x0002, 7, NwkCommand{NwkRejoinRequest{}}, req);
    ASSERT_EQ(req.length, NwkHeader::kBytes + 2);
    const auto h = NwkHeader::decode(req.view());
    ASSERT_TRUE(h);
    EXPECT_EQ(h->frameType, NwkFrameType::Command);
    EXPECT_EQ(h->discoverRoute, NwkDiscoverRoute::Suppress);
    EXPECT_EQ(h->src, 0x0010);
    EXPECT_EQ(h->dst, 0x0002);
    EXPECT_EQ(h->radius, 1);
    EXPECT_EQ(h->sequence, 7);
    EXPECT_EQ(req.bytes[NwkHeader::kBytes], 0x06);
    EXPECT_EQ(req.bytes[NwkHeader::kBytes + 1], 0x80); // sleepy end device, allocate address
    const std::optional<NwkCommand> reqCmd = RejoinFrame::decode(req.view());
    ASSERT_TRUE(reqCmd);
    EXPECT_EQ(reqCmd->id(), NwkCommandId::RejoinRequest);

    NwkFrameBuffer rsp;
    RejoinFrame::encode(0x0002, 0x0010, 9, NwkCommand{NwkRejoinResponse{0x0010, NwkRejoinResponse::kStatusSuccess}},
                        rsp);
    ASSERT_EQ(rsp.length, NwkHeader::kBytes + 4);
    // 3.4.7.3: command id | network address (little-endian) | status.
    EXPECT_EQ(rsp.bytes[NwkHeader::kBytes], 0x07);
    EXPECT_EQ(rsp.bytes[NwkHeader::kBytes + 1], 0x10);
    EXPECT_EQ(rsp.bytes[NwkHeader::kBytes + 2], 0x00);
    EXPECT_EQ(rsp.bytes[NwkHeader::kBytes + 3], 0x00);
    const std::optional<NwkCommand> rspCmd = RejoinFrame::decode(rsp.view());
    ASSERT_TRUE(rspCmd);
    const auto* r = std::get_if<NwkRejoinResponse>(&rspCmd->payload);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->networkAddress, 0x0010);
    EXPECT_EQ(r->status, NwkRejoinResponse::kStatusSuccess);
    // A data frame (type 0) is no rejoin command; nor is a truncated or padded one, nor
    // another NWK command.
    NwkFrameBuffer data = rsp;
    data.bytes[0] &= 0xFC;
    EXPECT_FALSE(RejoinFrame::decode(data.view()));
    NwkFrameBuffer padded = rsp;
    padded.length += 1;
    EXPECT_FALSE(RejoinFrame::decode(padded.view()));
    rsp.length -= 1;
    EXPECT_FALSE(RejoinFrame::decode(rsp.view()));
    NwkFrameBuffer status;
    RejoinFrame::encode(0x0002, 0x0010, 9, NwkCommand{NwkNetworkStatus{NwkStatusCode::NoRouteAvailable, 0x0010}},
                        status);
    EXPECT_FALSE(RejoinFrame::decode(status.view()));
}

TEST(ZigbeeRejoinRouting, ReparentMovesAnEndDeviceAndItsRoutes)
{
    TreeRouting r(twoRouterTopology());
    EXPECT_EQ(r.nextHop(0x0000, 0x0010), 0x0001);
    EXPECT_EQ(r.reparent(0x0010, 0x0002), std::optional<std::uint16_t>(0x0001));
    EXPECT_EQ(r.parentOf(0x0010), std::optional<std::uint16_t>(0x0002));
    EXPECT_EQ(r.nextHop(0x0000, 0x0010), 0x0002);
    EXPECT_EQ(r.nextHop(0x0002, 0x0010), 0x0010);
    EXPECT_EQ(r.nextHop(0x0001, 0x0010), 0x0000); // no longer below router 1
    EXPECT_EQ(r.depthOf(0x0010), 2u);
    EXPECT_FALSE(r.reparent(0x0001, 0x0002));      // a router with children does not move
    EXPECT_FALSE(r.reparent(0x0010, 0x0011));      // an end device is nobody's parent
    EXPECT_FALSE(r.reparent(0x0000, 0x0002));      // the coordinator has no parent
    EXPECT_FALSE(r.reparent(0x0010, 0x1234));      // unknown
}

TEST(ZigbeeRejoinState, DefaultsAreEmberZNets)
{
    RejoinSettings s;
    ZedRejoin z(s);
    EXPECT_EQ(z.pollFailureLimit(), 3);               // EMBER_AF_PLUGIN_END_DEVICE_SUPPORT_MAX_MISSED_POLLS
    EXPECT_EQ(z.attemptsMax(), 3);                    // EMBER_AF_REJOIN_ATTEMPTS_MAX
    EXPECT_EQ(z.retryDelay(), SimTime::fromSeconds(10)); // MOVE_DELAY_QS
    EXPECT_FALSE(z.pollResult(false));
    EXPECT_FALSE(z.pollResult(true));                 // a good poll resets the count
    EXPECT_FALSE(z.pollResult(false));
    EXPECT_FALSE(z.pollResult(false));
    EXPECT_TRUE(z.pollResult(false));
    s.pollFailuresBeforeRejoin = 1;
    EXPECT_TRUE(ZedRejoin(s).pollResult(false));
}

TEST_F(ZigbeeRejoinFixture, ChildrenOfADeadRouterRejoinTheNearestRouterInTime)
{
    build(/*rejoin=*/true);
    darkForever(1, 30.0);
    // Not before three polls were missed.
    sim.runUntil(SimTime::fromSeconds(30.0 + 2 * 7.5 * 0.98 - 0.1));
    EXPECT_EQ(net->node(3).stats().rejoins, 0u);
    sim.runUntil(SimTime::fromSeconds(rejoinDeadlineS(30.0, config)));
    for (NodeId zed : {NodeId{3}, NodeId{4}}) {
        const ZigbeeNode& n = net->node(zed);
        EXPECT_EQ(n.stats().parentLosses, 1u) << zed;
        EXPECT_EQ(n.stats().rejoins, 1u) << zed;
        EXPECT_EQ(n.stats().rejoinRequests, 1u) << zed;
        EXPECT_EQ(n.parent(), 0x0002) << zed;    // router 2 is nearest; router 1 excluded
        EXPECT_LT(n.stats().lastRejoinDuration, SimTime::fromSeconds(1.0)) << zed;
        EXPECT_GE(n.stats().lastRejoinDuration, kRejoinResponseWait) << zed;
        EXPECT_EQ(net->routing().parentOf(n.shortAddress()), std::optional<std::uint16_t>(0x0002));
        EXPECT_FALSE(n.rejoinState().active());
    }
    EXPECT_EQ(net->node(2).stats().rejoinsAccepted, 2u);
    EXPECT_EQ(net->topology().nodes[3].parent, 2);
    // The coordinator's frames now reach them through router 2.
    const std::uint8_t payload[3]{1, 2, 3};
    ASSERT_TRUE(net->node(0).sendAps(0x0010, 1, kOtaCluster, payload));
    sim.runUntil(sim.now() + SimTime::fromSeconds(10));
    ASSERT_EQ(apps[3].received.size(), 1u);
    EXPECT_EQ(apps[3].received[0].src, 0x0000);
    EXPECT_EQ(net->node(2).stats().heldDelivered, 3u); // 2 rejoin responses + the data frame
    // And their frames go up through it too.
    ASSERT_TRUE(net->node(4).sendAps(0x0000, 1, kOtaCluster, payload));
    sim.runUntil(sim.now() + SimTime::fromSeconds(1));
    ASSERT_EQ(apps[0].received.size(), 1u);
    EXPECT_EQ(apps[0].received[0].src, 0x0011);
}

TEST_F(ZigbeeRejoinFixture, WithoutRejoinTheChildrenStayOrphaned)
{
    build(/*rejoin=*/false);
    darkForever(1, 30.0);
    sim.runUntil(SimTime::fromSeconds(120));
    for (NodeId zed : {NodeId{3}, NodeId{4}}) {
        EXPECT_EQ(net->node(zed).parent(), 0x0001);
        EXPECT_EQ(net->node(zed).stats().rejoinRequests, 0u);
    }
    const std::uint8_t payload[3]{1, 2, 3};
    ASSERT_TRUE(net->node(0).sendAps(0x0010, 1, kOtaCluster, payload));
    sim.runUntil(sim.now() + SimTime::fromSeconds(10));
    EXPECT_TRUE(apps[3].received.empty());
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_FALSE(apps[0].completed[0].result.delivered);
    EXPECT_EQ(apps[0].completed[0].result.reason, NwkDropReason::NoAck); // the dead router never ACKs
}

TEST_F(ZigbeeRejoinFixture, AFailedCandidateIsSkippedForTheNextOne)
{
    build(/*rejoin=*/true);
    darkForever(1, 30.0);
    darkForever(2, 0.0); // the nearest candidate is dead too: its request is not ACKed
    sim.runUntil(SimTime::fromSeconds(rejoinDeadlineS(30.0, config) + 1.0));
    for (NodeId zed : {NodeId{3}, NodeId{4}}) {
        EXPECT_EQ(net->node(zed).parent(), 0x0000) << zed; // the coordinator took them
        EXPECT_EQ(net->node(zed).stats().rejoinRequests, 2u) << zed;
        EXPECT_EQ(net->node(zed).stats().rejoins, 1u) << zed;
    }
}

TEST_F(ZigbeeRejoinFixture, NoCandidateBacksOffThenGivesUpAfterTheStacksAttempts)
{
    build(/*rejoin=*/true);
    darkForever(1, 30.0);
    darkForever(2, 0.0);
    darkForever(0, 0.0);
    const double lost = rejoinDeadlineS(30.0, config);
    sim.runUntil(SimTime::fromSeconds(lost));
    EXPECT_EQ(net->node(3).rejoinState().phase(), ZedRejoin::Phase::BackingOff);
    EXPECT_EQ(net->node(3).stats().rejoinRequests, 3u); // both candidates, then the lost parent, once each
    // Two more moves, 10 s apart (MOVE_DELAY_QS), then it gives up: EMBER_AF_REJOIN_ATTEMPTS_MAX = 3.
    sim.runUntil(SimTime::fromSeconds(lost + 2 * 10.0 + 2.0));
    EXPECT_EQ(net->node(3).rejoinState().phase(), ZedRejoin::Phase::GaveUp);
    EXPECT_EQ(net->node(3).stats().rejoinRequests, 9u);
    const std::uint64_t polls = net->node(3).stats().polls;
    sim.runUntil(sim.now() + SimTime::fromSeconds(60));
    EXPECT_EQ(net->node(3).stats().polls, polls); // orphaned: no more polls
    EXPECT_EQ(net->node(3).stats().rejoins, 0u);
}

TEST_F(ZigbeeRejoinFixture, SameSeedSameRejoins)
{
    build(/*rejoin=*/true, 11);
    darkForever(1, 30.0);
    sim.runUntil(SimTime::fromSeconds(100));
    const SimTime d3 = net->node(3).stats().lastRejoinDuration;
    const std::uint64_t polls = net->node(3).stats().polls;
    RejoinRig other;
    other.build(true, 11);
    other.darkForever(1, 30.0);
    other.sim.runUntil(SimTime::fromSeconds(100));
    EXPECT_EQ(other.net->node(3).stats().lastRejoinDuration, d3);
    EXPECT_EQ(other.net->node(3).stats().polls, polls);
}

