// SPDX-License-Identifier: Apache-2.0
// Shared rollout configurations for the Zigbee rollout tests.
#pragma once

#include "sim/zigbee/rolloutconfig.h"

namespace otalab::sim::test {

// The starter: coordinator + 1 router + 5 ZEDs polling every 7.5 s, one generated image.
inline RolloutConfig starterConfig(std::uint32_t imageBytes = 16 * 1024, std::uint64_t seed = 1)
{
    RolloutConfig c;
    c.name = QStringLiteral("starter-test");
    c.seed = seed;
    c.topology = GeneratedTopology{.routers = 1, .branching = 1, .zedsPerRouter = 5};
    c.images.front().sizeBytes = imageBytes;
    c.client.firstQueryJitterMs = 30'000;
    c.stop.untilS = 6 * 3600.0;
    return c;
}

} // namespace otalab::sim::test
