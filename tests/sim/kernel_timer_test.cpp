// SPDX-License-Identifier: Apache-2.0
// Timer: arm, re-arm (old arming never fires), cancel, isFiring.
#include "sim/kernel/timer.h"

#include "kernel_test_support.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using otalab::sim::test::RecordingHandler;
using otalab::sim::test::tag;

TEST(KernelTimer, ReArmReplacesThePendingTimeout)
{
    Simulator sim;
    RecordingHandler h;
    Timer timer;
    EXPECT_FALSE(timer.isArmed(sim));
    timer.arm(sim, SimTime::fromMillis(10), h, tag(1));
    EXPECT_TRUE(timer.isArmed(sim));
    sim.runUntil(SimTime::fromMillis(5));
    timer.arm(sim, SimTime::fromMillis(10), h, tag(2)); // now fires at 15 ms
    EXPECT_EQ(sim.pendingEvents(), 1u);
    sim.run();
    ASSERT_EQ(h.records.size(), 1u);
    EXPECT_EQ(h.records[0].data.arg0, 2u);
    EXPECT_EQ(h.records[0].time, SimTime::fromMillis(15));
    EXPECT_FALSE(timer.isArmed(sim));
}

TEST(KernelTimer, CancelAndArmAt)
{
    Simulator sim;
    RecordingHandler h;
    Timer timer;
    EXPECT_FALSE(timer.cancel(sim)) << "not armed";
    timer.armAt(sim, SimTime::fromMillis(3), h, tag(1));
    EXPECT_TRUE(timer.cancel(sim));
    EXPECT_FALSE(timer.isArmed(sim));
    EXPECT_FALSE(timer.handle().isValid());
    sim.run();
    EXPECT_TRUE(h.records.empty());
}

TEST(KernelTimer, IsFiringIdentifiesTheCurrentArming)
{
    Simulator sim;
    RecordingHandler h;
    Timer timer;
    std::vector<bool> firing;
    h.hook = [&](Simulator&, const Event& e) { firing.push_back(timer.isFiring(e)); };
    sim.schedule(SimTime::fromMillis(1), h, tag(9)); // unrelated event, same handler
    timer.arm(sim, SimTime::fromMillis(2), h, tag(1));
    sim.run();
    EXPECT_EQ(firing, (std::vector<bool>{false, true}));
}
