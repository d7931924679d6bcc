// SPDX-License-Identifier: Apache-2.0
// RealTimeScheduler: pacing against an injected fake wall clock (no real sleeping).
#include "sim/kernel/realtimescheduler.h"
#include "sim/kernel/simulator.h"

#include "kernel_test_support.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using namespace std::chrono_literals;
using otalab::sim::test::FakeClockState;
using otalab::sim::test::FakeWallClock;
using otalab::sim::test::RecordingHandler;
using otalab::sim::test::tag;

namespace {

struct PacedFixture {
    explicit PacedFixture(double speed, WallClock::Duration slice = 1s)
    {
        clock.now = 1000s; // arbitrary epoch
        auto scheduler = std::make_unique<RealTimeScheduler>(std::make_unique<FakeWallClock>(clock), speed, slice);
        rt = scheduler.get();
        sim = std::make_unique<Simulator>(std::move(scheduler));
        handler.hook = [this](Simulator&, const Event&) { wallAtEvent.push_back(clock.now); };
    }

    FakeClockState clock;
    RealTimeScheduler* rt = nullptr;
    std::unique_ptr<Simulator> sim;
    RecordingHandler handler;
    std::vector<WallClock::Duration> wallAtEvent;
};

} // namespace

TEST(KernelRealTime, EventsWaitForTheirWallClockDeadline)
{
    PacedFixture f(1.0);
    f.sim->schedule(SimTime::fromMillis(500), f.handler, tag(1));
    f.sim->schedule(SimTime::fromMillis(2500), f.handler, tag(2));
    EXPECT_EQ(f.sim->run(), RunOutcome::QueueEmpty);
    ASSERT_EQ(f.wallAtEvent.size(), 2u);
    EXPECT_EQ(f.wallAtEvent[0], 1000s + 500ms);
    EXPECT_EQ(f.wallAtEvent[1], 1000s + 2500ms);
    // Waits are sliced to at most 1 s: 0.5 s, then 1 s + 1 s.
    EXPECT_EQ(f.clock.sleeps, (std::vector<WallClock::Duration>{1000s + 500ms, 1001s + 500ms, 1002s + 500ms}));
    EXPECT_EQ(f.rt->maxLag(), WallClock::Duration::zero());
}

TEST(KernelRealTime, SpeedFactorScalesWallTime)
{
    PacedFixture f(10.0);
    f.sim->schedule(SimTime::fromSecondsInt(5), f.handler, tag(1));
    f.sim->run();
    ASSERT_EQ(f.wallAtEvent.size(), 1u);
    EXPECT_EQ(f.wallAtEvent[0], 1000s + 500ms);
}

TEST(KernelRealTime, AnchorsAtEachRunStart)
{
    PacedFixture f(1.0);
    f.sim->schedule(SimTime::fromSecondsInt(1), f.handler, tag(1));
    f.sim->schedule(SimTime::fromSecondsInt(3), f.handler, tag(2));
    f.sim->runUntil(SimTime::fromSecondsInt(1));
    // Wall time passes between runs (a paused GUI): the next run re-anchors at
    // virtual 1 s = wall 1100 s, so the event at 3 s runs at wall 1102 s.
    f.clock.now = 1100s;
    f.sim->run();
    ASSERT_EQ(f.wallAtEvent.size(), 2u);
    EXPECT_EQ(f.wallAtEvent[1], 1102s);
}

TEST(KernelRealTime, LateEventsRunImmediatelyAndRecordLag)
{
    PacedFixture f(1.0);
    f.handler.hook = [&f](Simulator&, const Event& e) {
        f.wallAtEvent.push_back(f.clock.now);
        if (e.data.arg0 == 1)
            f.clock.now += 3s; // a slow handler
    };
    f.sim->schedule(SimTime::fromSecondsInt(1), f.handler, tag(1));
    f.sim->schedule(SimTime::fromSecondsInt(2), f.handler, tag(2));
    f.sim->run();
    ASSERT_EQ(f.wallAtEvent.size(), 2u);
    EXPECT_EQ(f.wallAtEvent[1], 1004s) << "not delayed further";
    EXPECT_EQ(f.rt->maxLag(), 2s);
}

TEST(KernelRealTime, StopDuringWaitLeavesEventPending)
{
    PacedFixture f(1.0, 100ms);
    int sleeps = 0;
    f.clock.onSleep = [&] {
        if (++sleeps == 3)
            f.sim->stop(); // e.g. the GUI thread pressing Stop
    };
    const EventHandle h = f.sim->schedule(SimTime::fromSecondsInt(10), f.handler, tag(1));
    EXPECT_EQ(f.sim->run(), RunOutcome::Stopped);
    EXPECT_TRUE(f.handler.records.empty());
    EXPECT_TRUE(f.sim->isPending(h));
    EXPECT_EQ(f.clock.sleeps.size(), 3u);
    EXPECT_EQ(f.clock.now, 1000s + 300ms);
}

TEST(KernelRealTime, SteppingIsPacedToo)
{
    PacedFixture f(2.0);
    f.sim->schedule(SimTime::fromSecondsInt(4), f.handler, tag(1));
    EXPECT_TRUE(f.sim->step());
    EXPECT_EQ(f.wallAtEvent.at(0), 1002s);
}
