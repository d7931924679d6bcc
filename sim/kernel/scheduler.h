// SPDX-License-Identifier: Apache-2.0
// Scheduler: decides when the run loop may execute the next event (pacing policy).
#pragma once

#include "sim/kernel/simtime.h"

#include <atomic>

namespace otalab::sim {

// The swappable pacing policy of a Simulator, after OMNeT++'s cScheduler: the
// sequential scheduler runs events back to back; the real-time scheduler holds each
// event until the wall clock reaches it (the hook for hardware-in-the-loop).
//
// Call order, all on the simulation thread: beginRun(now) once when a run (step(),
// run(), runUntil()) starts, then waitUntil(t) before each event, endRun(now) once
// when the run returns. Event order never depends on the scheduler, only timing.
class Scheduler {
public:
    virtual ~Scheduler() = default;

    // False when waitUntil() is a no-op, letting the run loop skip the call.
    virtual bool paces() const = 0;

    virtual void beginRun(SimTime now) { static_cast<void>(now); }

    // Blocks until the event at virtual time `next` may execute. Returns false if
    // `stopRequested` became true while waiting (the event is then left pending).
    // Implementations must poll `stopRequested` at least every few tens of ms.
    virtual bool waitUntil(SimTime next, const std::atomic<bool>& stopRequested) = 0;

    virtual void endRun(SimTime now) { static_cast<void>(now); }
};

} // namespace otalab::sim
