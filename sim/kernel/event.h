// SPDX-License-Identifier: Apache-2.0
// EventData / Event: the fixed-size, allocation-free description of one event.
#pragma once

#include "sim/kernel/eventhandle.h"
#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <cstdint>

namespace otalab::sim {

// What an event carries besides its time and target. There is deliberately no
// closure: the target handler interprets `kind` (its own enumeration) and the two
// payload words (an index into a frame pool, a block number, ...). Payload words
// must hold values, never addresses: they are hashed into the trace fingerprint, and
// addresses differ between runs.
struct EventData {
    NodeId node = kNoNode;     // node the event belongs to (traces, observers)
    std::uint32_t kind = 0;    // handler-defined discriminator
    std::uint64_t arg0 = 0;    // handler-defined payload
    std::uint64_t arg1 = 0;    // handler-defined payload
};

// An event as delivered to its handler: when it fires, the (already released) handle
// it was scheduled under, and its data.
struct Event {
    SimTime time;
    EventHandle handle;
    EventData data;
};

} // namespace otalab::sim
