// SPDX-License-Identifier: Apache-2.0
// Timer: a re-armable one-shot timeout built on an EventHandle (the common
// "cancel and re-arm" pattern of MAC, polling and OTA block timeouts).
#pragma once

#include "sim/kernel/simulator.h"

namespace otalab::sim {

// Holds at most one pending event. arm() cancels the previous arming first, so a
// stale timeout can never fire after a re-arm. 8 bytes, no allocation; embed one
// per timeout in a device struct. Simulation thread only.
class Timer {
public:
    // (Re)arms to fire `delay` from now, delivering `data` to `target`.
    void arm(Simulator& sim, SimTime delay, EventHandler& target, const EventData& data)
    {
        sim.cancel(m_handle);
        m_handle = sim.scheduleAfter(delay, target, data);
    }
    // arm() for a constant short delay (Simulator::scheduleAfterFifo: same order, cheaper).
    void armFifo(Simulator& sim, SimTime delay, std::size_t lane, EventHandler& target, const EventData& data)
    {
        sim.cancel(m_handle);
        m_handle = sim.scheduleAfterFifo(delay, lane, target, data);
    }
    // (Re)arms to fire at absolute time `at` (>= now).
    void armAt(Simulator& sim, SimTime at, EventHandler& target, const EventData& data)
    {
        sim.cancel(m_handle);
        m_handle = sim.schedule(at, target, data);
    }
    // Disarms; no-op when not armed. Returns whether a pending event was cancelled.
    bool cancel(Simulator& sim)
    {
        const bool cancelled = sim.cancel(m_handle);
        m_handle = EventHandle{};
        return cancelled;
    }
    bool isArmed(const Simulator& sim) const { return sim.isPending(m_handle); }
    // True if `event` is this timer's latest arming firing (not an older event that
    // shares the handler and kind). Call from the handler.
    bool isFiring(const Event& event) const { return m_handle.isValid() && event.handle == m_handle; }
    EventHandle handle() const { return m_handle; }

private:
    EventHandle m_handle;
};

} // namespace otalab::sim
