// SPDX-License-Identifier: Apache-2.0
#include "radio_test_support.h"
#include "zigbee_test_support.h"

#include "sim/channel/bernoulliloss.h"
#include "sim/kernel/tracewriter.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/topologygenerator.h"
#include "sim/zigbee/zigbeenetwork.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

TopologySpec chain()
{
    return chainTopology(7);
}

struct ZigbeeNetworkFixture : ::testing::Test, ZigbeeTestNet {
    void build(const TopologySpec& topology, const NwkConfig& config = {}, bool treeLinks = true,
               std::uint64_t seed = 3)
    {
        create(topology, config, seed);
        if (treeLinks && net)
            net->connectTreeLinks();
    }
    // Frames whose MAC header says frame-pending, sent by `src` (ACKs: 5 octets).
    std::size_t pendingAcksFrom(NodeId src) const
    {
        std::size_t n = 0;
        for (const auto& e : frames.entries)
            n += (e.fate == FrameFate::Transmitted && e.src == src && e.bytes.size() == 5 && (e.bytes[0] & 0x10)) ? 1 : 0;
        return n;
    }
};

using ZigbeeNwkNetwork = ZigbeeNetworkFixture;

// Drops the first ACK that `from` sends to `to` (5-octet MPDU); everything else passes.
class DropFirstAck final : public LinkLossModel {
public:
    DropFirstAck(NodeId from, NodeId to) : m_from(from), m_to(to) {}
    LossDecision decide(const LinkFrame& frame, RandomStream&) override
    {
        LossDecision d;
        if (!m_dropped && frame.src == m_from && frame.dst == m_to && frame.psduBytes == 5) {
            m_dropped = true;
            d.lost = true;
        }
        return d;
    }

private:
    NodeId m_from, m_to;
    bool m_dropped = false;
};

} // namespace

TEST_F(ZigbeeNwkNetwork, MultiHopUnicastToSleepyDeviceBehindTwoRoutersAndBack)
{
    NwkConfig config;
    config.pollInterval = ms(1'000);
    build(chain(), config);
    ZigbeeNode& zed = net->node(3);
    zed.startPolling(ms(500));
    apps[3].echoVia = &zed;

    const std::vector<std::uint8_t> zcl{0x19, 0x01, 0x05, 0x00};
    const auto handle = net->node(0).sendAps(0x0003, 1, kOtaCluster, zcl);
    ASSERT_TRUE(handle) << handle.error().toString().toStdString();
    sim.runUntil(SimTime::fromSecondsInt(3));

    // Coordinator → router 1 → router 2 (held) → ZED at its first poll (0.5 s).
    ASSERT_EQ(apps[3].received.size(), 1u);
    const auto& down = apps[3].received[0];
    EXPECT_EQ(down.src, 0x0000);
    EXPECT_EQ(down.cluster, kOtaCluster);
    EXPECT_EQ(down.endpoint, 1);
    EXPECT_EQ(down.payload, zcl);
    EXPECT_EQ(down.radius, 28); // 30, minus one per relay (router 1, router 2)
    EXPECT_GE(down.time, ms(500));
    EXPECT_LT(down.time, ms(550));
    EXPECT_EQ(net->node(1).stats().relayedUnicast, 2u); // down and back up
    EXPECT_EQ(net->node(2).stats().held, 1u);
    EXPECT_EQ(net->node(2).stats().heldDelivered, 1u);

    // The coordinator's completion: delivered to the first hop, long before the ZED got it.
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);
    EXPECT_EQ(apps[0].completed[0].result.handle, *handle);
    EXPECT_LT(apps[0].completed[0].time, ms(20));

    // The echo climbs back: ZED → router 2 → router 1 → coordinator.
    ASSERT_EQ(apps[0].received.size(), 1u);
    EXPECT_EQ(apps[0].received[0].src, 0x0003);
    EXPECT_EQ(apps[0].received[0].payload, zcl);
    EXPECT_EQ(apps[0].received[0].radius, 28);
    ASSERT_EQ(apps[3].completed.size(), 1u);
    EXPECT_TRUE(apps[3].completed[0].result.delivered);
    EXPECT_TRUE(dropLog.drops.empty());
    // The ZED sleeps between polls.
    EXPECT_FALSE(net->mac(3).receiverOn());
}

