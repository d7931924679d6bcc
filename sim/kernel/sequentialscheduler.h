// SPDX-License-Identifier: Apache-2.0
// SequentialScheduler: executes events as fast as possible (the default).
#pragma once

#include "sim/kernel/scheduler.h"

namespace otalab::sim {

// As-fast-as-possible execution: virtual time jumps from event to event.
class SequentialScheduler final : public Scheduler {
public:
    bool paces() const override { return false; }
    bool waitUntil(SimTime next, const std::atomic<bool>& stopRequested) override;
};

} // namespace otalab::sim
