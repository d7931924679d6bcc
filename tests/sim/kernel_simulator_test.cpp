// SPDX-License-Identifier: Apache-2.0
// Simulator: ordering, cancellation, run limits, step, stop and observer call order.
#include "sim/kernel/simulator.h"

#include "kernel_test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace otalab::sim;
using otalab::sim::test::RecordingHandler;
using otalab::sim::test::tag;

namespace {
using IdList = std::vector<std::uint64_t>;
SimTime ns(std::int64_t v) { return SimTime::fromNanos(v); }
} // namespace

TEST(KernelSimulator, ExecutesByTimeThenInsertionOrder)
{
    Simulator sim;
    RecordingHandler h;
    sim.schedule(ns(300), h, tag(1));
    sim.schedule(ns(100), h, tag(2));
    sim.schedule(ns(200), h, tag(3));
    sim.schedule(ns(100), h, tag(4));
    sim.schedule(ns(300), h, tag(5));
    sim.schedule(ns(100), h, tag(6));
    EXPECT_EQ(sim.run(), RunOutcome::QueueEmpty);
    EXPECT_EQ(h.arg0s(), (IdList{2, 4, 6, 3, 1, 5}));
    EXPECT_EQ(sim.eventsExecuted(), 6u);
    EXPECT_EQ(sim.now(), ns(300));
    for (const auto& r : h.records)
        EXPECT_EQ(r.time, r.nowAtCall) << "now() equals the event time inside the handler";
}

TEST(KernelSimulator, EventsScheduledDuringRunAtSameTimeRunAfterExistingOnes)
{
    Simulator sim;
    RecordingHandler h;
    h.hook = [&](Simulator& s, const Event& e) {
        if (e.data.arg0 == 1) {
            s.scheduleAfter(SimTime::zero(), h, tag(10)); // same time, after 2
            s.scheduleAfter(ns(1), h, tag(11));
        }
    };
    sim.schedule(ns(5), h, tag(1));
    sim.schedule(ns(5), h, tag(2));
    sim.run();
    EXPECT_EQ(h.arg0s(), (IdList{1, 2, 10, 11}));
}

TEST(KernelSimulator, CancelBeforeRun)
{
    Simulator sim;
    RecordingHandler h;
    const EventHandle a = sim.schedule(ns(1), h, tag(1));
    sim.schedule(ns(2), h, tag(2));
    EXPECT_TRUE(sim.isPending(a));
    EXPECT_TRUE(sim.cancel(a));
    EXPECT_FALSE(sim.isPending(a));
    EXPECT_EQ(sim.pendingEvents(), 1u);
    sim.run();
    EXPECT_EQ(h.arg0s(), (IdList{2}));
}

TEST(KernelSimulator, RunningEventCancelsItsSuccessors)
{
    Simulator sim;
    RecordingHandler h;
    EventHandle later;
    EventHandle sameTime;
    h.hook = [&](Simulator& s, const Event& e) {
        if (e.data.arg0 == 1) {
            EXPECT_TRUE(s.cancel(sameTime));
            EXPECT_TRUE(s.cancel(later));
            EXPECT_FALSE(s.cancel(e.handle)) << "the running event is no longer pending";
        }
    };
    sim.schedule(ns(10), h, tag(1));
    sameTime = sim.schedule(ns(10), h, tag(2));
    later = sim.schedule(ns(20), h, tag(3));
    sim.schedule(ns(30), h, tag(4));
    sim.run();
    EXPECT_EQ(h.arg0s(), (IdList{1, 4}));
}

