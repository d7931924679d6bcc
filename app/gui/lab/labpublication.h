// SPDX-License-Identifier: Apache-2.0
// LabPublication: one hand-over from the simulation thread to the GUI thread.
#pragma once

#include "lab/labtypes.h"

#include <cstdint>
#include <optional>

namespace otalab::app {

// Built on the simulation thread, moved to the GUI thread (queued), then read only.
struct LabPublication {
    enum class Event : std::uint8_t {
        Progress,  // periodic, while running
        Paused,    // the worker stopped: pause(), step() done, runTo() reached
        Finished,  // the stop condition was met; `result` holds the full RunResult
    };
    std::uint64_t generation = 0;     // LabSession load counter; stale ones are dropped
    std::uint64_t command = 0;        // last SimulationWorker command the worker had executed
    Event event = Event::Progress;
    LabSnapshot snapshot;
    LabHistoryDelta delta;
    std::optional<sim::RunResult> result;
};

} // namespace otalab::app
