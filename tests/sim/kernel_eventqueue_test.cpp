// SPDX-License-Identifier: Apache-2.0
// EventQueue: ordering, handles, lazy cancellation, compaction and renumbering.
#include "sim/kernel/eventqueue.h"
#include "sim/kernel/splitmix64.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace otalab::sim;

namespace {

EventData tagged(std::uint64_t id)
{
    return EventData{0, 0, id, 0};
}

std::vector<std::uint64_t> drain(EventQueue& q)
{
    std::vector<std::uint64_t> ids;
    while (!q.empty())
        ids.push_back(q.pop().event.data.arg0);
    return ids;
}

} // namespace

TEST(KernelEventQueue, PopsByTimeThenInsertionOrder)
{
    EventQueue q;
    q.push(SimTime::fromNanos(30), nullptr, tagged(1));
    q.push(SimTime::fromNanos(10), nullptr, tagged(2));
    q.push(SimTime::fromNanos(20), nullptr, tagged(3));
    q.push(SimTime::fromNanos(10), nullptr, tagged(4));
    q.push(SimTime::fromNanos(10), nullptr, tagged(5));
    EXPECT_EQ(q.size(), 5u);
    EXPECT_EQ(q.nextTime(), SimTime::fromNanos(10));
    EXPECT_EQ(drain(q), (std::vector<std::uint64_t>{2, 4, 5, 3, 1}));
}

TEST(KernelEventQueue, PopReturnsDataTargetAndHandle)
{
    EventQueue q;
    int dummy = 0;
    auto* target = reinterpret_cast<EventHandler*>(&dummy); // never dereferenced
    const EventHandle h = q.push(SimTime::fromMillis(2), target, EventData{7, 3, 11, 12});
    const EventQueue::Popped p = q.pop();
    EXPECT_EQ(p.target, target);
    EXPECT_EQ(p.event.time, SimTime::fromMillis(2));
    EXPECT_EQ(p.event.handle, h);
    EXPECT_EQ(p.event.data.node, 7u);
    EXPECT_EQ(p.event.data.kind, 3u);
    EXPECT_EQ(p.event.data.arg0, 11u);
    EXPECT_EQ(p.event.data.arg1, 12u);
    EXPECT_FALSE(q.isPending(h));
}

TEST(KernelEventQueue, CancelRemovesOnlyThatEvent)
{
    EventQueue q;
    const EventHandle a = q.push(SimTime::fromNanos(1), nullptr, tagged(1));
    const EventHandle b = q.push(SimTime::fromNanos(1), nullptr, tagged(2));
    const EventHandle c = q.push(SimTime::fromNanos(2), nullptr, tagged(3));
    EXPECT_TRUE(q.cancel(a));
    EXPECT_FALSE(q.cancel(a)) << "double cancel is a no-op";
    EXPECT_FALSE(q.isPending(a));
    EXPECT_TRUE(q.isPending(b));
    EXPECT_TRUE(q.isPending(c));
    EXPECT_EQ(q.size(), 2u);
    EXPECT_EQ(drain(q), (std::vector<std::uint64_t>{2, 3}));
    EXPECT_FALSE(q.cancel(b)) << "cancel after pop is a no-op";
    EXPECT_FALSE(q.cancel(EventHandle{})) << "invalid handle";
    EXPECT_FALSE(q.cancel(EventHandle{12345, 0})) << "out-of-range slot";
}

TEST(KernelEventQueue, StaleHandleDoesNotCancelSlotReuse)
{
    EventQueue q;
    const EventHandle old = q.push(SimTime::fromNanos(5), nullptr, tagged(1));
    ASSERT_TRUE(q.cancel(old));
    const EventHandle fresh = q.push(SimTime::fromNanos(6), nullptr, tagged(2));
    EXPECT_EQ(fresh.slot, old.slot) << "slots are recycled";
    EXPECT_NE(fresh.generation, old.generation);
    EXPECT_FALSE(q.cancel(old));
    EXPECT_TRUE(q.isPending(fresh));
    EXPECT_EQ(drain(q), (std::vector<std::uint64_t>{2}));
}

TEST(KernelEventQueue, CancelledTopIsSkippedAndNextTimeIsLive)
{
    EventQueue q;
    const EventHandle first = q.push(SimTime::fromNanos(1), nullptr, tagged(1));
    q.push(SimTime::fromNanos(9), nullptr, tagged(2));
    q.cancel(first);
    EXPECT_EQ(q.nextTime(), SimTime::fromNanos(9));
    EXPECT_EQ(q.heapEntries(), 1u) << "stale top is discarded eagerly";
}

TEST(KernelEventQueue, CompactsWhenCancelledEntriesDominate)
{
    EventQueue q;
    std::vector<EventHandle> handles;
    const std::size_t n = 3 * EventQueue::kMinCompactEntries;
    for (std::size_t i = 0; i < n; ++i)
        handles.push_back(q.push(SimTime::fromNanos(static_cast<std::int64_t>(n - i)), nullptr, tagged(i)));
    // Cancel all but every third event, from the back (never the top) so that the
    // stale entries stay in the heap until compaction.
    std::vector<std::uint64_t> expected;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 3 == 0)
            expected.push_back(i);
        else
            EXPECT_TRUE(q.cancel(handles[i]));
    }
    EXPECT_GE(q.compactions(), 1u);
    EXPECT_LE(q.heapEntries(), 2 * q.size() + EventQueue::kMinCompactEntries);
    EXPECT_EQ(q.size(), expected.size());
    std::reverse(expected.begin(), expected.end()); // later index = earlier time
    EXPECT_EQ(drain(q), expected);
}

