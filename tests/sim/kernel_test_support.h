// SPDX-License-Identifier: Apache-2.0
// Test helpers for the simulation kernel: a recording handler and a fake wall clock.
#pragma once

#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/wallclock.h"

#include <functional>
#include <vector>

namespace otalab::sim::test {

// Records every event it receives and optionally runs a hook (which may schedule,
// cancel or stop). Test-only: std::function is fine here, not in the kernel.
class RecordingHandler final : public EventHandler {
public:
    struct Record {
        SimTime time;
        EventData data;
        SimTime nowAtCall;
    };

    void handleEvent(Simulator& sim, const Event& event) override
    {
        records.push_back(Record{event.time, event.data, sim.now()});
        if (hook)
            hook(sim, event);
    }

    std::vector<std::uint64_t> arg0s() const
    {
        std::vector<std::uint64_t> out;
        for (const Record& r : records)
            out.push_back(r.data.arg0);
        return out;
    }

    std::vector<Record> records;
    std::function<void(Simulator&, const Event&)> hook;
};

inline EventData tag(std::uint64_t id, NodeId node = 0, std::uint32_t kind = 0)
{
    return EventData{node, kind, id, 0};
}

// State of a FakeWallClock, owned by the test so it stays inspectable while the
// scheduler owns the clock.
struct FakeClockState {
    WallClock::Duration now{};
    std::vector<WallClock::Duration> sleeps; // every sleepUntil() deadline, in order
    std::function<void()> onSleep;           // runs after each sleep (e.g. request stop)
};

// A wall clock that never sleeps: sleepUntil() jumps now() to the deadline.
class FakeWallClock final : public WallClock {
public:
    explicit FakeWallClock(FakeClockState& state) : m_state(state) {}

    Duration now() const override { return m_state.now; }
    void sleepUntil(Duration deadline) override
    {
        m_state.sleeps.push_back(deadline);
        if (deadline > m_state.now)
            m_state.now = deadline;
        if (m_state.onSleep)
            m_state.onSleep();
    }

private:
    FakeClockState& m_state;
};

} // namespace otalab::sim::test