TEST(KernelSimulator, DoubleCancelAndCancelAfterFireAreNoOps)
{
    Simulator sim;
    RecordingHandler h;
    const EventHandle a = sim.schedule(ns(1), h, tag(1));
    const EventHandle b = sim.schedule(ns(2), h, tag(2));
    EXPECT_TRUE(sim.cancel(a));
    EXPECT_FALSE(sim.cancel(a));
    sim.run();
    EXPECT_FALSE(sim.isPending(b));
    EXPECT_FALSE(sim.cancel(b));
    EXPECT_FALSE(sim.cancel(EventHandle{}));
    // The slot of b is reused; b's stale handle must not cancel the new event.
    const EventHandle c = sim.scheduleAfter(ns(1), h, tag(3));
    EXPECT_FALSE(sim.cancel(b));
    EXPECT_FALSE(sim.cancel(a));
    EXPECT_TRUE(sim.isPending(c));
    sim.run();
    EXPECT_EQ(h.arg0s(), (IdList{2, 3}));
}

TEST(KernelSimulator, RunUntilIsInclusiveAndAdvancesNowToLimit)
{
    Simulator sim;
    RecordingHandler h;
    h.hook = [&](Simulator& s, const Event& e) {
        if (e.data.arg0 == 2)
            s.scheduleAfter(SimTime::zero(), h, tag(20)); // at exactly the limit
    };
    sim.schedule(ns(99), h, tag(1));
    sim.schedule(ns(100), h, tag(2));
    sim.schedule(ns(101), h, tag(3));
    EXPECT_EQ(sim.runUntil(ns(100)), RunOutcome::LimitReached);
    EXPECT_EQ(h.arg0s(), (IdList{1, 2, 20}));
    EXPECT_EQ(sim.now(), ns(100));
    EXPECT_EQ(sim.nextEventTime(), ns(101));

    // A limit with no events before it still advances time.
    RecordingHandler h2;
    Simulator empty;
    EXPECT_EQ(empty.runUntil(ns(500)), RunOutcome::LimitReached);
    EXPECT_EQ(empty.now(), ns(500));
    // A limit in the past does nothing.
    EXPECT_EQ(empty.runUntil(ns(400)), RunOutcome::LimitReached);
    EXPECT_EQ(empty.now(), ns(500));
    // Scheduling relative to the advanced clock.
    empty.scheduleAfter(ns(5), h2, tag(7));
    EXPECT_EQ(empty.nextEventTime(), ns(505));

    EXPECT_EQ(sim.runUntil(ns(101)), RunOutcome::LimitReached);
    EXPECT_EQ(h.arg0s(), (IdList{1, 2, 20, 3}));
    EXPECT_FALSE(sim.nextEventTime().has_value());
}

TEST(KernelSimulator, StepExecutesExactlyOneEvent)
{
    Simulator sim;
    RecordingHandler h;
    sim.schedule(ns(3), h, tag(1));
    sim.schedule(ns(3), h, tag(2));
    sim.schedule(ns(7), h, tag(3));
    EXPECT_TRUE(sim.step());
    EXPECT_EQ(h.arg0s(), (IdList{1}));
    EXPECT_EQ(sim.now(), ns(3));
    EXPECT_TRUE(sim.step());
    EXPECT_TRUE(sim.step());
    EXPECT_EQ(sim.now(), ns(7));
    EXPECT_FALSE(sim.step());
    EXPECT_EQ(sim.eventsExecuted(), 3u);
    EXPECT_EQ(h.arg0s(), (IdList{1, 2, 3}));
}

TEST(KernelSimulator, StopFromHandlerFinishesCurrentEventAndIsConsumed)
{
    Simulator sim;
    RecordingHandler h;
    h.hook = [&](Simulator& s, const Event& e) {
        if (e.data.arg0 == 2)
            s.stop();
    };
    for (std::uint64_t i = 1; i <= 4; ++i)
        sim.schedule(ns(static_cast<std::int64_t>(i * 10)), h, tag(i));
    EXPECT_EQ(sim.runUntil(ns(1000)), RunOutcome::Stopped);
    EXPECT_EQ(h.arg0s(), (IdList{1, 2}));
    EXPECT_EQ(sim.now(), ns(20)) << "a stopped runUntil does not jump to its limit";
    EXPECT_FALSE(sim.stopRequested()) << "the request is consumed";
    EXPECT_EQ(sim.run(), RunOutcome::QueueEmpty);
    EXPECT_EQ(h.arg0s(), (IdList{1, 2, 3, 4}));
}