TEST(KernelEventQueue, RenumberingPreservesOrder)
{
    // With a 16-number sequence space, 50 pushes force several renumberings while
    // same-time events are pending across them; they must still pop in insertion
    // order, and earlier times must still come first.
    EventQueue q(/*sequenceLimit=*/16);
    std::vector<std::uint64_t> expected;
    std::vector<std::uint64_t> popped;
    std::uint64_t id = 0;
    for (int round = 0; round < 10; ++round) {
        for (int i = 0; i < 5; ++i) {
            const EventHandle h = q.push(SimTime::fromNanos(1000), nullptr, tagged(id));
            if (i == 3)
                q.cancel(h);
            else
                expected.push_back(id);
            ++id;
        }
        q.push(SimTime::fromNanos(10), nullptr, tagged(1000 + round));
        EXPECT_EQ(q.pop().event.data.arg0, 1000u + round);
        for (int i = 0; i < 3; ++i)
            popped.push_back(q.pop().event.data.arg0);
    }
    EXPECT_GE(q.renumberings(), 3u);
    for (std::uint64_t rest : drain(q))
        popped.push_back(rest);
    EXPECT_EQ(popped, expected);
}

TEST(KernelEventQueue, ClearInvalidatesHandles)
{
    EventQueue q;
    const EventHandle a = q.push(SimTime::fromNanos(1), nullptr, tagged(1));
    const EventHandle b = q.push(SimTime::fromNanos(2), nullptr, tagged(2));
    q.cancel(b);
    q.clear();
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.heapEntries(), 0u);
    EXPECT_FALSE(q.isPending(a));
    EXPECT_FALSE(q.cancel(a));
    q.push(SimTime::fromNanos(3), nullptr, tagged(3));
    EXPECT_EQ(drain(q), (std::vector<std::uint64_t>{3}));
}

// pushFifo (the FIFO lane for constant short delays) must pop in exactly push()'s
// (time, sequence) order, whatever mix of lanes, cancellations and renumberings.
TEST(EventQueueFifo, SameOrderAsPushWithCancelsAndRenumbering)
{
    const auto run = [](bool useFifo) {
        EventQueue q(5000); // renumbers several times
        SplitMix64 rng(42);
        std::vector<EventHandle> handles;
        std::vector<std::uint64_t> order;
        std::int64_t now = 0;
        for (int step = 0; step < 20000; ++step) {
            const std::uint64_t r = rng.next();
            if (r % 5 == 0 && !q.empty()) {
                const EventQueue::Popped p = q.pop();
                EXPECT_GE(p.event.time.nanos(), now);
                now = p.event.time.nanos();
                order.push_back(p.event.data.arg0);
            } else if (r % 5 == 1 && !handles.empty()) {
                q.cancel(handles[(r >> 8) % handles.size()]);
            } else {
                const std::uint64_t kind = (r >> 3) % 4; // 0: ACK wait lane, 1: turnaround lane, 2-3: heap
                const std::int64_t delay = kind == 0 ? 864 : kind == 1 ? 192 : static_cast<std::int64_t>((r >> 16) % 5000);
                const SimTime at = SimTime::fromNanos(now + delay);
                const EventData data{0, 1, static_cast<std::uint64_t>(step), 0};
                handles.push_back(useFifo && kind < 2 ? q.pushFifo(at, nullptr, data, kind) : q.push(at, nullptr, data));
            }
        }
        while (!q.empty())
            order.push_back(q.pop().event.data.arg0);
        EXPECT_GT(q.renumberings(), 0u);
        return order;
    };
    const std::vector<std::uint64_t> heapOnly = run(false);
    const std::vector<std::uint64_t> withFifo = run(true);
    EXPECT_GT(heapOnly.size(), 1000u);
    EXPECT_EQ(heapOnly, withFifo);
}

TEST(EventQueueFifo, EarlierThanTheLaneGoesToTheHeapAndCancelIsO1)
{
    EventQueue q;
    q.pushFifo(SimTime::fromNanos(100), nullptr, EventData{0, 1, 1, 0});
    q.pushFifo(SimTime::fromNanos(50), nullptr, EventData{0, 1, 2, 0}); // earlier: heap
    const EventHandle c = q.pushFifo(SimTime::fromNanos(100), nullptr, EventData{0, 1, 3, 0});
    EXPECT_EQ(q.fifoEntries(), 2u);
    EXPECT_EQ(q.heapEntries(), 1u);
    EXPECT_EQ(q.nextTime(), SimTime::fromNanos(50));
    EXPECT_TRUE(q.cancel(c));
    EXPECT_EQ(q.size(), 2u);
    EXPECT_EQ(q.pop().event.data.arg0, 2u);
    EXPECT_EQ(q.pop().event.data.arg0, 1u);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.fifoEntries(), 0u) << "the cancelled entry behind the front is discarded";
}
