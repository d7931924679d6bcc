// SPDX-License-Identifier: Apache-2.0
// SequentialScheduler: never waits.
#include "sim/kernel/sequentialscheduler.h"

namespace otalab::sim {

bool SequentialScheduler::waitUntil(SimTime next, const std::atomic<bool>& stopRequested)
{
    static_cast<void>(next);
    return !stopRequested.load(std::memory_order_relaxed);
}

} // namespace otalab::sim
