// SPDX-License-Identifier: Apache-2.0
// The hot path allocates nothing: steady-state schedule/cancel/execute under a
// counting global operator new.
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <cstdlib>
#include <new>
#include <vector>

namespace {
std::atomic<bool> g_counting{false};
std::atomic<std::uint64_t> g_allocations{0};
} // namespace

// The replacements below pair malloc/aligned_alloc with free on purpose; GCC's
// heuristic cannot see that the operators are the replaced ones.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Replaces the global allocation functions for this test binary; counts only while
// g_counting is set.
void* operator new(std::size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t alignment)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto align = static_cast<std::size_t>(alignment);
    const std::size_t rounded = (size + align - 1) / align * align;
    if (void* p = std::aligned_alloc(align, rounded == 0 ? align : rounded))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace otalab::sim;

namespace {

// PHOLD in miniature: jobs hop between processes, each arrival re-arms a timeout.
class MiniPhold final : public EventHandler {
public:
    MiniPhold(Simulator& sim, std::uint32_t processes)
        : m_timers(processes)
    {
        for (std::uint32_t p = 0; p < processes; ++p)
            m_rng.emplace_back(sim.seed(), p);
        for (NodeId p = 0; p < processes; ++p) {
            for (int j = 0; j < 4; ++j)
                sim.schedule(m_rng[p].exponentialTime(SimTime::fromSecondsInt(1)), *this, EventData{p, 1, 0, 0});
        }
    }

    void handleEvent(Simulator& sim, const Event& e) override
    {
        if (e.data.kind != 1)
            return;
        const NodeId p = e.data.node;
        sim.cancel(m_timers[p]);
        m_timers[p] = sim.scheduleAfter(SimTime::fromSecondsInt(5), *this, EventData{p, 2, 0, 0});
        const auto dst = static_cast<NodeId>(m_rng[p].uniformInt(m_rng.size()));
        sim.scheduleAfter(m_rng[p].exponentialTime(SimTime::fromSecondsInt(1)), *this, EventData{dst, 1, 0, 0});
    }

private:
    std::vector<RandomStream> m_rng;
    std::vector<EventHandle> m_timers;
};

} // namespace

TEST(KernelAllocation, SteadyStateRunAllocatesNothing)
{
    Simulator sim;
    MiniPhold model(sim, 2000);
    sim.runUntil(SimTime::fromSecondsInt(30)); // warm up: queue reaches its high-water mark
    const std::uint64_t before = sim.eventsExecuted();
    g_allocations = 0;
    g_counting = true;
    sim.runUntil(SimTime::fromSecondsInt(60));
    g_counting = false;
    EXPECT_GT(sim.eventsExecuted() - before, 200'000u);
    EXPECT_GT(sim.queue().compactions(), 0u);
    EXPECT_EQ(g_allocations.load(), 0u);

    // The harness itself counts both plain and over-aligned allocations.
    g_counting = true;
    auto plain = std::make_unique<int>(1);
    EventQueue queue; // its heap storage is 64-byte aligned
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 2u);
}
