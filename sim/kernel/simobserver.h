// SPDX-License-Identifier: Apache-2.0
// SimObserver: the kernel's one outward interface (GUI, trace, pcap, metrics).
#pragma once

#include "sim/kernel/event.h"
#include "sim/kernel/observerrecords.h"

namespace otalab::sim {

enum class RunOutcome : std::uint8_t {
    LimitReached, // runUntil(): every event at or before the limit executed
    QueueEmpty,   // run()/step(): nothing left to execute
    Stopped,      // stop() was requested
    StepDone,     // step(): exactly one event executed
};

// Receives notifications from a Simulator, like OMNeT++'s cEnvir. Every method has a
// no-op default; attach with Simulator::addObserver(). All calls come from the
// simulation thread, synchronously: an observer feeding a GUI must copy what it
// needs and hand it over (queued, coalesced) — never block or pump an event loop.
//
// Call order within a run:
//   onRunStarted
//   per executed event, in execution order:
//     onEventExecuted(e)                      (before the handler runs)
//     onStateChange / onFrame / onEnergy      (zero or more, emitted by the handler,
//                                              in the order the model reports them,
//                                              all with time == e.time)
//   onProgress                                (between events, every progress interval)
//   onProgress                                (final, at the run's end time)
//   onRunFinished
// Observers are called in attachment order. With no observer attached the kernel
// makes no virtual calls at all.
class SimObserver {
public:
    virtual ~SimObserver() = default;

    virtual void onRunStarted(SimTime now) { static_cast<void>(now); }
    virtual void onEventExecuted(const Event& event) { static_cast<void>(event); }
    virtual void onStateChange(const StateChange& change) { static_cast<void>(change); }
    virtual void onFrame(const FrameRecord& frame) { static_cast<void>(frame); }
    virtual void onEnergy(const EnergySample& sample) { static_cast<void>(sample); }
    virtual void onProgress(const Progress& progress) { static_cast<void>(progress); }
    virtual void onRunFinished(SimTime now, RunOutcome outcome)
    {
        static_cast<void>(now);
        static_cast<void>(outcome);
    }
};

} // namespace otalab::sim