TEST_F(ZigbeeNwkNetwork, BroadcastReachesRoutersAndAwakeDevicesButNotSleepingOnes)
{
    build(chain());
    net->mac(6).enableReceiver(SimTime::fromSecondsInt(5)); // ZED 6 happens to be awake
    // ZEDs 3, 4, 5 never poll: asleep the whole time.
    const std::vector<std::uint8_t> notify{0x19, 0x00, 0x00, 0x00};
    sim.runUntil(ms(100));
    ASSERT_TRUE(net->node(0).sendAps(kNwkBroadcastAll, 1, kOtaCluster, notify));
    sim.runUntil(SimTime::fromSecondsInt(2));

    for (NodeId router : {1u, 2u}) {
        ASSERT_EQ(apps[router].received.size(), 1u) << router; // once, despite hearing relays twice
        EXPECT_EQ(apps[router].received[0].src, 0x0000);
        EXPECT_EQ(apps[router].received[0].dst, kNwkBroadcastAll);
        EXPECT_EQ(net->node(router).stats().relayedBroadcast, 1u) << router;
    }
    ASSERT_EQ(apps[6].received.size(), 1u);
    EXPECT_EQ(apps[6].received[0].payload, notify);
    for (NodeId zed : {3u, 4u, 5u}) {
        EXPECT_TRUE(apps[zed].received.empty()) << zed;
        EXPECT_GE(frames.count(FrameFate::Missed, zed), 1u) << zed;
    }
    // The coordinator hears router 1's relay of its own broadcast and ignores it.
    EXPECT_TRUE(apps[0].received.empty());
    EXPECT_GE(net->node(0).stats().duplicateBroadcasts, 1u);
    EXPECT_GE(net->node(2).stats().duplicateBroadcasts, 0u);
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);

    // 0xFFFD (receivers on when idle) is not for end devices, awake or not.
    ASSERT_TRUE(net->node(0).sendAps(kNwkBroadcastRxOnWhenIdle, 1, kOtaCluster, notify));
    sim.runUntil(SimTime::fromSecondsInt(4));
    EXPECT_EQ(apps[1].received.size(), 2u);
    EXPECT_EQ(apps[6].received.size(), 1u);
}

TEST_F(ZigbeeNwkNetwork, SleepyDeviceBroadcastGoesThroughItsParent)
{
    build(chain());
    ZigbeeNode& zed = net->node(5);
    ASSERT_TRUE(zed.sendAps(kNwkBroadcastRouters, 1, kOtaCluster, std::vector<std::uint8_t>{1, 2}));
    sim.runUntil(SimTime::fromSecondsInt(1));
    EXPECT_EQ(apps[0].received.size(), 1u);
    EXPECT_EQ(apps[1].received.size(), 1u);
    EXPECT_EQ(apps[2].received.size(), 1u);
    EXPECT_TRUE(apps[6].received.empty());
    ASSERT_EQ(apps[5].completed.size(), 1u);
    EXPECT_TRUE(apps[5].completed[0].result.delivered);
}

