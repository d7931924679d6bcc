// SPDX-License-Identifier: Apache-2.0
#include "radio_test_support.h"

#include "sim/channel/bernoulliloss.h"
#include "sim/channel/distanceloss.h"
#include "sim/channel/linkcutschedule.h"
#include "sim/radio/radiochannel.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

constexpr SimTime us(std::int64_t v)
{
    return SimTime::fromMicros(v);
}

// A (node 0, 0x0000) and B (node 1, 0x0001) on one channel, optionally C (node 2).
struct RadioMacTwoNodes : ::testing::Test {
    explicit RadioMacTwoNodes(MacConfig aConfig = immediateConfig(), MacConfig bConfig = {})
    {
        sim.setSeed(7);
        sim.addObserver(&log);
        a = std::make_unique<Mac>(sim, channel, 0, 0x0000, aConfig);
        b = std::make_unique<Mac>(sim, channel, 1, 0x0001, bConfig);
        a->setUpper(&upperA);
        b->setUpper(&upperB);
    }
    LinkCutSchedule& cuts()
    {
        if (!m_cuts) {
            auto schedule = std::make_unique<LinkCutSchedule>();
            m_cuts = schedule.get();
            channel.setLossModel(std::move(schedule));
        }
        return *m_cuts;
    }

    Simulator sim;
    FrameLog log;
    RadioChannel channel{RadioChannel::Config{}};
    std::unique_ptr<Mac> a, b;
    RecordingUpper upperA, upperB;

private:
    LinkCutSchedule* m_cuts = nullptr;
};

} // namespace

TEST_F(RadioMacTwoNodes, UnicastAckExchangeTiming)
{
    // 20-byte payload → 31-byte MPDU → 37 bytes on air = 1184 µs.
    ASSERT_TRUE(a->send(payloadOf(20), 0x0001, true));
    sim.run();

    ASSERT_EQ(log.entries.size(), 4u);
    EXPECT_EQ(log.entries[0].fate, FrameFate::Transmitted);
    EXPECT_EQ(log.entries[0].time, us(0));
    EXPECT_EQ(log.entries[0].airtime, us(1184));
    EXPECT_EQ(log.entries[0].dst, 1u);
    EXPECT_EQ(log.entries[1].fate, FrameFate::Delivered);
    EXPECT_EQ(log.entries[1].time, us(1184));
    // ACK after aTurnaroundTime (192 µs), 352 µs on air.
    EXPECT_EQ(log.entries[2].fate, FrameFate::Transmitted);
    EXPECT_EQ(log.entries[2].src, 1u);
    EXPECT_EQ(log.entries[2].time, us(1184 + 192));
    EXPECT_EQ(log.entries[2].bytes.size(), 5u);
    EXPECT_EQ(log.entries[3].fate, FrameFate::Delivered);
    EXPECT_EQ(log.entries[3].time, us(1184 + 192 + 352));

    ASSERT_EQ(upperB.received.size(), 1u);
    EXPECT_EQ(upperB.received[0].time, us(1184));
    EXPECT_EQ(upperB.received[0].payload, payloadOf(20));
    EXPECT_EQ(upperB.received[0].header.src, 0x0000);
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_EQ(upperA.completed[0].time, us(1728));
    EXPECT_EQ(upperA.completed[0].result.status, MacStatus::Success);
    EXPECT_EQ(upperA.completed[0].result.transmissions, 1);
}

TEST_F(RadioMacTwoNodes, AckCarriesFramePendingBit)
{
    upperB.pendingBit = true;
    ASSERT_TRUE(a->send(payloadOf(1), 0x0001, true, MacFrameType::Command));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_TRUE(upperA.completed[0].result.framePending);
    EXPECT_EQ(upperB.received.at(0).header.type, MacFrameType::Command);
}

TEST_F(RadioMacTwoNodes, RetriesOnCutLinkUntilSuccess)
{
    // Attempt n (Immediate access) starts at (n−1) × (1184 + 864) µs: 0, 2048, 4096.
    cuts().addCut(0, 1, us(0), us(4000));
    ASSERT_TRUE(a->send(payloadOf(20), 0x0001, true));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_EQ(upperA.completed[0].result.status, MacStatus::Success);
    EXPECT_EQ(upperA.completed[0].result.transmissions, 3);
    EXPECT_EQ(upperA.completed[0].time, us(4096 + 1184 + 192 + 352));
    EXPECT_EQ(upperB.received.size(), 1u);
    EXPECT_EQ(log.count(FrameFate::Lost, 1), 2u);
}