TEST(KernelSimulator, StopBeforeRunStopsTheNextRunImmediately)
{
    Simulator sim;
    RecordingHandler h;
    sim.schedule(ns(1), h, tag(1));
    sim.stop();
    EXPECT_EQ(sim.run(), RunOutcome::Stopped);
    EXPECT_TRUE(h.records.empty());
    EXPECT_EQ(sim.run(), RunOutcome::QueueEmpty);
    EXPECT_EQ(h.arg0s(), (IdList{1}));
}

TEST(KernelSimulator, SeedIsCarried)
{
    Simulator sim;
    EXPECT_EQ(sim.seed(), 0u);
    sim.setSeed(99);
    EXPECT_EQ(sim.seed(), 99u);
}

namespace {

// Logs every callback as a short string to check the documented call order.
class OrderObserver final : public SimObserver {
public:
    void onRunStarted(SimTime now) override { log.push_back("start@" + std::to_string(now.nanos())); }
    void onEventExecuted(const Event& e) override { log.push_back("event" + std::to_string(e.data.arg0)); }
    void onStateChange(const StateChange& c) override { log.push_back("state" + std::to_string(c.to)); }
    void onFrame(const FrameRecord& f) override { log.push_back("frame" + std::to_string(f.bytes.size())); }
    void onEnergy(const EnergySample&) override { log.push_back("energy"); }
    void onProgress(const Progress& p) override
    {
        log.push_back("progress" + std::to_string(p.eventsExecuted) + "/" + std::to_string(p.eventsPending));
    }
    void onRunFinished(SimTime now, RunOutcome) override { log.push_back("end@" + std::to_string(now.nanos())); }

    std::vector<std::string> log;
};

} // namespace

TEST(KernelSimulator, ObserverCallOrder)
{
    Simulator sim;
    sim.setProgressInterval(2);
    OrderObserver first;
    OrderObserver second;
    sim.addObserver(&first);
    sim.addObserver(&second);
    sim.addObserver(&first); // duplicate ignored
    RecordingHandler h;
    const std::uint8_t bytes[3] = {1, 2, 3};
    h.hook = [&](Simulator& s, const Event& e) {
        if (e.data.arg0 == 1) {
            s.observers().notifyStateChange(StateChange{s.now(), 0, 0, 0, 5});
            FrameRecord frame;
            frame.time = s.now();
            frame.bytes = bytes;
            s.observers().notifyFrame(frame);
            s.observers().notifyEnergy(EnergySample{});
        }
    };
    sim.schedule(ns(1), h, tag(1));
    sim.schedule(ns(2), h, tag(2));
    sim.schedule(ns(3), h, tag(3));
    sim.runUntil(ns(10));
    const std::vector<std::string> expected{
        "start@0", "event1", "state5", "frame3", "energy", "event2", "progress2/1",
        "event3", "progress3/0", "end@10"};
    EXPECT_EQ(first.log, expected);
    EXPECT_EQ(second.log, expected);

    sim.removeObserver(&second);
    sim.schedule(ns(11), h, tag(4));
    sim.run();
    EXPECT_EQ(second.log.size(), expected.size());
    EXPECT_GT(first.log.size(), expected.size());
}

TEST(KernelSimulator, ReserveAndQueueDiagnostics)
{
    Simulator sim;
    sim.reserve(1000);
    RecordingHandler h;
    for (int i = 0; i < 100; ++i)
        sim.schedule(ns(i), h, tag(static_cast<std::uint64_t>(i)));
    EXPECT_EQ(sim.queue().size(), 100u);
    sim.run();
    EXPECT_EQ(sim.eventsExecuted(), 100u);
}