TEST_F(ZigbeeNwkNetwork, PollingDeliversHeldFrames)
{
    NwkConfig config;
    config.pollInterval = ms(2'000);
    build(chain(), config);
    ZigbeeNode& zed = net->node(5); // child of the coordinator
    zed.startPolling(ms(1'000));
    ASSERT_TRUE(net->node(0).sendAps(0x0005, 1, kOtaCluster, std::vector<std::uint8_t>{0xAA}));
    EXPECT_TRUE(net->node(0).hasPendingFor(0x0005));
    EXPECT_EQ(net->node(0).indirectQueue().size(), 1u);

    sim.runUntil(ms(999));
    EXPECT_TRUE(apps[5].received.empty());
    EXPECT_TRUE(apps[0].completed.empty()); // not delivered to the next hop yet
    sim.runUntil(ms(1'100));
    ASSERT_EQ(apps[5].received.size(), 1u);
    EXPECT_GE(apps[5].received[0].time, ms(1'000));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);
    EXPECT_FALSE(net->node(0).hasPendingFor(0x0005));
    EXPECT_EQ(pendingAcksFrom(0), 1u);   // the poll's ACK said "data pending"
    EXPECT_EQ(zed.stats().polls, 1u);    // the frame's own frame-pending bit is clear: no re-poll
    EXPECT_EQ(zed.stats().pollsWithPending, 1u);

    sim.runUntil(ms(4'100)); // one more periodic poll (3 s), nothing pending
    EXPECT_EQ(zed.stats().polls, 2u);
    EXPECT_EQ(zed.stats().pollsWithPending, 1u);
    EXPECT_FALSE(net->mac(5).receiverOn());
}

TEST_F(ZigbeeNwkNetwork, FramePendingTriggersFastPoll)
{
    NwkConfig config;
    config.pollInterval = ms(5'000);
    build(chain(), config);
    ZigbeeNode& zed = net->node(5);
    zed.startPolling(ms(1'000));
    for (std::uint8_t i = 0; i < 3; ++i)
        ASSERT_TRUE(net->node(0).sendAps(0x0005, 1, kOtaCluster, std::vector<std::uint8_t>{i}));
    EXPECT_EQ(net->node(0).indirectQueue().countFor(0x0005), 3u);

    sim.runUntil(ms(1'200));
    // All three in one burst, in order, instead of one per 5 s poll interval.
    ASSERT_EQ(apps[5].received.size(), 3u);
    for (std::uint8_t i = 0; i < 3; ++i)
        EXPECT_EQ(apps[5].received[i].payload, std::vector<std::uint8_t>{i});
    // The first two frames carry frame-pending (more held), so the ZED polls again at
    // once; the third does not, and the ZED goes back to sleep: 3 polls, all answered.
    EXPECT_EQ(zed.stats().polls, 3u);
    EXPECT_EQ(zed.stats().pollsWithPending, 3u);
    EXPECT_EQ(pendingAcksFrom(0), 3u);
    EXPECT_EQ(apps[0].completed.size(), 3u);
    EXPECT_EQ(net->node(0).indirectQueue().size(), 0u);

    // pollNow(): an application-requested poll (e.g. OTA fast polling).
    ASSERT_TRUE(net->node(0).sendAps(0x0005, 1, kOtaCluster, std::vector<std::uint8_t>{9}));
    sim.runUntil(ms(2'000));
    EXPECT_EQ(apps[5].received.size(), 3u);
    EXPECT_TRUE(zed.pollNow());
    sim.runUntil(ms(2'100));
    EXPECT_EQ(apps[5].received.size(), 4u);
}

TEST_F(ZigbeeNwkNetwork, HeldFrameExpiresAfterExactly7680ms)
{
    NwkConfig config;
    config.pollInterval = SimTime::fromSecondsInt(10);
    build(chain(), config);
    ZigbeeNode& zed = net->node(5);
    zed.startPolling(SimTime::fromSecondsInt(10));
    sim.runUntil(SimTime::fromSecondsInt(1));
    const auto handle = net->node(0).sendAps(0x0005, 1, kOtaCluster, std::vector<std::uint8_t>{1});
    ASSERT_TRUE(handle);

    sim.runUntil(ms(8'679));
    EXPECT_TRUE(net->node(0).hasPendingFor(0x0005));
    EXPECT_TRUE(dropLog.drops.empty());
    sim.runUntil(ms(8'680));
    ASSERT_EQ(dropLog.drops.size(), 1u);
    const NwkDrop& d = dropLog.drops[0];
    EXPECT_EQ(d.time, ms(8'680));
    EXPECT_EQ(d.time - d.heldSince, ms(7'680));
    EXPECT_EQ(d.reason, NwkDropReason::IndirectExpired);
    EXPECT_EQ(d.node, 0u);
    EXPECT_EQ(d.nwkDst, 0x0005);
    EXPECT_EQ(d.nextHop, 0x0005);
    EXPECT_FALSE(net->node(0).hasPendingFor(0x0005));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_FALSE(apps[0].completed[0].result.delivered);
    EXPECT_EQ(apps[0].completed[0].result.reason, NwkDropReason::IndirectExpired);
    EXPECT_EQ(apps[0].completed[0].result.handle, *handle);
    EXPECT_EQ(net->node(0).drops(NwkDropReason::IndirectExpired), 1u);

    sim.runUntil(SimTime::fromSecondsInt(11)); // the ZED's poll at 10 s finds nothing
    EXPECT_EQ(zed.stats().polls, 1u);
    EXPECT_EQ(zed.stats().pollsWithPending, 0u);
    EXPECT_TRUE(apps[5].received.empty());
}

TEST_F(ZigbeeNwkNetwork, RelayedFrameExpiresAtTheParentRouter)
{
    NwkConfig config;
    config.pollInterval = SimTime::fromSecondsInt(10);
    build(chain(), config);
    net->node(3).startPolling(SimTime::fromSecondsInt(10));
    ASSERT_TRUE(net->node(0).sendAps(0x0003, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
    sim.runUntil(SimTime::fromSecondsInt(9));
    ASSERT_EQ(dropLog.drops.size(), 1u);
    EXPECT_EQ(dropLog.drops[0].node, 2u); // router 2 held it for ZED 3
    EXPECT_EQ(dropLog.drops[0].reason, NwkDropReason::IndirectExpired);
    EXPECT_EQ(dropLog.drops[0].time - dropLog.drops[0].heldSince, ms(7'680));
    EXPECT_EQ(dropLog.drops[0].nwkSrc, 0x0000);
    // The originator only learns that the first hop took it.
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);
}

TEST_F(ZigbeeNwkNetwork, MaxPayloadAndOversizeRejection)
{
    NwkConfig config;
    config.budget.nwkSecurityOverheadBytes = FrameBudget::kRealisticNwkSecurityBytes;
    build(chain(), config);
    ZigbeeNode& coordinator = net->node(0);
    EXPECT_EQ(coordinator.maxApsPayloadBytes(), 82u);
    const auto tooLong = coordinator.sendAps(0x0001, 1, kOtaCluster, std::vector<std::uint8_t>(83, 0x55));
    ASSERT_FALSE(tooLong);
    EXPECT_EQ(tooLong.error().field, QStringLiteral("aps.payload"));
    EXPECT_EQ(coordinator.stats().originated, 0u);

    // The largest payload goes on the air as a full 127-octet PSDU and arrives intact;
    // the 18 security octets are airtime only, so the MPDU carried is 109 octets.
    const std::vector<std::uint8_t> largest(82, 0x5A);
    ASSERT_TRUE(coordinator.sendAps(0x0001, 1, kOtaCluster, largest));
    sim.runUntil(ms(100));
    ASSERT_EQ(apps[1].received.size(), 1u);
    EXPECT_EQ(apps[1].received[0].payload, largest);
    ASSERT_FALSE(frames.entries.empty());
    EXPECT_EQ(frames.entries[0].bytes.size(), 127u - FrameBudget::kRealisticNwkSecurityBytes);
    EXPECT_EQ(frames.entries[0].airtime, PhyTiming::airtime(127));
}

TEST_F(ZigbeeNwkNetwork, UnknownDestinationIsRefused)
{
    build(chain());
    const auto r = net->node(0).sendAps(0x4242, 1, kOtaCluster, std::vector<std::uint8_t>{1});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("nwk.route"));
    EXPECT_FALSE(net->node(0).sendAps(0x0000, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
}

TEST_F(ZigbeeNwkNetwork, NoAckFromTheNextHopIsReported)
{
    build(chain());
    auto loss = std::make_unique<BernoulliLoss>(1.0); // nothing gets through
    channel.setLossModel(std::move(loss));
    ASSERT_TRUE(net->node(0).sendAps(0x0001, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
    sim.runUntil(SimTime::fromSecondsInt(1));
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_FALSE(apps[0].completed[0].result.delivered);
    EXPECT_EQ(apps[0].completed[0].result.reason, NwkDropReason::NoAck);
    ASSERT_EQ(dropLog.drops.size(), 1u);
    EXPECT_EQ(dropLog.drops[0].reason, NwkDropReason::NoAck);
}

TEST_F(ZigbeeNwkNetwork, MalformedFrameIsDroppedWithReason)
{
    build(chain());
    // A raw MAC frame from router 1 to the coordinator with a NWK version-3 header.
    const std::vector<std::uint8_t> bogus{0x0C, 0x00, 0x00, 0x00, 0x01, 0x00, 5, 1};
    ASSERT_TRUE(net->mac(1).send(bogus, 0x0000, true));
    sim.runUntil(ms(100));
    ASSERT_EQ(dropLog.drops.size(), 1u);
    EXPECT_EQ(dropLog.drops[0].reason, NwkDropReason::Malformed);
    EXPECT_EQ(dropLog.drops[0].nwkSrc, 0x0001);
    EXPECT_TRUE(apps[0].received.empty());
}

namespace {

// A generated fleet on a lossy channel; every ZED answers what it gets.
std::uint64_t fleetFingerprint(std::uint64_t seed)
{
    GeneratedTopology g;
    g.routers = 3;
    g.branching = 2;
    g.zedsPerRouter = 2; // 6 unicasts + 1 broadcast fit the coordinator's 8-frame MAC queue
    auto topology = g.generate();
    EXPECT_TRUE(topology);
    NwkConfig config;
    config.pollInterval = ms(1'000);
    Simulator sim;
    sim.setSeed(seed);
    TraceWriter trace;
    sim.addObserver(&trace);
    RadioChannel channel(RadioChannel::Config{}, std::make_unique<BernoulliLoss>(0.1));
    auto net = ZigbeeNetwork::create(sim, channel, *topology, config);
    EXPECT_TRUE(net);
    std::vector<RecordingApp> apps((*net)->size());
    for (std::size_t i = 0; i < apps.size(); ++i) {
        (*net)->node(static_cast<NodeId>(i)).setUpper(&apps[i]);
        if ((*net)->node(static_cast<NodeId>(i)).role() == NodeRole::EndDevice)
            apps[i].echoVia = &(*net)->node(static_cast<NodeId>(i));
    }
    (*net)->start();
    for (const NodeSpec& n : topology->nodes) {
        if (n.role == NodeRole::EndDevice)
            EXPECT_TRUE((*net)->node(0).sendAps(n.shortAddress, 1, kOtaCluster, std::vector<std::uint8_t>(40, 0x11)));
    }
    EXPECT_TRUE((*net)->node(0).sendAps(kNwkBroadcastAll, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
    sim.runUntil(SimTime::fromSecondsInt(20));
    std::size_t echoes = apps[0].received.size();
    EXPECT_GT(echoes, 0u);
    return trace.fingerprint();
}

} // namespace

TEST(ZigbeeNwkDeterminism, SameSeedSameTraceFingerprint)
{
    const std::uint64_t a = fleetFingerprint(42);
    const std::uint64_t b = fleetFingerprint(42);
    const std::uint64_t c = fleetFingerprint(43);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(ZigbeeNwkScale, ThousandDevicesPollAndAnswerWithoutDrops)
{
    GeneratedTopology g;
    g.routers = 100;
    g.branching = 3;
    g.zedsPerRouter = 9; // 1 + 100 + 900 = 1001 nodes, tree depth 5
    auto topology = g.generate();
    ASSERT_TRUE(topology);
    Simulator sim;
    sim.setSeed(5);
    RadioChannel channel{RadioChannel::Config{}};
    MacConfig mac;
    mac.queueCapacity = 32; // a busy coordinator needs more than the default 8
    auto net = ZigbeeNetwork::create(sim, channel, *topology, NwkConfig{}, mac);
    ASSERT_TRUE(net);
    (*net)->connectTreeLinks();
    DropLog drops;
    (*net)->setDropListener(&drops);
    std::vector<RecordingApp> apps((*net)->size());
    for (std::size_t i = 0; i < apps.size(); ++i) {
        ZigbeeNode& node = (*net)->node(static_cast<NodeId>(i));
        node.setUpper(&apps[i]);
        if (node.role() == NodeRole::EndDevice)
            apps[i].echoVia = &node;
    }
    (*net)->start();
    // One query to each ZED under the first three routers, spread over a second.
    std::size_t sent = 0;
    for (const NodeSpec& n : topology->nodes) {
        if (n.role != NodeRole::EndDevice || n.parent > 3)
            continue;
        sim.runUntil(sim.now() + SimTime::fromMillis(30));
        ASSERT_TRUE((*net)->node(0).sendAps(n.shortAddress, 1, kOtaCluster, std::vector<std::uint8_t>(50, 0x22)));
        ++sent;
    }
    sim.runUntil(SimTime::fromSecondsInt(60));
    EXPECT_EQ(apps[0].received.size(), sent);
    EXPECT_TRUE(drops.drops.empty()) << toString(drops.drops.front().reason);
    std::uint64_t polls = 0;
    for (std::size_t i = 0; i < apps.size(); ++i)
        polls += (*net)->node(static_cast<NodeId>(i)).stats().polls;
    EXPECT_GE(polls, 900u * 7); // 60 s / 7.5 s ≈ 8 polls per ZED
}

TEST_F(ZigbeeNwkNetwork, LostPollAckStillGetsTheHeldFrame)
{
    // The coordinator's ACK to the ZED's first poll (frame pending) is lost; the ZED's MAC
    // retries the poll. The held frame is already with the coordinator's MAC by then, and
    // must still count as pending, or the ZED sleeps through its delivery.
    NwkConfig config;
    config.pollInterval = ms(5'000);
    channel.setLossModel(std::make_unique<DropFirstAck>(0, 5));
    build(chain(), config);
    ZigbeeNode& zed = net->node(5);
    zed.startPolling(ms(1'000));
    ASSERT_TRUE(net->node(0).sendAps(0x0005, 1, kOtaCluster, std::vector<std::uint8_t>{0x42}));
    sim.runUntil(ms(1'100));
    ASSERT_EQ(apps[5].received.size(), 1u);
    EXPECT_EQ(apps[5].received[0].payload, std::vector<std::uint8_t>{0x42});
    EXPECT_EQ(pendingAcksFrom(0), 2u); // both ACKs of the (retried) poll said "pending"
    ASSERT_EQ(apps[0].completed.size(), 1u);
    EXPECT_TRUE(apps[0].completed[0].result.delivered);
}
