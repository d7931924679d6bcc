// SPDX-License-Identifier: Apache-2.0
// WallClock: the injectable source of real time used by RealTimeScheduler.
#pragma once

#include <chrono>

namespace otalab::sim {

// Monotonic wall time plus a way to wait for it. Tests inject a fake whose
// sleepUntil() merely advances its own now(), so pacing is testable without sleeping.
// Called only from the simulation thread.
class WallClock {
public:
    using Duration = std::chrono::nanoseconds; // since an arbitrary, fixed epoch

    virtual ~WallClock() = default;
    virtual Duration now() const = 0;
    // Returns at or after `deadline` (may return early on spurious wake-ups; callers
    // re-check now()).
    virtual void sleepUntil(Duration deadline) = 0;
};

} // namespace otalab::sim
