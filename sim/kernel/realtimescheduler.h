// SPDX-License-Identifier: Apache-2.0
// RealTimeScheduler: paces virtual time to a wall clock (hardware-in-the-loop).
#pragma once

#include "sim/kernel/scheduler.h"
#include "sim/kernel/wallclock.h"

#include <memory>

namespace otalab::sim {

// Holds each event until wall time catches up with it: at the start of a run, the
// virtual time `now` is anchored to the wall clock's now(); an event at virtual time
// t may execute once wall >= anchorWall + (t - anchorVirtual) / speed. When the
// simulation falls behind, events run immediately (no catch-up skipping) and the
// worst lag is recorded. Waits are sliced (at most maxSlice each) so stop requests
// from other threads are honoured promptly.
class RealTimeScheduler final : public Scheduler {
public:
    // speed: virtual seconds per wall second (1.0 = real time; 10 = ten times faster).
    explicit RealTimeScheduler(std::unique_ptr<WallClock> clock, double speed = 1.0,
                               WallClock::Duration maxSlice = std::chrono::milliseconds(20));

    bool paces() const override { return true; }
    void beginRun(SimTime now) override;
    bool waitUntil(SimTime next, const std::atomic<bool>& stopRequested) override;

    double speed() const { return m_speed; }
    // Largest observed lateness (wall time past an event's deadline) since beginRun().
    WallClock::Duration maxLag() const { return m_maxLag; }
    const WallClock& clock() const { return *m_clock; }

private:
    WallClock::Duration deadlineFor(SimTime next) const;

    std::unique_ptr<WallClock> m_clock;
    double m_speed;
    WallClock::Duration m_maxSlice;
    SimTime m_anchorVirtual;
    WallClock::Duration m_anchorWall{};
    WallClock::Duration m_maxLag{};
};

} // namespace otalab::sim