TEST_F(RadioMacTwoNodes, RetriesUntilFailureAfterFourAttempts)
{
    cuts().addCut(0, 1, us(0), SimTime::fromSecondsInt(10));
    ASSERT_TRUE(a->send(payloadOf(20), 0x0001, true));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_EQ(upperA.completed[0].result.status, MacStatus::NoAck);
    EXPECT_EQ(upperA.completed[0].result.transmissions, 4); // 1 + macMaxFrameRetries
    EXPECT_EQ(upperA.completed[0].time, us(4 * (1184 + 864)));
    EXPECT_EQ(log.count(FrameFate::Transmitted), 4u);
    EXPECT_TRUE(upperB.received.empty());
    EXPECT_EQ(a->stats().noAcks, 1u);
}

TEST_F(RadioMacTwoNodes, LostAckCausesRetransmissionThatIsFilteredAsDuplicate)
{
    cuts().addCut(0, 1, us(1300), us(1800)); // only the first ACK (1376–1728 µs)
    ASSERT_TRUE(a->send(payloadOf(20), 0x0001, true));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_EQ(upperA.completed[0].result.status, MacStatus::Success);
    EXPECT_EQ(upperA.completed[0].result.transmissions, 2);
    EXPECT_EQ(upperB.received.size(), 1u);
    EXPECT_EQ(b->stats().duplicates, 1u);
    EXPECT_EQ(b->stats().acksSent, 2u);
}

TEST_F(RadioMacTwoNodes, LossyLinkSuccessRateMatchesRetryArithmetic)
{
    // Data and ACK are each lost with p = 0.3, so an attempt succeeds with 0.49 and a
    // frame fails after 4 attempts with (1 − 0.49)^4 = 0.0677.
    channel.setLossModel(std::make_unique<BernoulliLoss>(0.3));
    constexpr int kFrames = 3000;
    int sent = 1;
    upperA.onComplete = [&](Simulator&, const MacSendResult&) {
        if (sent < kFrames) {
            ++sent;
            ASSERT_TRUE(a->send(payloadOf(10), 0x0001, true));
        }
    };
    ASSERT_TRUE(a->send(payloadOf(10), 0x0001, true));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), static_cast<std::size_t>(kFrames));
    int failed = 0;
    for (const auto& c : upperA.completed) {
        EXPECT_GE(c.result.transmissions, 1);
        EXPECT_LE(c.result.transmissions, 4);
        failed += c.result.status == MacStatus::NoAck ? 1 : 0;
    }
    EXPECT_NEAR(static_cast<double>(failed) / kFrames, 0.0677, 0.015);
}

TEST_F(RadioMacTwoNodes, OversizeFrameIsRejectedWithReason)
{
    const auto tooBig = a->send(payloadOf(117), 0x0001, true);
    ASSERT_FALSE(tooBig);
    EXPECT_TRUE(tooBig.error().message.contains(QStringLiteral("127")));
    EXPECT_TRUE(tooBig.error().message.contains(QStringLiteral("116")));
    EXPECT_EQ(tooBig.error().field, QStringLiteral("mac.payload"));
    EXPECT_EQ(a->pending(), 0u);

    ASSERT_TRUE(a->send(payloadOf(116), 0x0001, false)); // exactly 127 bytes
    sim.run();
    ASSERT_FALSE(log.entries.empty());
    EXPECT_EQ(log.entries[0].bytes.size(), 127u);
    EXPECT_EQ(log.entries[0].airtime, us(4256));
}

TEST_F(RadioMacTwoNodes, AirOnlyOctetsLengthenTheAirtimeButAreNotCarried)
{
    // 20-byte payload + 18 air-only octets: a 31-byte MPDU on the air as a 49-byte
    // PSDU, (6 + 49) × 32 µs = 1760 µs; the receiver, the record and the ACK timing see
    // the 31 real bytes only, with their own FCS.
    ASSERT_TRUE(a->send(payloadOf(20), 0x0001, true, MacFrameType::Data, false, 18));
    sim.run();
    ASSERT_EQ(log.entries.size(), 4u);
    EXPECT_EQ(log.entries[0].fate, FrameFate::Transmitted);
    EXPECT_EQ(log.entries[0].airtime, us(1760));
    EXPECT_EQ(log.entries[0].bytes.size(), 31u);
    EXPECT_TRUE(MacFrame::parse(log.entries[0].bytes));  // FCS over the carried bytes
    EXPECT_EQ(log.entries[1].time, us(1760));
    EXPECT_EQ(log.entries[2].time, us(1760 + 192));       // ACK after aTurnaroundTime
    ASSERT_EQ(upperB.received.size(), 1u);
    EXPECT_EQ(upperB.received[0].payload, payloadOf(20));

    // They count against aMaxPHYPacketSize: 98 + 11 + 18 = 127 fits, 99 does not.
    const auto tooBig = a->send(payloadOf(99), 0x0001, false, MacFrameType::Data, false, 18);
    ASSERT_FALSE(tooBig);
    EXPECT_EQ(tooBig.error().field, QStringLiteral("mac.payload"));
    EXPECT_TRUE(tooBig.error().message.contains(QStringLiteral("at most 98"))) << tooBig.error().message.toStdString();
    ASSERT_TRUE(a->send(payloadOf(98), 0x0001, false, MacFrameType::Data, false, 18));
    sim.run();
    EXPECT_EQ(log.entries.back().bytes.size(), 109u);
    EXPECT_EQ(log.entries.back().airtime, us(4256)); // a 127-octet PSDU
}

