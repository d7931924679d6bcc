// SPDX-License-Identifier: Apache-2.0
#include "radio_test_support.h"

#include "sim/radio/radiochannel.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using namespace otalab::sim::test;

TEST(RadioCollision, SimultaneousSendersWithoutCcaCollideEveryAttempt)
{
    // A and C transmit to B at the same instant with no CSMA: both frames are lost at
    // B on every attempt (no capture effect), so both give up after 4 transmissions.
    Simulator sim;
    sim.setSeed(1);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    Mac c(sim, channel, 2, 0x0002, immediateConfig());
    RecordingUpper ua, ub, uc;
    a.setUpper(&ua);
    b.setUpper(&ub);
    c.setUpper(&uc);
    ASSERT_TRUE(a.send(payloadOf(30), 0x0001, true));
    ASSERT_TRUE(c.send(payloadOf(30), 0x0001, true));
    sim.run();
    EXPECT_TRUE(ub.received.empty());
    EXPECT_EQ(log.count(FrameFate::Collided, 1), 8u);
    EXPECT_EQ(log.count(FrameFate::Delivered), 0u);
    ASSERT_EQ(ua.completed.size(), 1u);
    ASSERT_EQ(uc.completed.size(), 1u);
    EXPECT_EQ(ua.completed[0].result.status, MacStatus::NoAck);
    EXPECT_EQ(uc.completed[0].result.status, MacStatus::NoAck);
    EXPECT_EQ(ua.completed[0].result.transmissions, 4);
}

TEST(RadioCollision, PartialOverlapKillsBothFrames)
{
    Simulator sim;
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    Mac c(sim, channel, 2, 0x0002, immediateConfig());
    RecordingUpper ub;
    b.setUpper(&ub);
    ASSERT_TRUE(a.send(payloadOf(100), 0xFFFF, false)); // 0 .. 3.744 ms
    sim.runUntil(SimTime::fromMillis(3));
    ASSERT_TRUE(c.send(payloadOf(10), 0xFFFF, false)); // 3 ms .. 3.864 ms
    sim.run();
    EXPECT_TRUE(ub.received.empty());
    EXPECT_EQ(log.count(FrameFate::Collided, 1), 2u);
    // A and C each also lost the other's frame (half duplex / overlap).
    EXPECT_EQ(log.count(FrameFate::Collided), 4u);
}

TEST(RadioCollision, HiddenTerminalsCollideDespiteCsma)
{
    // A and C both reach B but cannot hear each other: their CCAs see an idle channel
    // and their first transmissions (3.5 ms, longer than the largest first backoff of
    // 7 × 320 µs) overlap at B.
    Simulator sim;
    sim.setSeed(2);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    channel.connect(0, 1);
    channel.connect(2, 1);
    Mac a(sim, channel, 0, 0x0000);
    Mac b(sim, channel, 1, 0x0001);
    Mac c(sim, channel, 2, 0x0002);
    RecordingUpper ua, ub, uc;
    a.setUpper(&ua);
    b.setUpper(&ub);
    c.setUpper(&uc);
    ASSERT_TRUE(a.send(payloadOf(95), 0x0001, true));
    ASSERT_TRUE(c.send(payloadOf(95), 0x0001, true));
    sim.run();
    EXPECT_GE(log.count(FrameFate::Collided, 1), 2u);
    // The first attempts of both collided; nothing was transmitted to the other side.
    ASSERT_GE(log.entries.size(), 3u);
    EXPECT_EQ(log.entries[0].fate, FrameFate::Transmitted);
    EXPECT_EQ(log.entries[1].fate, FrameFate::Transmitted);
}

TEST(RadioCollision, CsmaDefersToAnAudibleTransmission)
{
    // C starts its CCA while A's long frame is on the air: C backs off and transmits
    // after A has finished; B receives both.
    Simulator sim;
    sim.setSeed(9);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    Mac c(sim, channel, 2, 0x0002);
    RecordingUpper ub, uc;
    b.setUpper(&ub);
    c.setUpper(&uc);
    ASSERT_TRUE(a.send(payloadOf(116), 0xFFFF, false)); // 0 .. 4.256 ms
    sim.runUntil(SimTime::fromMicros(100));
    ASSERT_TRUE(c.send(payloadOf(10), 0xFFFF, false));
    sim.run();
    EXPECT_EQ(ub.received.size(), 2u);
    ASSERT_EQ(uc.completed.size(), 1u);
    EXPECT_EQ(uc.completed[0].result.status, MacStatus::Success);
    EXPECT_GE(uc.completed[0].result.busyCcas, 1);
    EXPECT_EQ(log.count(FrameFate::Collided), 0u);
}

TEST(RadioCollision, SleeperWakingMidFrameSensesItButCannotDecodeIt)
{
    // A's long broadcast starts while C sleeps. C wakes 1 ms later to send (its receiver
    // comes on with the queued frame): its CCA must see A's frame on the air, so C backs
    // off; and C cannot decode A's frame, whose start it slept through.
    Simulator sim;
    sim.setSeed(4);
    FrameLog log;
    sim.addObserver(&log);
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    MacConfig sleepy;
    sleepy.rxOnWhenIdle = false;
    Mac c(sim, channel, 2, 0x0002, sleepy);
    RecordingUpper ub, uc;
    b.setUpper(&ub);
    c.setUpper(&uc);
    ASSERT_TRUE(a.send(payloadOf(116), 0xFFFF, false)); // 0 .. 4.256 ms
    sim.runUntil(SimTime::fromMillis(1));
    EXPECT_FALSE(c.receiverOn());
    ASSERT_TRUE(c.send(payloadOf(10), 0x0001, true)); // CCA within 1 + 7 × 0.32 + 0.128 ms
    sim.run();
    ASSERT_EQ(uc.completed.size(), 1u);
    EXPECT_EQ(uc.completed[0].result.status, MacStatus::Success);
    EXPECT_GE(uc.completed[0].result.busyCcas, 1);
    EXPECT_TRUE(uc.received.empty());
    EXPECT_EQ(log.count(FrameFate::Missed, 2), 1u);
    EXPECT_EQ(ub.received.size(), 2u);
    EXPECT_EQ(log.count(FrameFate::Collided), 0u);
}
