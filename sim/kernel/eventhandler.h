// SPDX-License-Identifier: Apache-2.0
// EventHandler: the interface every event target (device model, link, server) implements.
#pragma once

#include "sim/kernel/event.h"

namespace otalab::sim {

class Simulator;

// Receives the events scheduled on it. Called on the simulation thread, with
// sim.now() == event.time, after observers saw SimObserver::onEventExecuted for it.
// The event's slot is already released: cancelling event.handle is a no-op and new
// events may be scheduled freely. A handler must outlive every event scheduled on it
// (cancel them, or let the Simulator be destroyed first).
class EventHandler {
public:
    virtual void handleEvent(Simulator& sim, const Event& event) = 0;

protected:
    ~EventHandler() = default; // not owned through this interface
};

} // namespace otalab::sim
