// SPDX-License-Identifier: Apache-2.0
// RealTimeScheduler: anchor-based pacing with sliced, stoppable waits.
#include "sim/kernel/realtimescheduler.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

RealTimeScheduler::RealTimeScheduler(std::unique_ptr<WallClock> clock, double speed,
                                     WallClock::Duration maxSlice)
    : m_clock(std::move(clock))
    , m_speed(speed > 0.0 ? speed : 1.0)
    , m_maxSlice(maxSlice > WallClock::Duration::zero() ? maxSlice : std::chrono::milliseconds(20))
{
}

void RealTimeScheduler::beginRun(SimTime now)
{
    m_anchorVirtual = now;
    m_anchorWall = m_clock->now();
    m_maxLag = WallClock::Duration::zero();
}

WallClock::Duration RealTimeScheduler::deadlineFor(SimTime next) const
{
    const double virtualNs = static_cast<double>((next - m_anchorVirtual).nanos());
    return m_anchorWall + WallClock::Duration(static_cast<std::int64_t>(std::llround(virtualNs / m_speed)));
}

bool RealTimeScheduler::waitUntil(SimTime next, const std::atomic<bool>& stopRequested)
{
    const WallClock::Duration deadline = deadlineFor(next);
    for (;;) {
        if (stopRequested.load(std::memory_order_relaxed))
            return false;
        const WallClock::Duration wall = m_clock->now();
        if (wall >= deadline) {
            m_maxLag = std::max(m_maxLag, wall - deadline);
            return true;
        }
        m_clock->sleepUntil(std::min(deadline, wall + m_maxSlice));
    }
}

} // namespace otalab::sim
