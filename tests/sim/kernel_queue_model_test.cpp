// SPDX-License-Identifier: Apache-2.0
// EventQueue vs. a std::multimap reference model under 1e6 random operations.
#include "sim/kernel/eventqueue.h"
#include "sim/kernel/randomstream.h"

#include <gtest/gtest.h>

#include <map>
#include <unordered_map>
#include <vector>

using namespace otalab::sim;

namespace {

// The reference: a multimap keyed by time keeps equal keys in insertion order,
// which is exactly the contract (time, then insertion sequence).
struct ReferenceModel {
    std::multimap<std::int64_t, std::uint64_t> byTime;                           // time -> id
    std::unordered_map<std::uint64_t, std::multimap<std::int64_t, std::uint64_t>::iterator> byId;
};

struct Issued {
    EventHandle handle;
    std::uint64_t id;
};

// Runs `operations` random push/cancel/pop operations with a bounded pending count
// and checks every result against the model. Returns the number of pops checked.
std::uint64_t runAgainstModel(EventQueue& queue, std::uint64_t seed, std::uint64_t operations,
                              std::size_t maxPending)
{
    RandomStream rng(seed, 0);
    ReferenceModel model;
    std::vector<Issued> issued; // handles of all pending and some already-dead events
    std::int64_t now = 0;
    std::uint64_t nextId = 0;
    std::uint64_t pops = 0;

    for (std::uint64_t op = 0; op < operations; ++op) {
        // Phases shift the mix: fill, cancel-heavy (drives compaction), drain-heavy.
        static constexpr std::uint64_t kPushBelow[3] = {60, 20, 40};
        static constexpr std::uint64_t kCancelBelow[3] = {80, 90, 60};
        const std::size_t phase = (op / 50'000) % 3;
        const std::uint64_t r = rng.uniformInt(100);
        const bool full = model.byId.size() >= maxPending;
        if (r < kPushBelow[phase] && !full) {
            // Push with small time offsets so ties are frequent.
            const std::int64_t t = now + static_cast<std::int64_t>(rng.uniformInt(50));
            const std::uint64_t id = nextId++;
            const EventHandle h = queue.push(SimTime::fromNanos(t), nullptr, EventData{0, 0, id, 0});
            model.byId[id] = model.byTime.emplace(t, id);
            issued.push_back(Issued{h, id});
        } else if (r < kCancelBelow[phase] && !issued.empty()) {
            // Cancel a random issued handle: live (must succeed) or dead (no-op).
            const std::size_t k = rng.uniformInt(issued.size());
            const Issued victim = issued[k];
            const auto it = model.byId.find(victim.id);
            const bool live = it != model.byId.end();
            EXPECT_EQ(queue.isPending(victim.handle), live) << "op " << op;
            EXPECT_EQ(queue.cancel(victim.handle), live) << "op " << op;
            if (live) {
                model.byTime.erase(it->second);
                model.byId.erase(it);
            }
            issued[k] = issued.back();
            issued.pop_back();
        } else if (!model.byTime.empty()) {
            const auto first = model.byTime.begin();
            EXPECT_EQ(queue.nextTime().nanos(), first->first) << "op " << op;
            const EventQueue::Popped p = queue.pop();
            EXPECT_EQ(p.event.time.nanos(), first->first) << "op " << op;
            EXPECT_EQ(p.event.data.arg0, first->second) << "op " << op;
            if (p.event.data.arg0 != first->second)
                return pops; // diverged: further comparisons are noise
            EXPECT_FALSE(queue.isPending(p.event.handle));
            now = first->first;
            model.byId.erase(first->second);
            model.byTime.erase(first);
            ++pops;
        }
        EXPECT_EQ(queue.size(), model.byId.size());
        if (queue.size() != model.byId.size())
            return pops;
        // Keep the dead-handle list bounded.
        if (issued.size() > 4 * maxPending)
            issued.erase(issued.begin(), issued.begin() + static_cast<std::ptrdiff_t>(maxPending));
    }
    // Drain and compare the tail.
    while (!model.byTime.empty()) {
        const auto first = model.byTime.begin();
        const EventQueue::Popped p = queue.pop();
        EXPECT_EQ(p.event.data.arg0, first->second);
        model.byTime.erase(first);
        ++pops;
    }
    EXPECT_TRUE(queue.empty());
    return pops;
}

} // namespace

TEST(KernelQueueModel, MillionRandomOperationsMatchMultimap)
{
    EventQueue queue;
    const std::uint64_t pops = runAgainstModel(queue, 1, 1'000'000, 20'000);
    EXPECT_GT(pops, 200'000u);
    EXPECT_GT(queue.compactions(), 0u) << "the workload should exercise compaction";
}

TEST(KernelQueueModel, RandomOperationsAcrossRenumberingsMatchMultimap)
{
    EventQueue queue(/*sequenceLimit=*/5'000);
    const std::uint64_t pops = runAgainstModel(queue, 2, 200'000, 1'000);
    EXPECT_GT(pops, 40'000u);
    EXPECT_GT(queue.renumberings(), 10u);
}
