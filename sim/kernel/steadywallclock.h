// SPDX-License-Identifier: Apache-2.0
// SteadyWallClock: WallClock backed by std::chrono::steady_clock.
#pragma once

#include "sim/kernel/wallclock.h"

namespace otalab::sim {

class SteadyWallClock final : public WallClock {
public:
    Duration now() const override;
    void sleepUntil(Duration deadline) override;
};

} // namespace otalab::sim