TEST_F(RadioMacTwoNodes, QueueFullIsAnError)
{
    for (int i = 0; i < 8; ++i)
        ASSERT_TRUE(a->send(payloadOf(5), 0x0001, false));
    const auto full = a->send(payloadOf(5), 0x0001, false);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().field, QStringLiteral("mac.queue"));
    sim.run();
    EXPECT_EQ(upperA.completed.size(), 8u);
    EXPECT_EQ(upperB.received.size(), 8u);
}

TEST_F(RadioMacTwoNodes, UnknownDestinationEndsInNoAck)
{
    ASSERT_TRUE(a->send(payloadOf(5), 0x7777, true));
    sim.run();
    ASSERT_EQ(upperA.completed.size(), 1u);
    EXPECT_EQ(upperA.completed[0].result.status, MacStatus::NoAck);
    EXPECT_EQ(log.entries.at(0).dst, kNoNode);
}

TEST(RadioMac, BroadcastIsNotAcknowledgedAndSleepersMissIt)
{
    Simulator sim;
    sim.setSeed(3);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    MacConfig sleepy;
    sleepy.rxOnWhenIdle = false;
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    Mac c(sim, channel, 2, 0x0002, sleepy);
    RecordingUpper ua, ub, uc;
    a.setUpper(&ua);
    b.setUpper(&ub);
    c.setUpper(&uc);
    EXPECT_EQ(c.radioState(), RadioState::Sleep);

    ASSERT_TRUE(a.send(payloadOf(10), 0xFFFF, /*ackRequested=*/true));
    sim.run();
    EXPECT_EQ(ub.received.size(), 1u);
    EXPECT_TRUE(uc.received.empty());
    EXPECT_EQ(log.count(FrameFate::Missed, 2), 1u); // the sleeper's miss is reported
    EXPECT_EQ(log.count(FrameFate::Transmitted), 1u); // no ACKs for a broadcast
    ASSERT_EQ(ua.completed.size(), 1u);
    EXPECT_EQ(ua.completed[0].result.status, MacStatus::Success);
    EXPECT_EQ(ua.completed[0].time, SimTime::fromMicros(32 * (6 + 21)));

    // A receive window (a polling end device) lets it hear the next one.
    c.enableReceiver(SimTime::fromMillis(10));
    EXPECT_EQ(c.radioState(), RadioState::Idle);
    ASSERT_TRUE(a.send(payloadOf(10), 0xFFFF, false));
    sim.run();
    EXPECT_EQ(uc.received.size(), 1u);
    EXPECT_EQ(c.radioState(), RadioState::Sleep); // window closed at +10 ms
}

TEST(RadioMac, CsmaBackoffStaysWithinBounds)
{
    // Alone on the channel, a broadcast goes on air after k × 320 µs backoff
    // (k in 0..2^macMinBE − 1 = 0..7), 128 µs CCA and 192 µs turnaround.
    Simulator sim;
    sim.setSeed(11);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000);
    Mac b(sim, channel, 1, 0x0001);
    std::set<std::int64_t> slots;
    for (int i = 0; i < 400; ++i) {
        const SimTime queued = sim.now();
        ASSERT_TRUE(a.send(payloadOf(4), 0xFFFF, false));
        sim.run();
        const SimTime start = log.entries[log.entries.size() - 2].time; // Transmitted, Delivered
        const std::int64_t delayUs = (start - queued).nanos() / 1000 - 128 - 192;
        ASSERT_EQ(delayUs % 320, 0) << delayUs;
        slots.insert(delayUs / 320);
    }
    EXPECT_EQ(*slots.begin(), 0);
    EXPECT_EQ(*slots.rbegin(), 7);
    EXPECT_EQ(slots.size(), 8u);
}

