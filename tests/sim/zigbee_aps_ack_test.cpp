// SPDX-License-Identifier: Apache-2.0
// APS acknowledgements, retries and duplicate rejection (NwkModelConfig::aps.ack).
#include "radio_test_support.h"
#include "zigbee_test_support.h"

#include "sim/radio/radiochannel.h"
#include "sim/zigbee/apsreliability.h"
#include "sim/zigbee/zigbeenetwork.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// APS frame control of an on-air MPDU (MAC header 9 | NWK 8 | APS ...), or -1.
int apsFcf(const FrameLog::Entry& e)
{
    return e.bytes.size() >= 9 + 8 + 8 + 2 ? e.bytes[9 + 8] : -1;
}

// Network: chainTopology(4), 0 coordinator ─ 1 router ─ 2 router ─ 3 ZED (sleepy).
struct ZigbeeApsFixture : ::testing::Test, ZigbeeTestNet {
    void build(bool ack = true, SimTime poll = ms(1'000))
    {
        NwkConfig config;
        config.pollInterval = poll;
        config.model.aps.ack = ack;
        m_config = config;
        create(chainTopology(4), m_config, 5);
        if (net)
            net->connectTreeLinks();
    }
    // On-air transmissions (first attempt of each MAC send included) by `src` with APS frame control `fcf`.
    std::vector<SimTime> sent(NodeId src, int fcfMask, int fcf) const
    {
        std::vector<SimTime> out;
        for (const auto& e : frames.entries)
            if (e.fate == FrameFate::Transmitted && e.src == src && apsFcf(e) >= 0 && (apsFcf(e) & fcfMask) == fcf)
                out.push_back(e.time);
        return out;
    }

    NwkConfig m_config;
    const std::vector<std::uint8_t> zcl = payloadOf(20);
};

using ZigbeeApsAck = ZigbeeApsFixture;

} // namespace

TEST(ZigbeeApsReliability, StackDefaultsResolveInOnePlace)
{
    const ApsReliability r = ApsReliability::resolve(ApsReliabilityConfig{});
    EXPECT_EQ(r.ackWait, ms(1'600));            // 50 ms x EMBER_MAX_HOPS 30 + 100 ms
    EXPECT_EQ(r.sleepyAckWaitExtra, ms(7'680)); // EMBER_INDIRECT_TRANSMISSION_TIMEOUT (profile 2)
    EXPECT_EQ(r.maxRetries, 3);                 // apscMaxFrameRetries
    EXPECT_EQ(r.duplicateTableSize, 5u);        // SL_ZIGBEE_APS_DUPLICATE_REJECTION_MAX_ENTRIES
    EXPECT_EQ(r.duplicateTimeout, ms(10'000));
    ApsReliabilityConfig c;
    c.ackWaitMs = 500;
    c.duplicateTableSize = 2;
    EXPECT_EQ(ApsReliability::resolve(c).ackWait, ms(500));
    EXPECT_EQ(ApsReliability::resolve(c).duplicateTableSize, 2u);
}

TEST(ZigbeeApsReliability, DuplicateTableRejectsWithinTimeoutAndEvictsOldest)
{
    ApsDuplicateTable t(2, ms(1'000));
    EXPECT_FALSE(t.checkAndInsert(0x0001, 7, ms(0)));
    EXPECT_TRUE(t.checkAndInsert(0x0001, 7, ms(999)));
    EXPECT_FALSE(t.checkAndInsert(0x0001, 7, ms(1'000))); // expired: a new frame
    EXPECT_FALSE(t.checkAndInsert(0x0002, 7, ms(1'100)));
    EXPECT_FALSE(t.checkAndInsert(0x0003, 7, ms(1'200))); // evicts (1, 7) re-inserted at 1000
    EXPECT_FALSE(t.checkAndInsert(0x0001, 7, ms(1'300)));
}

TEST(ZigbeeApsReliability, AckHeaderRoundTripsAsFrameType2Format0)
{
    ApsHeader data;
    data.ackRequest = true;
    data.dstEndpoint = 1;
    data.srcEndpoint = 2;
    data.clusterId = kOtaCluster;
    data.counter = 0x42;
    const ApsHeader ack = ApsHeader::ackFor(data);
    std::array<std::uint8_t, 8> b{};
    ASSERT_EQ(ack.encode(b), 8u);
    EXPECT_EQ(b[0], 0x02); // frame type ACK, unicast, ACK format 0, no ACK request
    EXPECT_EQ(b[1], 2);    // dst endpoint = the data frame's source endpoint
    EXPECT_EQ(b[6], 1);    // src endpoint = its destination endpoint
    EXPECT_EQ(b[7], 0x42);
    const auto back = ApsHeader::decode(b);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->frameType, ApsFrameType::Ack);
    EXPECT_EQ(back->clusterId, kOtaCluster);
    b[0] = 0x12; // ACK format 1 (APS command ACK): not modelled
    EXPECT_EQ(ApsHeader::decode(b).error().field, QStringLiteral("aps.frameControl.ackFormat"));
}

TEST_F(ZigbeeApsAck, OffByDefaultCompletesAtFirstHopWithoutAckFrames)
{
    build(/*ack=*/false);
    ASSERT_TRUE(net->node(0).sendAps(0x0002, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);
    EXPECT_FALSE(apps[0].completed[0].result.acked);
    EXPECT_EQ(apps[0].completed[0].result.apsAttempts, 1);
    EXPECT_TRUE(sent(2, 0x03, 0x02).empty());           // no APS ACK frames
    EXPECT_TRUE(sent(0, 0x40, 0x40).empty());           // ACK request bit clear
    EXPECT_EQ(apps[2].received.size(), 1u);
}

TEST_F(ZigbeeApsAck, DestinationAcknowledgesAndSendCompletesOnTheAck)
{
    build();
    ASSERT_TRUE(net->node(0).sendAps(0x0002, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));
    ASSERT_EQ(apps[2].received.size(), 1u);
    ASSERT_EQ(apps[0].completed.size(), 1u);
    const ApsSendResult& r = apps[0].completed[0].result;
    EXPECT_TRUE(r.delivered);
    EXPECT_TRUE(r.acked);
    EXPECT_EQ(r.apsAttempts, 1);
    EXPECT_GT(apps[0].completed[0].time, apps[2].received[0].time); // after the ACK came back 2 hops
    EXPECT_EQ(sent(0, 0x43, 0x40).size(), 1u); // one data frame with the ACK request bit
    ASSERT_EQ(sent(2, 0x03, 0x02).size(), 1u); // router 2 originated one APS ACK
    // The ACK on the air: APS frame type 2, format 0, endpoints swapped, same counter.
    for (const auto& e : frames.entries) {
        if (e.fate == FrameFate::Transmitted && e.src == 2 && apsFcf(e) == 0x02) {
            ASSERT_EQ(e.bytes.size(), 9u + 8 + 8 + 2);
            EXPECT_EQ(e.bytes[9 + 2] | (e.bytes[9 + 3] << 8), 0x0000); // NWK dst: the originator
            EXPECT_EQ(e.bytes[9 + 8 + 7], r.apsCounter);
        }
    }
    EXPECT_EQ(net->node(0).stats().apsAcksReceived, 1u);
    EXPECT_EQ(net->node(0).stats().apsRetries, 0u);
}

TEST_F(ZigbeeApsAck, FrameLostOnFirstAttemptIsDeliveredByAnApsRetryAfterTheAckWait)
{
    build();
    // Router 1 cannot reach router 2 before t = 1 s: the first attempt dies at router 1
    // (4 MAC attempts, NoAck); nothing tells the originator.
    channel.setLossModel(std::make_unique<ScriptedLoss>(
        [](const LinkFrame& f) { return f.src == 1 && f.dst == 2 && f.start < SimTime::fromSecondsInt(1); }));
    ASSERT_TRUE(net->node(0).sendAps(0x0002, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));

    ASSERT_EQ(apps[2].received.size(), 1u);
    const std::vector<SimTime> attempts = sent(0, 0x43, 0x40);
    ASSERT_EQ(attempts.size(), 2u);
    const SimTime ackWait = ms(ApsStackDefaults::kAckWaitMs);
    // The retry leaves the originator's MAC after CSMA backoff (< 10 ms) at the ack wait.
    EXPECT_GE(attempts[1], ackWait);
    EXPECT_LT(attempts[1], ackWait + ms(10));
    EXPECT_GE(apps[2].received[0].time, ackWait);
    EXPECT_LT(apps[2].received[0].time, ackWait + ms(100));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    const ApsSendResult& r = apps[0].completed[0].result;
    EXPECT_TRUE(r.delivered);
    EXPECT_TRUE(r.acked);
    EXPECT_EQ(r.apsAttempts, 2);
    EXPECT_LT(apps[0].completed[0].time, ackWait + ms(200));
    ASSERT_EQ(dropLog.drops.size(), 1u);
    EXPECT_EQ(dropLog.drops[0].node, 1u);
    EXPECT_EQ(dropLog.drops[0].reason, NwkDropReason::NoAck);
}

TEST_F(ZigbeeApsAck, DuplicateCausedByALostApsAckIsAckedAgainButDeliveredOnce)
{
    build();
    // Every APS ACK router 2 sends to router 1 before t = 1 s is lost.
    channel.setLossModel(std::make_unique<ScriptedLoss>([](const LinkFrame& f) {
        return f.src == 2 && f.dst == 1 && isApsAckPsdu(f) && f.start < SimTime::fromSecondsInt(1);
    }));
    ASSERT_TRUE(net->node(0).sendAps(0x0002, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));

    EXPECT_EQ(apps[2].received.size(), 1u); // delivered once
    EXPECT_EQ(net->node(2).stats().apsAcksSent, 2u); // ACKed twice
    EXPECT_EQ(net->node(2).stats().apsDuplicates, 1u);
    EXPECT_EQ(sent(2, 0x03, 0x02).size(), 1u + 3 + 1); // first ACK: 4 MAC attempts; second: 1
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.acked);
    EXPECT_EQ(apps[0].completed[0].result.apsAttempts, 2);
}

TEST_F(ZigbeeApsAck, RetriesExhaustedReportNotDeliveredWithTheReason)
{
    build();
    channel.setLossModel(std::make_unique<ScriptedLoss>([](const LinkFrame& f) { return f.src == 0 && isDataPsdu(f); }));
    ASSERT_TRUE(net->node(0).sendAps(0x0002, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(20));

    EXPECT_TRUE(apps[2].received.empty());
    ASSERT_EQ(apps[0].completed.size(), 1u); // exactly once
    const ApsSendResult& r = apps[0].completed[0].result;
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.acked);
    EXPECT_EQ(r.reason, NwkDropReason::NoAck); // the last attempt's first hop never ACKed
    EXPECT_EQ(r.apsAttempts, 4);               // 1 + apscMaxFrameRetries
    // Each attempt gets the full ack wait: the failure is reported at 4 x 1600 ms.
    EXPECT_EQ(apps[0].completed[0].time, ms(4 * ApsStackDefaults::kAckWaitMs));
    EXPECT_EQ(net->node(0).stats().apsRetries, 3u);
    EXPECT_EQ(net->node(0).stats().apsAckTimeouts, 1u);
    EXPECT_EQ(sent(0, 0x43, 0x40).size(), 4u * 4); // 4 APS attempts x 4 MAC attempts
}

TEST_F(ZigbeeApsAck, SleepyDestinationWaitIncludesTheIndirectTransmissionTime)
{
    // The ZED polls only every 20 s (first poll at 10.5 s): the held first copy expires at
    // router 2 after 7.68 s; the retry comes at 1.6 + 7.68 = 9.28 s, and the ZED fetches it.
    build(/*ack=*/true, ms(20'000));
    net->node(3).startPolling(ms(10'500));
    ASSERT_TRUE(net->node(0).sendAps(0x0003, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(15));

    const std::vector<SimTime> attempts = sent(0, 0x43, 0x40);
    ASSERT_EQ(attempts.size(), 2u);
    const SimTime wait = ms(ApsStackDefaults::kAckWaitMs + ApsStackDefaults::kSleepyAckWaitExtraMs);
    EXPECT_GE(attempts[1], wait);
    EXPECT_LT(attempts[1], wait + ms(10));
    ASSERT_EQ(apps[3].received.size(), 1u);
    EXPECT_GE(apps[3].received[0].time, ms(10'500));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.acked);
    EXPECT_EQ(apps[0].completed[0].result.apsAttempts, 2);
    EXPECT_EQ(net->node(2).drops(NwkDropReason::IndirectExpired), 1u);
}

TEST_F(ZigbeeApsAck, SleepyOriginatorShortPollsForItsAck)
{
    // The ZED's long poll is 60 s; its ACK waits at router 2 until the 1 s short poll.
    build(/*ack=*/true, ms(60'000));
    net->node(3).startPolling(ms(60'000));
    ASSERT_TRUE(net->node(3).sendAps(0x0000, 1, kOtaCluster, zcl));
    sim.runUntil(SimTime::fromSecondsInt(5));

    ASSERT_EQ(apps[0].received.size(), 1u);
    ASSERT_EQ(apps[3].completed.size(), 1u);
    const auto& c = apps[3].completed[0];
    EXPECT_TRUE(c.result.acked);
    EXPECT_EQ(c.result.apsAttempts, 1);
    EXPECT_GE(c.time, ms(ApsStackDefaults::kShortPollMs));
    EXPECT_LT(c.time, ms(ApsStackDefaults::kShortPollMs + 100));
    EXPECT_EQ(net->node(3).stats().polls, 1u); // one short poll, no more once acknowledged
}
