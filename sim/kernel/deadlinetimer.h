// SPDX-License-Identifier: Apache-2.0
// DeadlineTimer: a timeout that is pushed later far more often than it fires.
#pragma once

#include "sim/kernel/timer.h"

namespace otalab::sim {

// For timeouts re-armed on every step of a protocol (a per-block request timeout): moving
// the deadline later only records it; the pending kernel event, when it fires early,
// re-arms itself for the deadline. So a run costs one kernel event per timeout period
// instead of a cancelled event per re-arm, and the owner still sees the timeout exactly
// at the deadline. Moving the deadline earlier re-arms at once. Simulation thread only.
class DeadlineTimer {
public:
    // The owner wants fire() to report due at `at` (>= now).
    void arm(Simulator& sim, SimTime at, EventHandler& target, const EventData& data)
    {
        m_deadline = at;
        if (m_timer.isArmed(sim) && m_eventAt <= at)
            return;  // the pending event comes first and re-arms for the new deadline
        m_eventAt = at;
        m_timer.armAt(sim, at, target, data);
    }
    void cancel(Simulator& sim) { m_timer.cancel(sim); }
    bool isArmed(const Simulator& sim) const { return m_timer.isArmed(sim); }
    // True if `event` is this timer's pending event (call from the handler first).
    bool isFiring(const Event& event) const { return m_timer.isFiring(event); }
    // Forgets the pending event that is firing without acting on it.
    void drop() { m_timer = Timer{}; }
    // Handles the firing event (isFiring(event) must hold): true if the deadline is
    // reached; false if it moved on, in which case the event is re-armed for it.
    bool fire(Simulator& sim, EventHandler& target, const EventData& data)
    {
        m_timer = Timer{};
        if (sim.now() < m_deadline) {
            m_eventAt = m_deadline;
            m_timer.armAt(sim, m_deadline, target, data);
            return false;
        }
        return true;
    }

private:
    Timer m_timer;
    SimTime m_eventAt;   // when the pending kernel event fires
    SimTime m_deadline;  // when the owner wants the timeout
};

} // namespace otalab::sim