TEST(RadioMac, BusyChannelEndsInChannelAccessFailure)
{
    // A jammer transmits back-to-back frames; a CSMA sender gives up after
    // macMaxCSMABackoffs + 1 = 5 busy CCAs without transmitting.
    Simulator sim;
    sim.setSeed(5);
    RadioChannel channel{RadioChannel::Config{}};
    Mac jammer(sim, channel, 0, 0x0000, immediateConfig());
    Mac sender(sim, channel, 1, 0x0001);
    Mac sink(sim, channel, 2, 0x0002);
    RecordingUpper uj, us;
    jammer.setUpper(&uj);
    sender.setUpper(&us);
    int jams = 0;
    uj.onComplete = [&](Simulator&, const MacSendResult&) {
        if (++jams < 100) {
            ASSERT_TRUE(jammer.send(payloadOf(116), 0xFFFF, false));
        }
    };
    ASSERT_TRUE(jammer.send(payloadOf(116), 0xFFFF, false));
    ASSERT_TRUE(sender.send(payloadOf(10), 0x0002, true));
    sim.run();
    ASSERT_EQ(us.completed.size(), 1u);
    EXPECT_EQ(us.completed[0].result.status, MacStatus::ChannelAccessFailure);
    EXPECT_EQ(us.completed[0].result.busyCcas, 5);
    EXPECT_EQ(us.completed[0].result.transmissions, 0);
    // Longest possible: backoffs of (7 + 15 + 31 + 31 + 31) × 320 µs + 5 CCAs.
    EXPECT_LE(us.completed[0].time, SimTime::fromMicros(115 * 320 + 5 * 128));
    EXPECT_GE(us.completed[0].time, SimTime::fromMicros(5 * 128));
}

TEST(RadioMac, DistanceModelRssiReachesRecordsAndUpperLayer)
{
    Simulator sim;
    FrameLog log;
    sim.addObserver(&log);
    auto distance = std::make_unique<DistanceLoss>(DistanceLoss::Params{});
    distance->setPosition(1, {10.0, 0.0, 0.0}); // 10 m: PL = 70.2 dB, PER ≈ 0
    RadioChannel channel{RadioChannel::Config{}, std::move(distance)};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    struct RssiUpper final : MacUpper {
        void onSendComplete(Simulator&, const MacSendResult&) override {}
        void onReceive(Simulator&, const MacIndication& ind) override { rssi = ind.rssiDbm; }
        double rssi = 0.0;
    } ub;
    b.setUpper(&ub);
    ASSERT_TRUE(a.send(payloadOf(20), 0x0001, false));
    sim.run();
    EXPECT_NEAR(ub.rssi, -70.2, 1e-9);
    ASSERT_EQ(log.count(FrameFate::Delivered, 1), 1u);
    EXPECT_EQ(log.entries[1].rssiDbm, -70);
}

TEST(RadioMac, PollingEndDeviceGetsItsIndirectFrame)
{
    // The usage the Zigbee models build on: a sleepy end device polls its parent with
    // a Data Request; the parent's ACK carries frame-pending, the child keeps its
    // receiver on for a window, the parent sends the held frame, the child sleeps again.
    Simulator sim;
    sim.setSeed(21);
    RadioChannel channel{RadioChannel::Config{}};
    MacConfig sleepy;
    sleepy.rxOnWhenIdle = false;
    Mac parent(sim, channel, 0, 0x0000);
    Mac child(sim, channel, 1, 0x4A2B, sleepy);

    struct Parent final : MacUpper {
        Mac* mac = nullptr;
        bool holding = true;
        void onSendComplete(Simulator&, const MacSendResult& r) override { ok = r.status == MacStatus::Success; }
        void onReceive(Simulator&, const MacIndication& ind) override
        {
            if (ind.header.type == MacFrameType::Command && !ind.payload.empty()
                && ind.payload[0] == kMacCommandDataRequest && holding) {
                holding = false;
                ASSERT_TRUE(mac->send(payloadOf(50), ind.header.src, true));
            }
        }
        bool hasPendingFor(std::uint16_t src) const override { return holding && src == 0x4A2B; }
        bool ok = false;
    } up;
    up.mac = &parent;
    struct Child final : MacUpper {
        Mac* mac = nullptr;
        void onSendComplete(Simulator&, const MacSendResult& r) override
        {
            if (r.status == MacStatus::Success && r.framePending)
                mac->enableReceiver(SimTime::fromMillis(50));
        }
        void onReceive(Simulator& sim, const MacIndication& ind) override
        {
            got.push_back(sim.now());
            size = ind.payload.size();
        }
        std::vector<SimTime> got;
        std::size_t size = 0;
    } uc;
    uc.mac = &child;
    parent.setUpper(&up);
    child.setUpper(&uc);

    EXPECT_EQ(child.radioState(), RadioState::Sleep);
    const std::uint8_t dataRequest[] = {kMacCommandDataRequest};
    ASSERT_TRUE(child.send(dataRequest, 0x0000, true, MacFrameType::Command));
    sim.run();
    EXPECT_TRUE(up.ok);
    ASSERT_EQ(uc.got.size(), 1u);
    EXPECT_EQ(uc.size, 50u);
    EXPECT_LT(uc.got[0], SimTime::fromMillis(50));
    EXPECT_EQ(child.radioState(), RadioState::Sleep);
    EXPECT_EQ(child.stats().acksSent, 1u);
}
