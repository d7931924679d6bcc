// SPDX-License-Identifier: Apache-2.0
// SteadyWallClock: steady_clock time and std::this_thread::sleep_until.
#include "sim/kernel/steadywallclock.h"

#include <thread>

namespace otalab::sim {

WallClock::Duration SteadyWallClock::now() const
{
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch());
}

void SteadyWallClock::sleepUntil(Duration deadline)
{
    std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(deadline)));
}

} // namespace otalab::sim
